/**
 * An account-wide rate limit, as Coze enforces one per plan: coze-api.md §5.4 (from the docs'
 * API overview, coze_api_overview) gives "Workflow run, stream_run, workflows/chat, run_histories:
 * 50 QPS" on a free plan and more on paid ones. The docs are silent on two things, so each
 * plausible variant is served (`CozeEmulator.setAccountRateLimit`):
 *
 * - WHAT is limited. The docs say QPS (`perSecond`: requests accepted in the last 1 000 ms); a
 *   gateway that counts runs still in flight is just as plausible for long runs (`maxInFlight`:
 *   accepted run requests whose answer is not finished). Both may be set; either refuses.
 * - HOW a refusal looks (§5.4: "not documented; candidates are 4008/4009/4020 in the body or HTTP
 *   429"): `via` is one of the three shapes of faults.ts (HTTP 429 + 4009, HTTP 200 + 4009, HTTP
 *   200 + 4020), optionally with Retry-After; and WHEN it comes: at once (`refuseAfterLatency`
 *   false, a gateway refusing before any work) or after `latencyMs` like any answer.
 *
 * Only run-type requests of a routed path that pass auth are concerned (faults.ts step 1 and 3);
 * a refused request is not a run and is counted in `rateLimitRefusals`.
 */
import type { ServerResponse } from 'node:http';

import { whenAnswerEnds } from './accounting';
import type { EmulatorState } from './core';
import type { AccountRateLimit, Fault } from './types';

export interface RateLimitState {
	limit?: AccountRateLimit;
	inFlight: number;
	/** Arrival times (ms) of the requests accepted in the last second, oldest first. */
	acceptedAt: number[];
	refusals: number;
}

export function newRateLimitState(): RateLimitState {
	return { inFlight: 0, acceptedAt: [], refusals: 0 };
}

export function checkAccountRateLimit(limit: AccountRateLimit | undefined): void {
	if (limit === undefined) return;
	for (const key of ['maxInFlight', 'perSecond'] as const) {
		const v = limit[key];
		if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new RangeError(`setAccountRateLimit: ${key} must be an integer >= 1`);
	}
	if (limit.maxInFlight === undefined && limit.perSecond === undefined) {
		throw new RangeError('setAccountRateLimit: set maxInFlight, perSecond or both (undefined removes the limit)');
	}
}

/**
 * The refusal for this request, or undefined when the account still has room: then the request
 * is counted as accepted (in flight until its answer is finished or its connection closes).
 */
export function accountLimitFault(state: EmulatorState, res: ServerResponse): Fault | undefined {
	const rl = state.rateLimit;
	const limit = rl.limit;
	if (!limit) return undefined;
	const now = Date.now();
	while (rl.acceptedAt.length > 0 && rl.acceptedAt[0] <= now - 1000) rl.acceptedAt.shift();
	const full =
		(limit.maxInFlight !== undefined && rl.inFlight >= limit.maxInFlight) ||
		(limit.perSecond !== undefined && rl.acceptedAt.length >= limit.perSecond);
	if (full) {
		rl.refusals++;
		return { kind: 'rateLimit', via: limit.via ?? 'http429', retryAfterSeconds: limit.retryAfterSeconds };
	}
	rl.acceptedAt.push(now);
	rl.inFlight++;
	whenAnswerEnds(res, () => rl.inFlight--);
	return undefined;
}
