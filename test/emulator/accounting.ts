/**
 * Run accounting: which inputs the emulator actually ran (to prove that no input ran twice) and
 * how many run requests of a workflow were in flight at once (to prove that a concurrency limit is
 * kept). Read through `CozeEmulator.runCount` / `runsByKey` / `maxConcurrentRuns`.
 *
 * A RUN is counted when a handler starts a NEW execution of the workflow (a new execute id):
 * `POST /v1/workflow/run` (sync and async), `/v1/workflow/stream_run` and `/v1/workflows/chat`
 * (not a chat that answers an open question: that continues the same execution, like a resume),
 * and Studio's sync run that stops at an interrupt (it ran, then answered 6039). So a request that
 * is refused — by auth, by a `rateLimit` fault, by validation (4000, HTTP 400, …), as unpublished,
 * as 6003, or by a transport scenario (`html`, `hang`, `redirect`, …) — is not a run; the other
 * faults (`resetMidResponse`, `stall`, `html502`, `malformedJson`) let the run happen first, so it
 * is one. Resumes (`stream_resume`, `workflows/resume`) never count.
 *
 * The KEY of a run is `runKey(parameters)`: the value of `parameters.request_id` (String()) when it
 * is a string or a number, else the canonical JSON of the parameters object (object keys sorted,
 * recursively; arrays in order). For a chat flow, the parameters are completed with
 * `USER_INPUT` = the last user message (the chat's real input, coze-api.md §2.6) unless they
 * already have one.
 */
import type { ServerResponse } from 'node:http';

import type { EmulatorState } from './core';
import { isJsonObject, toJson } from './json';

/** The key a run of these parameters is counted under (see the module comment). */
export function runKey(parameters: unknown): string {
	if (isJsonObject(parameters)) {
		const id = parameters.request_id;
		if (typeof id === 'string' || typeof id === 'number') return String(id);
	}
	return toJson(sortKeys(parameters ?? {}));
}

function sortKeys(v: unknown): unknown {
	if (Array.isArray(v)) return v.map(sortKeys);
	if (!isJsonObject(v)) return v;
	const out: Record<string, unknown> = {};
	for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
	return out;
}

/** Counts one run of `workflowId` with these parameters. */
export function countRun(state: EmulatorState, workflowId: string, parameters: unknown): void {
	let byKey = state.runCounts.get(workflowId);
	if (!byKey) {
		byKey = new Map();
		state.runCounts.set(workflowId, byKey);
	}
	const key = runKey(parameters);
	byKey.set(key, (byKey.get(key) ?? 0) + 1);
}

export function runCountOf(state: EmulatorState, workflowId: string, key?: string): number {
	const byKey = state.runCounts.get(workflowId);
	if (!byKey) return 0;
	if (key !== undefined) return byKey.get(key) ?? 0;
	let n = 0;
	for (const c of byKey.values()) n += c;
	return n;
}

// ---------------------------------------------------------------- concurrency

export interface Concurrency {
	/** Run requests of the workflow being handled right now. */
	current: number;
	/** Highest `current` seen since the start / the last `resetConcurrency()`. */
	max: number;
}

/**
 * Counts a run request of `workflowId` as in flight until its response is finished or its
 * connection closed (whichever comes first; a stalled request stays in flight until the client
 * aborts or the emulator closes).
 */
export function trackInFlight(state: EmulatorState, workflowId: string, res: ServerResponse): void {
	let c = state.concurrency.get(workflowId);
	if (!c) {
		c = { current: 0, max: 0 };
		state.concurrency.set(workflowId, c);
	}
	const entry = c;
	entry.current++;
	if (entry.current > entry.max) entry.max = entry.current;
	whenAnswerEnds(res, () => entry.current--);
}

/** Calls `leave` once, when the answer is finished or its connection closes, whichever comes first. */
export function whenAnswerEnds(res: ServerResponse, leave: () => void): void {
	let done = false;
	const once = (): void => {
		if (done) return;
		done = true;
		res.off('finish', once);
		res.off('close', once);
		leave();
	};
	res.once('finish', once);
	res.once('close', once);
}

/** Forgets the maxima: each becomes the number of requests in flight now (those are still counted when they end). */
export function resetConcurrency(state: EmulatorState): void {
	for (const c of state.concurrency.values()) c.max = c.current;
}
