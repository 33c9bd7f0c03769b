/**
 * Pacing (transport/pacing.ts) in n8n's engine against an account that refuses runs beyond its
 * limit (emulator ratelimit.ts): every variant the docs leave open (in flight or per second;
 * HTTP 429 or code 4009 / 4020 in a 200; refused at once or after the latency) ends with every
 * item run exactly once, and with few refusals after the first, because the node lowers its own
 * concurrency instead of bouncing off the limit. Streams keep their place until they end.
 */
import type { RateLimitVia } from '../emulator';
import { expectPairedInOrder, useNumberedItems } from '../harness/parameters';

const TOKEN = 'pat_pacing_secret_token_0123456789';
const WF = '7398123456789012345';

describe('pacing against the account rate limit', () => {
	const { emulators, run, expectEachItemRanOnce } = useNumberedItems(TOKEN, WF);

	it.each<[RateLimitVia, boolean]>([
		['http429', false],
		['code4009', false],
		['code4020', true],
	])('in flight (%s, refused after the latency: %s): all items once, few refusals after the first burst', async (via, refuseAfterLatency) => {
		emulators.cloud.latencyMs = 40;
		emulators.cloud.setAccountRateLimit({ maxInFlight: 4, via, refuseAfterLatency });
		const outcome = await run(120, { maxConcurrency: 20, retryWait: 0.05, maxAttempts: 8 });
		expect(outcome.status).toBe('success');
		expectPairedInOrder(outcome, 120);
		expectEachItemRanOnce(120);
		// The first burst sends up to 20 (fewer on a busy machine, where the first answers come
		// back before the last items leave) and all but 4 are refused. Unpaced, every freed place
		// goes to the next item, most of which are refused too (125 to 180 here); paced, 22 to 32.
		const refusals = emulators.cloud.rateLimitRefusals;
		expect(refusals).toBeGreaterThan(4);
		expect(refusals).toBeLessThan(60);
	}, 30_000);

	it('per second: all items once, and refusals stay well under one per item', async () => {
		emulators.cloud.latencyMs = 20;
		emulators.cloud.setAccountRateLimit({ perSecond: 40 });
		const outcome = await run(120, { maxConcurrency: 20, retryWait: 0.3, maxAttempts: 8 });
		expect(outcome.status).toBe('success');
		expectEachItemRanOnce(120);
		// Each time the second's budget is spent, what is in flight is refused. Unpaced, the
		// refused places went straight to the next items, which were refused as well (about 95
		// here); paced, new requests wait for answers or for Retry Wait (about 55).
		expect(emulators.cloud.rateLimitRefusals).toBeLessThan(75);
	}, 30_000);

	it('a stream keeps its place until it ends, so streamed runs are paced as well', async () => {
		emulators.cloud.setStreamScenario(WF, { kind: 'many', count: 10, delayMs: 10 });
		emulators.cloud.setAccountRateLimit({ maxInFlight: 3 });
		const outcome = await run(30, { maxConcurrency: 10, retryWait: 0.05, maxAttempts: 8 }, { mode: 'stream' });
		expect(outcome.status).toBe('success');
		expectEachItemRanOnce(30);
		// Had the place been given back with the headers, each round would send 10 streams (about 55 refused; 13 to 14 here).
		expect(emulators.cloud.rateLimitRefusals).toBeLessThan(25);
	}, 30_000);

	it('sends nothing more once n8n cancels: neither the items waiting for a place nor those not yet started', async () => {
		emulators.cloud.latencyMs = 300;
		emulators.cloud.setAccountRateLimit({ maxInFlight: 2 });
		const outcome = await run(12, { maxConcurrency: 6, retryWait: 0.05 }, { cancelAfterMs: 450 });
		expect(outcome.status).not.toBe('success');
		const sentAtCancel = emulators.cloud.runRequestsOf(WF).length;
		// 6 at the start (4 refused at once), then the 2 places in turn: 2 more at about 300 ms.
		expect(sentAtCancel).toBeGreaterThanOrEqual(6);
		expect(sentAtCancel).toBeLessThanOrEqual(10);
		// Two answers' time: the items still queued or unstarted would have gone by now.
		await new Promise((resolve) => setTimeout(resolve, 700));
		expect(emulators.cloud.runRequestsOf(WF)).toHaveLength(sentAtCancel);
	}, 30_000);
});
