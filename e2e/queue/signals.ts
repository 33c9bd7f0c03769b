/**
 * A worker stopped mid-batch: with SIGTERM (as `docker stop` does: it must finish what it runs,
 * then exit) and with SIGKILL (a crash: what n8n and Coze then see is reported, not judged,
 * except that no item may run twice and n8n's Retry must not send anything to Coze again).
 */
import { deepStrictEqual } from 'node:assert/strict';

import { BROWSER_ID, ownerSession } from '../../scripts/lib/n8n';
import { step } from '../../scripts/lib/log';
import { Batch, countBy, executionRows, fail, lastExecutionId, type QueueContext } from './batch';
import { finished, logEntry, started, type N8nProcess } from './cluster';
import { sleep } from './procs';
import { QUEUE_WORKFLOWS } from './workflows';

export const STOP = { calls: 15, items: 50, latencyMs: 400, termAfterMs: 1_000, killCalls: 20, killLatencyMs: 500, killAfterMs: 2_000 };

/** Starts a batch and resolves once `worker` has started one of its executions (and `afterMs` more). */
async function batchUnder(ctx: QueueContext, worker: N8nProcess, prefix: string, calls: number, latencyMs: number, afterMs: number) {
	ctx.emulator.latencyMs = latencyMs;
	const after = await lastExecutionId(ctx.pg);
	const ours = () => started(worker.proc).filter((id) => Number(id) > after);
	step(`${prefix}: ${calls} webhook calls × ${STOP.items} items (Coze answers in ${latencyMs} ms); waiting for ${worker.name} to start one …`);
	const batch = new Batch(ctx, QUEUE_WORKFLOWS.pat, prefix, calls, STOP.items);
	const deadline = Date.now() + 60_000;
	while (ours().length === 0) {
		if (Date.now() > deadline) fail(`${prefix}: ${worker.name} started no execution within 60 s`);
		await sleep(100);
	}
	await sleep(afterMs);
	const inFlight = ours().filter((id) => !finished(worker.proc).includes(id));
	return { batch, inFlight };
}

export async function sigtermScenario(ctx: QueueContext): Promise<void> {
	const worker = ctx.cluster.liveWorkers[1] ?? fail('sigterm: fewer than two workers are running');
	const { batch, inFlight } = await batchUnder(ctx, worker, 'sigterm', STOP.calls, STOP.latencyMs, STOP.termAfterMs);
	const sentAt = Date.now();
	step(`sigterm: SIGTERM to ${worker.name} (pid ${worker.proc.pid}) with executions ${inFlight.join(', ')} in flight`);
	worker.proc.signal('SIGTERM');
	const exited = await Promise.race([worker.proc.exited.then(() => true), sleep(60_000).then(() => false)]);
	await batch.done;
	const waiting = worker.proc.lines.map((line) => logEntry(line)?.message ?? '').find((message) => message.startsWith('Waiting for'));
	const problems = batch.problemsOfAnswers();
	const done = finished(worker.proc);
	const unfinished = inFlight.filter((id) => !done.includes(id));
	const rows = await executionRows(ctx.pg, inFlight);
	ctx.report(
		`sigterm: ${worker.name} had ${inFlight.length} executions in flight (${inFlight.join(', ')}); it logged "${waiting ?? 'no "Waiting for …" line'}", ` +
			`${exited ? `exited ${((Number(worker.proc.exitedAt) - sentAt) / 1000).toFixed(1)} s after the signal (${JSON.stringify(worker.proc.exit)})` : 'did NOT exit within 60 s'}; ` +
			`their status ${JSON.stringify(countBy([...rows.values()], (row) => row.status))}`,
	);
	ctx.report(
		`sigterm: ${STOP.calls - problems.length}/${STOP.calls} HTTP 200 with ${STOP.items} items in order, wall ${(batch.wallMs() / 1000).toFixed(1)} s; ` +
			`executions per worker ${JSON.stringify(batch.executionsPerWorker())}; runs per item ${JSON.stringify(batch.runsHistogram())}`,
	);
	if (inFlight.length === 0) fail(`sigterm: ${worker.name} had no execution in flight when it got SIGTERM`);
	if (!exited) fail(`sigterm: ${worker.name} did not exit within 60 s of SIGTERM`);
	if (unfinished.length > 0) fail(`sigterm: ${worker.name} exited without finishing executions ${unfinished.join(', ')}`);
	if (problems.length > 0) fail(`sigterm: ${problems.length} webhook calls went wrong:\n${problems.slice(0, 10).join('\n')}`);
	deepStrictEqual(batch.runsHistogram(), { 1: STOP.calls * STOP.items }, 'sigterm: runs per item (runs: items)');
	const t0 = Date.now();
	const replacement = await ctx.cluster.startWorker();
	ctx.report(`sigterm: replacement worker ${replacement.name} (hostname ${replacement.hostname ?? 'shared'}) ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

export async function sigkillScenario(ctx: QueueContext): Promise<void> {
	const { cluster } = ctx;
	const worker = cluster.liveWorkers[0] ?? fail('sigkill: no worker is running');
	if (cluster.liveWorkers.length < 2) fail('sigkill: fewer than two workers are running');
	const { batch, inFlight } = await batchUnder(ctx, worker, 'sigkill', STOP.killCalls, STOP.killLatencyMs, STOP.killAfterMs);
	const killedAt = Date.now();
	step(`sigkill: SIGKILL to ${worker.name}'s process group (pid ${worker.proc.pid}) with executions ${inFlight.join(', ')} in flight`);
	worker.proc.signal('SIGKILL', true);
	const answers = await Promise.race([batch.done, sleep(240_000).then(() => undefined)]);
	if (!answers) fail(`sigkill: the webhook calls had not all answered 240 s after the kill`);
	const after = (at: number | string) => `${((Number(at) - killedAt) / 1000).toFixed(1)} s`;

	const execOfCall = batch.executionOfCall();
	const killedCalls = [...execOfCall.entries()].filter(([, exec]) => inFlight.includes(exec)).map(([call]) => call);
	const otherCalls = [...Array(batch.calls).keys()].filter((call) => !killedCalls.includes(call));
	const rows = await executionRows(ctx.pg, [...new Set([...execOfCall.values(), ...inFlight])]);
	const message = await errorMessages(ctx, inFlight);
	const answerOf = (call: number) => batch.answers[call];
	const statusOf = (calls: number[]) =>
		countBy(calls, (call) => {
			const answer = answerOf(call);
			return answer?.status === 200 ? '200' : `${answer?.status} ${answer?.text.slice(0, 100)}`;
		});
	const times = killedCalls.map((call) => Number(answerOf(call)?.at)).sort((a, b) => a - b);
	ctx.report(
		`sigkill: ${worker.name} killed ${(STOP.killAfterMs / 1000).toFixed(0)} s after it started its first execution, with ${inFlight.length} in flight (${inFlight.join(', ')})`,
	);
	ctx.report(
		`sigkill: their webhook calls answered ${JSON.stringify(statusOf(killedCalls))} ${times.length ? `${after(times[0])}–${after(times[times.length - 1])} after the kill` : ''}; ` +
			`n8n stored them as ${JSON.stringify(countBy(inFlight, (id) => rows.get(id)?.status ?? 'missing'))}, stopped ` +
			`${inFlight.map((id) => (rows.get(id)?.stoppedAt ? after(Number(rows.get(id)?.stoppedAt) * 1000) : '-')).join(', ')} after the kill; message: ${message ?? 'none'}`,
	);
	ctx.report(
		`sigkill: the other ${otherCalls.length} calls answered ${JSON.stringify(statusOf(otherCalls))}, wall ${(batch.wallMs() / 1000).toFixed(1)} s; ` +
			`executions per worker ${JSON.stringify(batch.executionsPerWorker())}; their runs per item ${JSON.stringify(batch.runsHistogram(otherCalls))}`,
	);
	// What Coze saw of each killed execution.
	const requests = batch.requests();
	const runs = batch.runsByItem();
	for (const exec of inFlight) {
		const reached = new Set(requests.filter((request) => request.exec === exec).map((request) => request.requestId));
		const completed = [...reached].filter((id) => (runs.get(id) ?? 0) > 0).length;
		ctx.report(
			`sigkill: execution ${exec} (${rows.get(exec)?.status ?? '?'}): of ${batch.items} items ${reached.size} reached Coze, ${completed} completed, ` +
				`${reached.size - completed} cut off mid-run, ${batch.items - reached.size} never sent`,
		);
	}
	const sentTwice = Object.entries(countBy(requests, (request) => request.requestId)).filter(([, count]) => count > 1);
	const ranTwice = [...runs.entries()].filter(([, count]) => count > 1);
	ctx.report(`sigkill: ${requests.length} requests for ${new Set(requests.map((r) => r.requestId)).size} distinct items; sent twice: ${sentTwice.length}, ran twice: ${ranTwice.length}`);
	if (sentTwice.length + ranTwice.length > 0) fail(`sigkill: items reached Coze twice: ${JSON.stringify([...sentTwice, ...ranTwice].slice(0, 10))}`);
	await retryScenario(ctx, inFlight.find((id) => rows.get(id)?.status !== 'success'));
}

/** n8n's Retry (the executions list's "Retry with original workflow") of a killed execution. */
async function retryScenario(ctx: QueueContext, execution: string | undefined): Promise<void> {
	if (!execution) {
		ctx.report('sigkill: retry: no killed execution ended unsuccessfully, so there was nothing to retry');
		return;
	}
	const { emulator, cluster } = ctx;
	const cookie = await ownerSession(cluster.baseUrl);
	const before = emulator.requests.length;
	const t0 = Date.now();
	const response = await fetch(`${cluster.baseUrl}/rest/executions/${execution}/retry`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie, 'browser-id': BROWSER_ID },
		body: JSON.stringify({ loadWorkflow: false }),
		// n8n answers when the retried execution has ended.
		signal: AbortSignal.timeout(120_000),
	});
	const text = await response.text();
	const data = (() => {
		try {
			return (JSON.parse(text) as { data?: { id?: string; status?: string } }).data;
		} catch {
			return undefined;
		}
	})();
	await sleep(3_000); // anything the retry would send, sent by now
	const sent = emulator.requests.slice(before).filter((request) => request.path !== '/api/permission/oauth2/token');
	const stored = data?.id ? (await executionRows(ctx.pg, [String(data.id)])).get(String(data.id))?.status : undefined;
	ctx.report(
		`sigkill: retry of execution ${execution} (POST /rest/executions/${execution}/retry {loadWorkflow:false}): HTTP ${response.status} after ${((Date.now() - t0 - 3000) / 1000).toFixed(1)} s, ` +
			`new execution ${data?.id ?? '-'} status ${data?.status ?? '-'} (DB: ${stored ?? '-'}); requests it sent to Coze: ${sent.length}` +
			(response.ok ? '' : `; body ${text.slice(0, 300)}`),
	);
	if (sent.length > 0) fail(`sigkill: the retry sent ${sent.length} requests to Coze: ${sent.slice(0, 5).map((r) => `${r.method} ${r.path} ${r.rawBody.slice(0, 120)}`).join('; ')}`);
}

/** The error messages n8n stored for these executions (its run data is flatted JSON: strings stand alone). */
async function errorMessages(ctx: QueueContext, executions: string[]): Promise<string | undefined> {
	const ids = executions.filter((id) => /^\d+$/.test(id));
	if (ids.length === 0) return undefined;
	const found = new Set<string>();
	for (const [data] of await ctx.pg.query(`select data from execution_data where "executionId" in (${ids.join(',')})`)) {
		const strings = [...(data ?? '').matchAll(/"((?:[^"\\]|\\.){20,400})"/g)].map((match) => match[1]);
		const message = strings.find((text) => /^This execution/.test(text)) ?? strings.find((text) => / (failed|error|stalled)\b/i.test(text));
		if (message) found.add(message);
	}
	return found.size ? [...found].map((message) => `"${message}"`).join(' | ') : undefined;
}
