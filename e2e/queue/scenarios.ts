/**
 * The load scenarios: 20 concurrent webhook calls × 50 items on two workers, with the access
 * token credential, then twice with the OAuth (JWT) credential whose token is empty at import.
 */
import { deepStrictEqual } from 'node:assert/strict';

import { step } from '../../scripts/lib/log';
import { Batch, countBy, executionRows, fail, type QueueContext } from './batch';
import { MAX_CONCURRENT_RUNS, QUEUE_WORKFLOWS } from './workflows';
import { WORKER_CONCURRENCY } from './cluster';

export const LOAD = { calls: 20, items: 50, latencyMs: 100 };

/** Runs a batch to its end and asserts what every scenario asserts: answers, and each item run once. */
async function loadBatch(ctx: QueueContext, prefix: string, oauth: boolean): Promise<Batch> {
	ctx.emulator.latencyMs = LOAD.latencyMs;
	ctx.emulator.resetConcurrency();
	const workflow = oauth ? QUEUE_WORKFLOWS.oauth : QUEUE_WORKFLOWS.pat;
	step(`${prefix}: ${LOAD.calls} webhook calls × ${LOAD.items} items at once (Coze answers in ${LOAD.latencyMs} ms) …`);
	const batch = new Batch(ctx, workflow, prefix, LOAD.calls, LOAD.items);
	await batch.done;
	const problems = batch.problemsOfAnswers();
	if (problems.length > 0) fail(`${prefix}: ${problems.length} of ${LOAD.calls} webhook calls went wrong:\n${problems.slice(0, 10).join('\n')}`);
	const histogram = batch.runsHistogram();
	deepStrictEqual(histogram, { 1: LOAD.calls * LOAD.items }, `${prefix}: runs per item (runs: items) should be {1: ${LOAD.calls * LOAD.items}}`);
	const executions = [...new Set(batch.executionOfCall().values())];
	const rows = await executionRows(ctx.pg, executions);
	const statuses = countBy([...rows.values()], (row) => `${row.status}/${row.mode}`);
	deepStrictEqual(statuses, { 'success/webhook': LOAD.calls }, `${prefix}: the executions n8n stored`);
	const maxInFlight = ctx.emulator.maxConcurrentRuns(workflow.cozeWorkflowId);
	const limit = ctx.cluster.liveWorkers.length * WORKER_CONCURRENCY * MAX_CONCURRENT_RUNS;
	if (maxInFlight > limit) fail(`${prefix}: ${maxInFlight} Coze runs were in flight at once, more than workers × concurrency × Max Concurrent Runs = ${limit}`);
	ctx.report(
		`${prefix}: ${LOAD.calls}/${LOAD.calls} HTTP 200 with ${LOAD.items} items in order; wall ${(batch.wallMs() / 1000).toFixed(1)} s, ${batch.callTimes()}; ` +
			`DB ${JSON.stringify(statuses)}; runs per item ${JSON.stringify(histogram)}; at most ${maxInFlight} Coze runs in flight (limit ${limit})`,
	);
	return batch;
}

export async function loadScenario(ctx: QueueContext): Promise<void> {
	const batch = await loadBatch(ctx, 'load', false);
	const perWorker = batch.executionsPerWorker();
	ctx.report(`load: executions per worker ${JSON.stringify(perWorker)}`);
	for (const worker of ctx.cluster.liveWorkers) {
		if (!(perWorker[worker.name] >= 1)) fail(`load: worker ${worker.name} ran no execution (split ${JSON.stringify(perWorker)})`);
	}
	if (perWorker.unknown) fail(`load: ${perWorker.unknown} executions are in no worker's log (split ${JSON.stringify(perWorker)})`);
}

export async function oauthScenario(ctx: QueueContext): Promise<void> {
	const { emulator } = ctx;
	/** T1, T2, …: the tokens in the order the emulator issued them. */
	const label = (authorization: string) => {
		const index = emulator.tokenRequests.findIndex((request) => request.ok && `Bearer ${request.accessToken}` === authorization);
		return index >= 0 ? `T${emulator.tokenRequests.slice(0, index + 1).filter((request) => request.ok).length}` : 'not issued by the emulator';
	};
	const rounds: Array<{ exchanges: number; refused: number; tokens: string[] }> = [];
	for (const round of [1, 2]) {
		const before = emulator.tokenRequests.length;
		const batch = await loadBatch(ctx, `oauth${round}`, true);
		const requests = emulator.tokenRequests.slice(before);
		const exchanges = requests.filter((request) => request.ok).length;
		const refused = requests.length - exchanges;
		const byWorker = ctx.cluster.executionsByWorker();
		const runs = batch.requests();
		/** token → worker → {executions, runs} */
		const usage = new Map<string, Map<string, { executions: Set<string>; runs: number }>>();
		for (const run of runs) {
			const token = label(run.authorization);
			const worker = byWorker.get(run.exec) ?? 'unknown';
			const perWorker = usage.get(token) ?? new Map<string, { executions: Set<string>; runs: number }>();
			usage.set(token, perWorker);
			const entry = perWorker.get(worker) ?? { executions: new Set<string>(), runs: 0 };
			perWorker.set(worker, entry);
			entry.executions.add(run.exec);
			entry.runs++;
		}
		const described = [...usage.entries()]
			.sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
			.map(([token, perWorker]) => {
				const parts = [...perWorker.entries()].sort().map(([worker, entry]) => `${worker}: ${entry.executions.size} executions / ${entry.runs} runs`);
				return `${token} (${parts.join(', ')})`;
			})
			.join('; ');
		ctx.report(
			`oauth${round}: token exchanges ${exchanges}${refused ? ` (+${refused} refused)` : ''}; executions per worker ${JSON.stringify(batch.executionsPerWorker())}; tokens used: ${described}`,
		);
		rounds.push({ exchanges, refused, tokens: [...usage.keys()] });
	}
	const [first, second] = rounds;
	// Executions of one process share the credential's token (transport/oauth.ts): each worker fetches at most one.
	const workers = new Set(ctx.cluster.executionsByWorker().values()).size;
	if (first.exchanges < 1 || first.exchanges > workers) fail(`oauth1: ${first.exchanges} token exchanges; expected between 1 and ${workers} (one per worker at most)`);
	if (second.exchanges + second.refused !== 0) fail(`oauth2: ${second.exchanges} token exchanges (+${second.refused} refused); a stored token should have been reused`);
	if (second.tokens.length !== 1) fail(`oauth2: the runs used ${second.tokens.length} tokens (${second.tokens.join(', ')}); expected one and the same token`);
	ctx.report(`oauth: round 2 ran on ${second.tokens[0]}, ${first.tokens.includes(second.tokens[0]) ? 'one of the tokens round 1 used' : 'a token round 1 did not use'}`);
}
