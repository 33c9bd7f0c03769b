import { spawn } from 'node:child_process';

export interface ProcResult {
	code: number | null;
	stdout: string;
	stderr: string;
	ms: number;
}

/** Runs a command to its end, capturing its output (and echoing stderr when asked). */
export function run(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv; echo?: boolean; timeoutMs?: number; uid?: number; gid?: number } = {},
): Promise<ProcResult> {
	const t0 = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			uid: options.uid,
			gid: options.gid,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString('utf8');
			if (options.echo) process.stderr.write(chunk);
		});
		const timer = options.timeoutMs
			? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
			: undefined;
		child.on('error', reject);
		child.on('close', (code) => {
			if (timer) clearTimeout(timer);
			resolve({ code, stdout, stderr, ms: Date.now() - t0 });
		});
	});
}

export async function runOrThrow(command: string, args: string[], options: Parameters<typeof run>[2] = {}): Promise<ProcResult> {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.code}\n${result.stderr.slice(-4000)}\n${result.stdout.slice(-2000)}`);
	}
	return result;
}

/**
 * The environment of a plain shell: npm exports the settings of the npm script that started us
 * (this project's .npmrc, such as ignore-scripts=true) as npm_config_* variables, which would
 * change what a nested npm does. Kept: where packages come from and how to reach it.
 * scripts/n8n-runtime.sh applies the same rule.
 */
export function cleanNpmEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const kept = /^npm_config_(registry|cache|userconfig|globalconfig|cafile|ca|proxy|https_proxy|noproxy|strict_ssl)$/i;
	const clean: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(env)) {
		if (/^npm_(config|package|lifecycle)_/i.test(name) && !kept.test(name)) continue;
		if (/^npm_(command|execpath|node_execpath)$/i.test(name)) continue;
		clean[name] = value;
	}
	return clean;
}
