/**
 * n8n in queue mode on one machine: one `n8n start` main and `n8n worker --concurrency=5`
 * processes sharing Redis, PostgreSQL and one encryption key, each with its own user folder
 * (the packed package installed in it, as separate containers would have), its own task-broker
 * port and, through `unshare --uts`, its own hostname so that n8n gives each worker its own
 * hostId. The environment is /work/shared/n8n-queue.md's, with shorter Bull locks (trap 8).
 */
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { freePort, installAsReadmeSays, type CredentialJson, type WorkflowJson } from '../../scripts/lib/n8n';
import { run, type ProcResult } from '../../scripts/lib/proc';
import { step, timed } from '../../scripts/lib/log';
import type { Postgres, Redis } from './services';
import { sleep, type Proc, type Procs } from './procs';

/** Bull's job lock and stalled check (ms), lowered together for every process (trap 8). */
export const LOCKS = { duration: 15_000, renew: 5_000, stalled: 5_000 };
export const WORKER_CONCURRENCY = 5;

export interface N8nProcess {
	/** `main`, `w1`, `w2`, … */
	name: string;
	/** The hostname it runs under (undefined when `unshare --uts` is not available). */
	hostname?: string;
	proc: Proc;
}

export class Cluster {
	readonly port: number;
	private readonly base: NodeJS.ProcessEnv;
	readonly workers: N8nProcess[] = [];
	main?: N8nProcess;
	private workerCount = 0;
	/** Whether `unshare --uts` can give each process its own hostname here. */
	private utsNamespaces = false;

	constructor(
		private readonly procs: Procs,
		private readonly workDir: string,
		runtime: NodeJS.ProcessEnv,
		redis: Redis,
		pg: Postgres,
		port: number,
	) {
		this.port = port;
		this.base = {
			...runtime,
			N8N_ENCRYPTION_KEY: `n8n-nodes-coze-queue-${Date.now()}`,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			QUEUE_WORKER_LOCK_DURATION: String(LOCKS.duration),
			QUEUE_WORKER_LOCK_RENEW_TIME: String(LOCKS.renew),
			QUEUE_WORKER_STALLED_INTERVAL: String(LOCKS.stalled),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: pg.database,
			DB_POSTGRESDB_USER: pg.user,
			DB_POSTGRESDB_PASSWORD: pg.password,
			N8N_HOST: '127.0.0.1',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_PORT: String(port),
			N8N_PROTOCOL: 'http',
			N8N_SECURE_COOKIE: 'false',
			N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_FORMAT: 'json',
			N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '30',
		};
		// Trap 7: this would override `worker --concurrency`.
		delete this.base.N8N_CONCURRENCY_PRODUCTION_LIMIT;
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	private folder(name: string): string {
		return join(this.workDir, `n8n-${name}`);
	}

	/** The packed package, installed the README's way once and copied into each user folder. */
	async installPackage(tarball: string, names: string[]): Promise<void> {
		const [first, ...others] = names;
		const install = await installAsReadmeSays(join(this.folder(first), '.n8n'), tarball, this.base);
		step(`n8n-nodes-coze installed in n8n-${first} (${install.installed.join(', ')}, ${(install.ms / 1000).toFixed(1)} s)`);
		for (const name of others) this.copyPackage(first, name);
		const probe = await run('unshare', ['--uts', 'sh', '-c', 'hostname "$0" && hostname', 'qm-probe'], { timeoutMs: 10_000 }).catch(
			(): ProcResult => ({ code: -1, stdout: '', stderr: 'unshare not found', ms: 0 }),
		);
		this.utsNamespaces = probe.code === 0 && probe.stdout.trim() === 'qm-probe';
		if (!this.utsNamespaces) {
			step(`WARNING: unshare --uts is not available here (${probe.stderr.trim() || probe.stdout.trim()}): all workers share one hostname, so n8n gives them one hostId`);
		}
	}

	private copyPackage(from: string, to: string): void {
		const target = join(this.folder(to), '.n8n', 'nodes');
		if (existsSync(target)) return;
		mkdirSync(join(this.folder(to), '.n8n'), { recursive: true });
		cpSync(join(this.folder(from), '.n8n', 'nodes'), target, { recursive: true });
	}

	private async envFor(name: string): Promise<NodeJS.ProcessEnv> {
		return { ...this.base, N8N_USER_FOLDER: this.folder(name), N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
	}

	/** An n8n CLI command with the main's settings (each boots n8n: about 3-5 s). */
	async cli(args: string[]): Promise<void> {
		const result = await run(String(this.base.N8N_BIN), args, { env: await this.envFor('main'), timeoutMs: 180_000 });
		if (result.code !== 0) throw new Error(`n8n ${args[0]} failed (exit ${result.code}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
	}

	/** Credentials and workflows into Postgres; `active: true` workflows are published on import (queue mode only). */
	async importAll(credentials: CredentialJson[], workflows: WorkflowJson[]): Promise<void> {
		const dir = join(this.workDir, 'import');
		mkdirSync(join(dir, 'workflows'), { recursive: true });
		writeFileSync(join(dir, 'credentials.json'), JSON.stringify(credentials, null, 2));
		for (const workflow of workflows) writeFileSync(join(dir, 'workflows', `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
		await timed('n8n import:credentials (runs the migrations)', () => this.cli(['import:credentials', `--input=${join(dir, 'credentials.json')}`]));
		await timed(`n8n import:workflow (${workflows.length})`, () =>
			this.cli(['import:workflow', '--separate', `--input=${join(dir, 'workflows')}`]),
		);
		for (const workflow of workflows) {
			await timed(`n8n publish:workflow --id=${workflow.id}`, () => this.cli(['publish:workflow', `--id=${workflow.id}`]));
		}
	}

	private spawn(name: string, args: string[], env: NodeJS.ProcessEnv): N8nProcess {
		const n8n = String(this.base.N8N_BIN);
		const hostname = this.utsNamespaces ? `qm-${name}` : undefined;
		// Trap 3: its own hostname, as its own container would have; `exec` keeps n8n's PID.
		const [command, argv] = hostname
			? ['unshare', ['--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', hostname, n8n, ...args]]
			: [n8n, args];
		const proc = this.procs.start(`n8n ${name}`, command, argv as string[], { env, cwd: this.folder(name), tier: 1 });
		return { name, hostname, proc };
	}

	/** `n8n start`; resolves once it says it is ready (the webhook is polled separately). */
	async startMain(): Promise<N8nProcess> {
		this.main = this.spawn('main', ['start'], await this.envFor('main'));
		await this.main.proc.waitFor(/Editor is now accessible/, 180_000, '"Editor is now accessible"');
		return this.main;
	}

	/** Starts the next worker (w1, w2, … each with its own user folder); resolves once it is ready. */
	async startWorker(): Promise<N8nProcess> {
		const name = `w${++this.workerCount}`;
		this.copyPackage('main', name);
		const worker = this.spawn(name, ['worker', `--concurrency=${WORKER_CONCURRENCY}`], await this.envFor(name));
		this.workers.push(worker);
		await worker.proc.waitFor(/n8n worker is now ready/, 180_000, '"n8n worker is now ready"');
		return worker;
	}

	get liveWorkers(): N8nProcess[] {
		return this.workers.filter((worker) => worker.proc.running);
	}

	/** Which worker started each execution, from the workers' JSON logs. */
	executionsByWorker(): Map<string, string> {
		const byExecution = new Map<string, string>();
		for (const worker of this.workers) {
			for (const execution of started(worker.proc)) byExecution.set(execution, worker.name);
		}
		return byExecution;
	}

	/** Polls the webhook with one row until it answers 200 (trap 5: readiness is not activation). */
	async warmUp(path: string, timeoutMs = 120_000): Promise<number> {
		const t0 = Date.now();
		let last = '';
		while (Date.now() - t0 < timeoutMs) {
			try {
				const response = await postWebhook(this.baseUrl, path, [{ request_id: `warmup-${path}-${Date.now()}` }]);
				if (response.status === 200) return Date.now() - t0;
				last = `HTTP ${response.status} ${response.text.slice(0, 200)}`;
			} catch (error) {
				last = error instanceof Error ? error.message : String(error);
			}
			await sleep(500);
		}
		throw new Error(`the webhook ${path} did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`);
	}
}

/** One line of n8n's JSON log (N8N_LOG_FORMAT=json), or undefined for other output. */
export function logEntry(line: string): { message: string; metadata: Record<string, unknown> } | undefined {
	if (!line.startsWith('{')) return undefined;
	try {
		const parsed = JSON.parse(line) as { message?: unknown; metadata?: Record<string, unknown> };
		return typeof parsed.message === 'string' ? { message: parsed.message, metadata: parsed.metadata ?? {} } : undefined;
	} catch {
		return undefined;
	}
}

function executionsLogged(proc: Proc, verb: 'started' | 'finished'): string[] {
	const pattern = new RegExp(`^Worker ${verb} execution (\\d+) \\(job`);
	return proc.lines.flatMap((line) => {
		const match = pattern.exec(logEntry(line)?.message ?? '');
		return match ? [match[1]] : [];
	});
}

export const started = (proc: Proc): string[] => executionsLogged(proc, 'started');
export const finished = (proc: Proc): string[] => executionsLogged(proc, 'finished');

export interface WebhookAnswer {
	status: number;
	text: string;
	ms: number;
	/** When the answer came (Date.now()). */
	at: number;
}

export async function postWebhook(baseUrl: string, path: string, rows: unknown[]): Promise<WebhookAnswer> {
	const t0 = Date.now();
	const response = await fetch(`${baseUrl}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ rows }),
	});
	const text = await response.text();
	return { status: response.status, text, ms: Date.now() - t0, at: Date.now() };
}
