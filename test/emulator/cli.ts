/**
 * Starts Coze emulators for manual trials / demos:
 *
 *   node dist/test/emulator/cli.js                     # one cloud and one studio emulator, random ports
 *   node dist/test/emulator/cli.js --dialect studio --port 8888 --token pat_demo
 *   node dist/test/emulator/cli.js --dialect cloud --latency 100   # answers runs after 100 ms
 *   node dist/test/emulator/cli.js --dialect cloud --max-in-flight 20 --max-per-second 50
 *       # an account rate limit (ratelimit.ts): runs beyond it get HTTP 429 with code 4009
 *   node dist/test/emulator/cli.js --dialect cloud --oauth-app 1234567890:kid_abc:./public.pem
 *       # registers an OAuth JWT service app (app id : public key fingerprint (kid) : RSA public key
 *       # PEM file; repeatable) for POST /api/permission/oauth2/token (cloud only, oauth.ts)
 *
 * Prints each emulator's URL, the valid token(s) and (cloud) the registered OAuth app ids; stops on
 * SIGINT / SIGTERM. Started with an IPC channel (child_process `fork` or `stdio: [..., 'ipc']`), it
 * answers the message `{ type: 'stats', workflowId }` with `{ type: 'stats', runsByKey, rateLimitRefusals }`
 * (of the first emulator), for a parent that measures it from another process, and the message
 * `{ type: 'configure', audioOptions?, knowledgeOptions? }` (setAudioOptions / setKnowledgeOptions
 * of the first emulator) with `{ type: 'configured' }`.
 */
import { readFileSync } from 'node:fs';

import type { AudioOptions } from './audioCatalogue';
import type { AccountRateLimit, CozeEmulator, Dialect, OAuthApp } from './index';
import type { KnowledgeOptions } from './knowledgeCatalogue';
import { DEFAULT_OAUTH_AUDIENCE, DEFAULT_TOKEN, OAUTH_TOKEN_PATH, startCozeEmulator } from './index';

export const USAGE =
	'usage: cli [--dialect cloud|studio|both] [--port N] [--token T]... [--latency MS] [--max-in-flight N] [--max-per-second N] [--oauth-app APP_ID:KID:PUBLIC_KEY_PEM_FILE]...';

interface CliOptions {
	dialects: Dialect[];
	port: number;
	tokens: string[];
	latencyMs: number;
	/** `--max-in-flight` / `--max-per-second`, when either is given. */
	rateLimit?: AccountRateLimit;
	/** `--oauth-app` values, PEM files read. */
	oauthApps: OAuthApp[];
}

/** What a parent process may ask over the IPC channel. */
type CliMessage =
	| { type: 'stats'; workflowId?: string }
	| { type: 'configure'; audioOptions?: Partial<AudioOptions>; knowledgeOptions?: Partial<KnowledgeOptions> }
	| undefined;

/** `APP_ID:KID:PEM_FILE` (the file path may itself hold colons). */
function parseOAuthApp(v: string): OAuthApp {
	const first = v.indexOf(':');
	const second = first === -1 ? -1 : v.indexOf(':', first + 1);
	const appId = v.slice(0, first);
	const keyId = v.slice(first + 1, second);
	const file = v.slice(second + 1);
	if (first === -1 || second === -1 || appId === '' || keyId === '' || file === '') {
		throw new Error(`--oauth-app must be APP_ID:KID:PUBLIC_KEY_PEM_FILE, not ${v}`);
	}
	let publicKeyPem: string;
	try {
		publicKeyPem = readFileSync(file, 'utf8');
	} catch (e) {
		throw new Error(`--oauth-app ${appId}: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
	}
	return { appId, keyId, publicKeyPem };
}

export function parseArgs(argv: string[]): CliOptions {
	let dialects: Dialect[] = ['cloud', 'studio'];
	let port = 0;
	let latencyMs = 0;
	let rateLimit: AccountRateLimit | undefined;
	const limitValue = (flag: string, v: string): number => {
		const n = Number(v);
		if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number >= 1`);
		return n;
	};
	const tokens: string[] = [];
	const oauthApps: OAuthApp[] = [];
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
			case '--max-in-flight':
				rateLimit = { ...rateLimit, maxInFlight: limitValue(flag, value()) };
				break;
			case '--max-per-second':
				rateLimit = { ...rateLimit, perSecond: limitValue(flag, value()) };
				break;
			case '--oauth-app':
				oauthApps.push(parseOAuthApp(value()));
				break;
			case '--help':
			case '-h':
				throw new Error(USAGE);
			default:
				throw new Error(`unknown argument ${arg}`);
		}
	}
	if (port !== 0 && dialects.length > 1) throw new Error('--port needs a single --dialect');
	return { dialects, port, tokens: tokens.length > 0 ? tokens : [DEFAULT_TOKEN], latencyMs, rateLimit, oauthApps };
}

export async function main(argv: string[]): Promise<void> {
	const opts = parseArgs(argv);
	const emulators: CozeEmulator[] = [];
	for (const dialect of opts.dialects) {
		const emu = await startCozeEmulator({ dialect, port: opts.port, validTokens: opts.tokens, oauthApps: opts.oauthApps });
		emu.latencyMs = opts.latencyMs;
		if (opts.rateLimit) emu.setAccountRateLimit(opts.rateLimit);
		emulators.push(emu);
		process.stdout.write(`coze emulator (${dialect}) listening on ${emu.url}  token: ${opts.tokens.join(', ')}\n`);
		if (dialect === 'cloud' && opts.oauthApps.length > 0) {
			const ids = [...new Set(opts.oauthApps.map((a) => a.appId))];
			process.stdout.write(`  OAuth apps: ${ids.join(', ')}  (POST ${OAUTH_TOKEN_PATH}, aud ${DEFAULT_OAUTH_AUDIENCE})\n`);
		}
	}
	const stop = (signal: string): void => {
		process.stdout.write(`\n${signal}: stopping coze emulator\n`);
		void Promise.all(emulators.map((e) => e.close())).then(() => process.exit(0));
	};
	if (process.send) {
		process.on('message', (message: CliMessage) => {
			const first = emulators[0];
			if (message?.type === 'configure') {
				if (message.audioOptions) first.setAudioOptions(message.audioOptions);
				if (message.knowledgeOptions) first.setKnowledgeOptions(message.knowledgeOptions);
				process.send?.({ type: 'configured' });
				return;
			}
			if (message?.type !== 'stats' || typeof message.workflowId !== 'string') return;
			process.send?.({
				type: 'stats',
				runsByKey: Object.fromEntries(first.runsByKey(message.workflowId)),
				rateLimitRefusals: first.rateLimitRefusals,
			});
		});
		// The parent going away ends the emulator too.
		process.once('disconnect', () => stop('disconnect'));
	}
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
	main(process.argv.slice(2)).catch((e: unknown) => {
		process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
		process.exit(1);
	});
}
