/**
 * A throwaway real n8n for this package: the pinned n8n from scripts/n8n-runtime.sh, a fresh
 * user folder with the packed package laid out as an installed community package, sqlite,
 * loopback only, no telemetry. Workflows and credentials go in through n8n's own CLI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { lastId, settleExecution, storedExecutions, type ExecutionRun, type NodeRunItem } from './executions';
import { step, timed } from './log';
import { cleanNpmEnv, run, runOrThrow, type ProcResult } from './proc';

export type { ExecutionRun } from './executions';

export const REPO_DIR = resolve(__dirname, '..', '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-coze';
export type N8nLine = 1 | 2;

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	active?: boolean;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

/** The owner account the scripts set up in a fresh n8n (local, throwaway instances only). */
/** n8n ties a session to the browser ID sent with the sign-in; every REST call sends the same one. */
export const BROWSER_ID = 'coze-e2e-browser';

export const OWNER = { email: 'owner@example.com', firstName: 'Coze', lastName: 'Tester', password: 'CozeTester-2026' };

export interface CredentialJson {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** Loads `scripts/n8n-runtime.sh env <line>` (installing n8n first if needed) as an environment. */
export async function runtimeEnv(line: N8nLine): Promise<NodeJS.ProcessEnv> {
	const script = join(REPO_DIR, 'scripts', 'n8n-runtime.sh');
	const result = await timed(`n8n ${line}.x runtime (installed once into the cache, then reused)`, () =>
		// Two statements: a failure inside `eval "$(…)"` would escape `set -e`.
		runOrThrow('bash', ['-c', `set -euo pipefail; RT_ENV=$(bash '${script}' env ${line}); eval "$RT_ENV"; env -0`], {
			echo: true,
		}),
	);
	const env: NodeJS.ProcessEnv = {};
	for (const entry of result.stdout.split('\0')) {
		const eq = entry.indexOf('=');
		if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
	}
	return env;
}

/** Builds the package and packs it once per process, as npm would publish it. */
let packed: Promise<string> | undefined;
export function packPackage(): Promise<string> {
	packed ??= (async () => {
		await timed('building the package (tsc + gulp)', () => runOrThrow('npm', ['run', 'build', '--silent'], { cwd: REPO_DIR }));
		const dir = mkdtempSync(join(tmpdir(), 'n8n-nodes-coze-pack-'));
		// The tarball serves every n8n of this process; it goes when the process ends.
		process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
		await runOrThrow('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: REPO_DIR });
		const tarball = readdirSync(dir).find((file) => file.endsWith('.tgz'));
		if (!tarball) throw new Error('npm pack produced no tarball');
		return join(dir, tarball);
	})();
	return packed;
}

export function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const server = createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/**
 * Creates the instance owner of the n8n at `baseUrl` over its REST API (or signs in, when it has
 * one) and returns the session cookie; every REST call then sends it with `browser-id: BROWSER_ID`.
 */
export async function ownerSession(baseUrl: string): Promise<string> {
	const owner = OWNER;
	const headers = { 'content-type': 'application/json', 'browser-id': BROWSER_ID };
	let response = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers,
		body: JSON.stringify(owner),
	});
	if (!response.ok) {
		response = await fetch(`${baseUrl}/rest/login`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
	}
	const cookie = response.headers.get('set-cookie')?.split(';')[0];
	if (!response.ok || !cookie) throw new Error(`could not sign in to n8n: HTTP ${response.status} ${await response.text()}`);
	return cookie;
}

export class N8nInstance {
	readonly userFolder: string;
	private server?: ChildProcess;
	private serverLog = '';
	private lastExecutionId = 0;
	/** How the package got into this n8n: the README's manual install, run as a user would. */
	manualInstall?: ManualInstall;

	private constructor(
		readonly line: N8nLine,
		readonly env: NodeJS.ProcessEnv,
		readonly port: number,
	) {
		this.userFolder = env.N8N_USER_FOLDER as string;
	}

	get version(): string {
		return String(this.env.N8N_RUNTIME_VERSION);
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	static async create(line: N8nLine, options: { port?: number; extraEnv?: NodeJS.ProcessEnv } = {}): Promise<N8nInstance> {
		const [baseEnv, tarball] = await Promise.all([runtimeEnv(line), packPackage()]);
		const userFolder = mkdtempSync(join(tmpdir(), `n8n-nodes-coze-n8n${line}-`));
		const manualInstall = await installAsReadmeSays(join(userFolder, '.n8n'), tarball, baseEnv);
		const port = options.port ?? (await freePort());
		const env: NodeJS.ProcessEnv = {
			...baseEnv,
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: 'n8n-nodes-coze-e2e-encryption-key',
			N8N_HOST: '127.0.0.1',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_PORT: String(port),
			N8N_PROTOCOL: 'http',
			N8N_SECURE_COOKIE: 'false',
			DB_TYPE: 'sqlite',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LOG_LEVEL: 'info',
			N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false',
			N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
			...options.extraEnv,
		};
		step(`n8n ${baseEnv.N8N_RUNTIME_VERSION}: user folder ${userFolder}, package from ${tarball}`);
		const instance = new N8nInstance(line, env, port);
		instance.manualInstall = manualInstall;
		return instance;
	}

	cli(args: string[], timeoutMs = 180_000): Promise<ProcResult> {
		return run(String(this.env.N8N_BIN), args, { env: this.env, timeoutMs });
	}

	private writeJson(name: string, value: unknown): string {
		const file = join(this.userFolder, name);
		writeFileSync(file, JSON.stringify(value, null, 2));
		return file;
	}

	async importCredentials(credentials: CredentialJson[]): Promise<void> {
		const file = this.writeJson('credentials.json', credentials);
		await timed(`n8n ${this.version}: import:credentials`, async () => expectOk(await this.cli(['import:credentials', `--input=${file}`])));
	}

	async importWorkflows(workflows: WorkflowJson[]): Promise<void> {
		const dir = join(this.userFolder, 'workflows');
		mkdirSync(dir, { recursive: true });
		for (const workflow of workflows) writeFileSync(join(dir, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
		await timed(`n8n ${this.version}: import:workflow (${workflows.length})`, async () =>
			expectOk(await this.cli(['import:workflow', '--separate', `--input=${dir}`])),
		);
	}

	/**
	 * `n8n execute --id …`, its result read from the execution n8n stored in its database (see
	 * ./executions): n8n's stdout mixes the run's JSON with its log lines.
	 */
	async execute(workflowId: string): Promise<{ code: number | null; run: ExecutionRun; output: string; ms: number }> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		const output = result.stdout + result.stderr;
		const rows = await storedExecutions(this.env, workflowId, this.lastExecutionId);
		this.lastExecutionId = lastId(rows, this.lastExecutionId);
		return { code: result.code, run: settleExecution(rows, result.code, output), output, ms: result.ms };
	}

	async activate(workflowId: string): Promise<void> {
		const args =
			this.line === 2 ? ['publish:workflow', `--id=${workflowId}`] : ['update:workflow', `--id=${workflowId}`, '--active=true'];
		expectOk(await this.cli(args));
	}

	/**
	 * `n8n start` on 127.0.0.1; resolves once the REST API answers: n8n 1.x reports ready 6-10 s
	 * before its /rest routes exist (they answer 404 until then).
	 */
	async start(options: { echo?: boolean } = {}): Promise<void> {
		const t0 = Date.now();
		step(`n8n ${this.version}: starting on ${this.baseUrl} …`);
		const child = spawn(String(this.env.N8N_BIN), ['start'], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
		this.server = child;
		const onData = (chunk: Buffer) => {
			this.serverLog = (this.serverLog + chunk.toString('utf8')).slice(-20_000);
			if (options.echo) process.stderr.write(chunk);
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		const deadline = Date.now() + 180_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`n8n exited with code ${child.exitCode}\n${this.serverLog}`);
			try {
				const response = await fetch(`${this.baseUrl}/rest/settings`);
				if (response.ok) {
					step(`n8n ${this.version}: ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
					return;
				}
			} catch {
				// not listening yet
			}
			await new Promise((r) => setTimeout(r, 300));
		}
		throw new Error(`n8n did not become ready within 180 s\n${this.serverLog}`);
	}

	/**
	 * Creates the instance owner over n8n's REST API and returns the session cookie that the
	 * editor's own requests carry (n8n answers 401 to /types and /rest without it).
	 */
	async ownerSession(): Promise<string> {
		return await ownerSession(this.baseUrl);
	}

	/** The credential's Test button, as the editor presses it: `POST /rest/credentials/test`. */
	async testCredential(credential: CredentialJson): Promise<{ status: string; message: string }> {
		const cookie = await this.ownerSession();
		const response = await fetch(`${this.baseUrl}/rest/credentials/test`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie, 'browser-id': BROWSER_ID },
			body: JSON.stringify({ credentials: credential }),
		});
		const text = await response.text();
		if (response.status !== 200) throw new Error(`credential test: HTTP ${response.status} ${text}`);
		return (JSON.parse(text) as { data: { status: string; message: string } }).data;
	}

	get log(): string {
		return this.serverLog;
	}

	async stop(): Promise<void> {
		const child = this.server;
		this.server = undefined;
		if (!child || child.exitCode !== null) return;
		const exited = new Promise<void>((r) => child.once('exit', () => r()));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
		await exited;
		clearTimeout(timer);
	}

	async dispose(): Promise<void> {
		await this.stop();
		rmSync(this.userFolder, { recursive: true, force: true });
	}
}

export interface ManualInstall {
	node: string;
	npmOutput: string;
	ms: number;
	/** Top-level packages npm put into ~/.n8n/nodes/node_modules. */
	installed: string[];
}

/**
 * The README's manual install, as a user types it in a plain shell on this n8n's Node:
 * `mkdir -p ~/.n8n/nodes && cd ~/.n8n/nodes && npm install n8n-nodes-coze` (the packed
 * tarball standing in for the registry). No npm settings of this project's own npm scripts
 * reach it (cleanNpmEnv): their ignore-scripts would hide a failing peer build.
 */
export async function installAsReadmeSays(n8nFolder: string, tarball: string, runtime: NodeJS.ProcessEnv): Promise<ManualInstall> {
	const nodesDir = join(n8nFolder, 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	const env = cleanNpmEnv({ ...process.env, PATH: runtime.PATH ?? process.env.PATH });
	const node = (await runOrThrow('node', ['--version'], { env })).stdout.trim();
	const result = await timed(`npm install n8n-nodes-coze in ~/.n8n/nodes, as the README says (Node ${node})`, () =>
		run('npm', ['install', tarball, '--no-audit', '--no-fund'], { cwd: nodesDir, env, timeoutMs: 600_000 }),
	);
	const npmOutput = `${result.stdout}${result.stderr}`.trim();
	if (result.code !== 0) throw new Error(`the README's manual install failed on Node ${node} (npm exit ${result.code}):\n${npmOutput.slice(-3000)}`);
	const installed = readdirSync(join(nodesDir, 'node_modules')).filter((name) => !name.startsWith('.'));
	return { node, npmOutput, ms: result.ms, installed };
}

function expectOk(result: ProcResult): void {
	if (result.code !== 0) throw new Error(`n8n CLI failed (exit ${result.code}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
}

export function nodeOutput(runJson: ExecutionRun | undefined, nodeName: string): NodeRunItem[] {
	return runJson?.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [];
}
