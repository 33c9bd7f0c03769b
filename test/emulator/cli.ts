/**
 * Starts Coze emulators for manual trials / demos:
 *
 *   node dist/test/emulator/cli.js                     # one cloud and one studio emulator, random ports
 *   node dist/test/emulator/cli.js --dialect studio --port 8888 --token pat_demo
 *   node dist/test/emulator/cli.js --dialect cloud --latency 100   # answers runs after 100 ms
 *
 * Prints each emulator's URL and the valid token(s); stops on SIGINT / SIGTERM.
 */
import type { CozeEmulator, Dialect } from './index';
import { DEFAULT_TOKEN, startCozeEmulator } from './index';

interface CliOptions {
	dialects: Dialect[];
	port: number;
	tokens: string[];
	latencyMs: number;
}

export function parseArgs(argv: string[]): CliOptions {
	let dialects: Dialect[] = ['cloud', 'studio'];
	let port = 0;
	let latencyMs = 0;
	const tokens: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const value = (): string => {
			const v = inline ?? argv[++i];
			if (v === undefined) throw new Error(`${flag} needs a value`);
			return v;
		};
		switch (flag) {
			case '--dialect': {
				const d = value();
				if (d === 'cloud' || d === 'studio') dialects = [d];
				else if (d === 'both') dialects = ['cloud', 'studio'];
				else throw new Error(`--dialect must be cloud, studio or both, not ${d}`);
				break;
			}
			case '--port': {
				port = Number(value());
				if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0..65535');
				break;
			}
			case '--token':
				tokens.push(value());
				break;
			case '--latency': {
				latencyMs = Number(value());
				if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error('--latency must be a number of milliseconds');
				break;
			}
			case '--help':
			case '-h':
				throw new Error('usage: cli [--dialect cloud|studio|both] [--port N] [--token T]... [--latency MS]');
			default:
				throw new Error(`unknown argument ${arg}`);
		}
	}
	if (port !== 0 && dialects.length > 1) throw new Error('--port needs a single --dialect');
	return { dialects, port, tokens: tokens.length > 0 ? tokens : [DEFAULT_TOKEN], latencyMs };
}

export async function main(argv: string[]): Promise<void> {
	const opts = parseArgs(argv);
	const emulators: CozeEmulator[] = [];
	for (const dialect of opts.dialects) {
		const emu = await startCozeEmulator({ dialect, port: opts.port, validTokens: opts.tokens });
		emu.latencyMs = opts.latencyMs;
		emulators.push(emu);
		process.stdout.write(`coze emulator (${dialect}) listening on ${emu.url}  token: ${opts.tokens.join(', ')}\n`);
	}
	const stop = (signal: string): void => {
		process.stdout.write(`\n${signal}: stopping coze emulator\n`);
		void Promise.all(emulators.map((e) => e.close())).then(() => process.exit(0));
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
	main(process.argv.slice(2)).catch((e: unknown) => {
		process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
		process.exit(1);
	});
}
