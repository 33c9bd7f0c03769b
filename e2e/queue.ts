/**
 * `npm run test:queue`: the packed package in a real n8n 2.x in queue mode — one `n8n start`
 * main and two `n8n worker --concurrency=5`, with Redis and PostgreSQL started here as plain
 * processes on random loopback ports (/work/shared/n8n-queue.md), Coze played by the project's
 * emulator in this process. Scenarios (./queue/): load over both workers, the OAuth (JWT) token
 * across workers, SIGTERM and SIGKILL of a worker mid-batch. Everything it started is stopped on
 * the way out (also on a failure or SIGINT), and checked gone.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { newOAuthKeyPair, startCozeEmulator, type CozeEmulator } from '../test/emulator';
import { elapsed, step, timed } from '../scripts/lib/log';
import { freePort, packPackage, runtimeEnv } from '../scripts/lib/n8n';
import { run } from '../scripts/lib/proc';
import { cozeCredential, cozeOAuthCredential } from '../scripts/lib/workflows';
import type { QueueContext } from './queue/batch';
import { Cluster, LOCKS, logEntry } from './queue/cluster';
import { Procs } from './queue/procs';
import { loadScenario, oauthScenario } from './queue/scenarios';
import { ensureServices, startPostgres, startRedis } from './queue/services';
import { sigkillScenario, sigtermScenario } from './queue/signals';
import { QUEUE_WORKFLOWS, queueWebhookWorkflow } from './queue/workflows';

const TOKEN = 'pat_queue_secret_token_0123456789';
const OAUTH_APP = { appId: '1154567890124', keyId: 'queue_public_key_fingerprint' };

const procs = new Procs();
const workDir = mkdtempSync(join(tmpdir(), 'n8n-nodes-coze-queue-'));
const summary: string[] = [];
const outcomes: Array<{ name: string; ok: boolean; ms: number; error?: string }> = [];
let emulator: CozeEmulator | undefined;
let cluster: Cluster | undefined;
let stopping: Promise<void> | undefined;

const report = (line: string) => {
	summary.push(line);
	step(line);
};

/** Set by SIGINT / SIGTERM: no further scenario starts, and everything is stopped at once. */
let interrupted: NodeJS.Signals | undefined;

async function scenario(name: string, work: () => Promise<void>): Promise<void> {
	if (interrupted) return;
	const t0 = Date.now();
	try {
		await work();
		outcomes.push({ name, ok: true, ms: Date.now() - t0 });
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		outcomes.push({ name, ok: false, ms: Date.now() - t0, error: interrupted ? `interrupted by ${interrupted}: ${message}` : message });
		step(`✕ ${name}: ${message.split('\n')[0]}`);
	}
}

/** Every socket of our processes (and of this one, the emulator's) is on loopback, listening or connected. */
async function socketsOnLoopback(): Promise<void> {
	const pids = new Set([...procs.pids(), process.pid]);
	const ss = await run('ss', ['-tuanpH'], { timeoutMs: 20_000 });
	if (ss.code !== 0) throw new Error(`ss failed: ${ss.stderr}`);
	const loopback = (address: string) => /^(127\.|\[::1\]|\[::ffff:127\.)/.test(address);
	const ours = ss.stdout.split('\n').filter((line) => [...line.matchAll(/pid=(\d+)/g)].some((m) => pids.has(Number(m[1]))));
	const outside = ours.filter((line) => {
		const [, state, , , local, peer] = line.trim().split(/\s+/);
		return !loopback(local) || (state !== 'LISTEN' && state !== 'UNCONN' && !loopback(peer));
	});
	report(`sockets: ${ours.length} of our processes' sockets seen by ss, ${outside.length} not on loopback`);
	if (outside.length > 0) throw new Error(`sockets off loopback:\n${outside.join('\n')}`);
}

async function setUp(): Promise<QueueContext> {
	const key = newOAuthKeyPair();
	const [bins, runtime, tarball] = await Promise.all([ensureServices(), runtimeEnv(2), packPackage()]);
	const [redis, pg] = await timed('Redis and PostgreSQL starting', () =>
		Promise.all([startRedis(procs, workDir, bins.redisServer), startPostgres(procs, workDir, bins.pgBin)]),
	);
	step(`Redis on 127.0.0.1:${redis.port}, PostgreSQL on 127.0.0.1:${pg.port}, work folder ${workDir}`);
	const coze = await startCozeEmulator({ dialect: 'cloud', validTokens: [TOKEN], oauthApps: [{ ...OAUTH_APP, publicKeyPem: key.publicKey }] });
	emulator = coze;
	step(`Coze emulator (cloud dialect, a PAT and an OAuth JWT app) on ${coze.url}`);
	const n8n = new Cluster(procs, workDir, runtime, redis, pg, await freePort());
	cluster = n8n;
	await n8n.installPackage(tarball, ['main', 'w1', 'w2']);
	await n8n.importAll(
		[
			cozeCredential({ region: 'custom', baseUrl: coze.url, accessToken: TOKEN }),
			cozeOAuthCredential({ region: 'custom', baseUrl: coze.url, audience: 'api.coze.cn', ...OAUTH_APP, privateKey: key.privateKey, accessToken: '' }),
		],
		[queueWebhookWorkflow(QUEUE_WORKFLOWS.pat, false), queueWebhookWorkflow(QUEUE_WORKFLOWS.oauth, true)],
	);
	await timed(`n8n ${runtime.N8N_RUNTIME_VERSION} main on ${n8n.baseUrl} and workers w1, w2 starting`, () =>
		Promise.all([n8n.startMain(), n8n.startWorker(), n8n.startWorker()]),
	);
	const warmUp = await n8n.warmUp(QUEUE_WORKFLOWS.pat.path);
	report(
		`setup: n8n ${runtime.N8N_RUNTIME_VERSION} main + ${n8n.workers.map((w) => `${w.name} (hostname ${w.hostname ?? 'shared'})`).join(' + ')}, ` +
			`Bull lock ${LOCKS.duration} ms / renew ${LOCKS.renew} ms / stalled check ${LOCKS.stalled} ms; first webhook 200 after ${(warmUp / 1000).toFixed(1)} s more; ready at ${elapsed()}`,
	);
	return { cluster: n8n, emulator: coze, pg, report };
}

/** What main said about the workers: their hostIds, and whether it saw two sharing one. */
function hostIds(): void {
	const lines = cluster?.main?.proc.lines ?? [];
	const ids = new Set(lines.flatMap((line) => {
		const workerId = logEntry(line)?.metadata.workerId;
		return typeof workerId === 'string' ? [workerId] : [];
	}));
	const shared = lines.some((line) => line.includes('sharing the same hostId'));
	report(`hostIds: main saw executions finished by ${[...ids].sort().join(', ') || 'none'}${shared ? '; it WARNED that instances share a hostId' : ''}`);
}

/** Stops everything this run started, once; keeps the logs of a failed run. */
function stopEverything(failed: boolean): Promise<void> {
	stopping ??= (async () => {
		await timed('stopping n8n, Redis and PostgreSQL', () => procs.stopAll(interrupted ? 8_000 : undefined)).catch((error: unknown) =>
			step(`stopping: ${String(error)}`),
		);
		await emulator?.close();
		if (failed && procs.all.length > 0) {
			const logs = mkdtempSync(join(tmpdir(), 'n8n-nodes-coze-queue-logs-'));
			for (const proc of procs.all) writeFileSync(join(logs, `${proc.name.replace(/\W+/g, '-')}.log`), proc.lines.join('\n'));
			step(`logs of the failed run: ${logs}`);
		}
		rmSync(workDir, { recursive: true, force: true });
		const left = procs.leftovers(workDir);
		report(`cleanup: ${left.length} processes left${left.length ? `:\n  ${left.join('\n  ')}` : ''}; work folder ${existsSync(workDir) ? 'STILL THERE' : 'removed'}`);
		if (left.length > 0 || existsSync(workDir)) outcomes.push({ name: 'cleanup', ok: false, ms: 0, error: 'processes or files left behind' });
	})();
	return stopping;
}

let printed = false;
function printSummary(t0: number): number {
	const failed = outcomes.filter((outcome) => !outcome.ok);
	if (printed) return failed.length;
	printed = true;
	process.stdout.write('\n== n8n queue mode: summary\n');
	for (const line of summary) process.stdout.write(`  ${line}\n`);
	process.stdout.write('\n');
	for (const outcome of outcomes) {
		process.stdout.write(`  ${outcome.ok ? '✓' : '✕'} ${outcome.name} (${(outcome.ms / 1000).toFixed(1)} s)\n`);
		if (outcome.error) process.stdout.write(`${outcome.error.split('\n').slice(0, 30).map((line) => `      ${line}`).join('\n')}\n`);
	}
	process.stdout.write(`\n${outcomes.length - failed.length} passed, ${failed.length} failed, total ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
	return failed.length;
}

const t0 = Date.now();

async function main(): Promise<number> {
	let ctx: QueueContext | undefined;
	try {
		await scenario('setup', async () => void (ctx = await setUp()));
		if (ctx) {
			const c = ctx;
			await scenario('load: 20 × 50 items, access token, over both workers', () => loadScenario(c));
			await scenario('OAuth (JWT): the token across workers, round 1 and round 2', () => oauthScenario(c));
			await scenario('SIGTERM of a worker mid-batch', () => sigtermScenario(c));
			await scenario('SIGKILL of a worker mid-batch', () => sigkillScenario(c));
			if (!interrupted) hostIds();
			await scenario('sockets on loopback only', socketsOnLoopback);
		}
	} finally {
		await stopEverything(interrupted !== undefined || outcomes.some((outcome) => !outcome.ok));
	}
	const failed = printSummary(t0);
	return interrupted ? 130 : failed === 0 ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		if (interrupted) {
			procs.killAllNow();
			process.exit(130);
		}
		interrupted = signal;
		step(`${signal}: stopping everything this run started …`);
		outcomes.push({ name: `interrupted by ${signal}`, ok: false, ms: 0 });
		// main() ends by itself once its step fails; if it is stuck, this ends the run.
		void stopEverything(true)
			.then(() => new Promise((resolve) => setTimeout(resolve, 10_000)))
			.then(() => {
				printSummary(t0);
				process.exit(130);
			});
	});
}
// Last resort (an exception that escaped everything): nothing of ours may outlive this process.
process.on('exit', () => {
	procs.killAllNow();
	rmSync(workDir, { recursive: true, force: true });
});

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(1);
	},
);
