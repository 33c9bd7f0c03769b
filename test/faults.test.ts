/**
 * Many items fast and safely: bounded concurrency, safe retries, fault injection. The node runs
 * in n8n's engine against the emulator, which counts every run it starts, so each test can prove
 * that no item was lost, duplicated or run twice.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { CozeEmulator } from './emulator';
import { startCozeEmulator } from './emulator';
import type { CozeRunOutcome } from './harness/engine';
import { capturedLogs, runCozeNode, shutdownEngine } from './harness/engine';

const TOKEN = 'pat_faults_secret_token_0123456789';
const WF = '7398123456789012345';
let emulator: CozeEmulator;

beforeAll(async () => {
	emulator = await startCozeEmulator({ dialect: 'cloud', validTokens: [TOKEN] });
});
afterEach(() => emulator.reset());
afterAll(async () => {
	await emulator.close();
	await shutdownEngine();
});

async function run(count: number, options: INodeParameters = {}, extra: { continueOnFail?: boolean; mode?: string } = {}): Promise<CozeRunOutcome> {
	const outcome = await runCozeNode({
		items: Array.from({ length: count }, (_, n) => ({ n })),
		parameters: {
			operation: 'run',
			workflowId: { __rl: true, mode: 'id', value: WF },
			mode: extra.mode ?? 'sync',
			inputMode: 'keyValue',
			parameters: { parameter: [{ name: 'request_id', value: '={{ "item-" + $json.n }}' }] },
			options: { retryWait: 0.02, ...options },
		},
		credentials: { region: 'custom', baseUrl: emulator.url, accessToken: TOKEN },
		continueOnFail: extra.continueOnFail,
	});
	expect(JSON.stringify(outcome.run) + JSON.stringify(outcome.error ?? null) + capturedLogs.join('\n')).not.toContain(TOKEN);
	return outcome;
}

function expectEachItemRanOnce(count: number) {
	const byKey = emulator.runsByKey(WF);
	for (let n = 0; n < count; n++) expect([n, byKey.get(`item-${n}`)]).toEqual([n, 1]);
	expect(emulator.runCount(WF)).toBe(count);
}

function expectPairedInOrder(outcome: CozeRunOutcome, count: number) {
	expect(outcome.output.map((item) => item.pairedItem)).toEqual(Array.from({ length: count }, (_, item) => ({ item })));
}

describe('Max Concurrent Runs', () => {
	it.each([1, 5, 20])('keeps at most %d runs in flight, and the output in input order', async (concurrency) => {
		emulator.latencyMs = 40;
		const outcome = await run(60, { maxConcurrency: concurrency });
		expect(outcome.status).toBe('success');
		expect(emulator.maxConcurrentRuns(WF)).toBe(concurrency);
		expectPairedInOrder(outcome, 60);
		outcome.output.forEach((item, n) => expect((item.json.data as { parameters: unknown }).parameters).toEqual({ request_id: `item-${n}` }));
		expectEachItemRanOnce(60);
	});
});

describe('retries', () => {
	it('rides out a storm of rate limits (429, 4009, 4020) and runs each item once', async () => {
		emulator.queueFaults(WF, [
			{ kind: 'rateLimit', via: 'http429' },
			{ kind: 'rateLimit', via: 'code4009' },
			{ kind: 'rateLimit', via: 'code4020' },
			{ kind: 'rateLimit', via: 'http429' },
		]);
		const outcome = await run(3, { maxConcurrency: 1 });
		expect(outcome.status).toBe('success');
		expectEachItemRanOnce(3);
		expect(emulator.runRequestsOf(WF)).toHaveLength(7);
	});

	it("honours Retry-After", async () => {
		emulator.queueFaults(WF, [{ kind: 'rateLimit', via: 'http429', retryAfterSeconds: 1 }]);
		const started = Date.now();
		const outcome = await run(1, { retryWait: 0 });
		expect(outcome.status).toBe('success');
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expectEachItemRanOnce(1);
	});

	it('gives up after Max Attempts with a clear error', async () => {
		emulator.queueFaults(WF, Array.from({ length: 5 }, () => ({ kind: 'rateLimit' as const, via: 'code4009' as const })));
		const outcome = await run(1, { maxAttempts: 3 });
		expect(outcome.error?.message).toBe("Coze's request limit was reached (Coze code 4009)");
		expect(outcome.error?.description).toContain('Gave up after 3 attempts.');
		expect(emulator.runCount(WF)).toBe(0);
	});

	it.each([
		['resetMidResponse', 'The connection to 127.0.0.1'],
		['html502', 'Coze answered HTTP 502 with an HTML page'],
		['malformedJson', 'Coze answered HTTP 200 with a body that is not valid JSON'],
	] as const)('does not resend a run after %s, which may have run the workflow', async (kind, message) => {
		emulator.queueFaults(WF, [{ kind }]);
		const outcome = await run(1);
		expect(outcome.error?.message.startsWith(message)).toBe(true);
		expect(outcome.error?.description).toMatch(/not resent/);
		expect(emulator.runRequestsOf(WF)).toHaveLength(1);
	});

	it('does not resend a run after a stalled server times out', async () => {
		emulator.queueFaults(WF, [{ kind: 'stall' }]);
		const outcome = await run(1, { timeout: 1 });
		expect(outcome.error?.message).toBe('Coze did not answer within 1 s');
		expect(emulator.runRequestsOf(WF)).toHaveLength(1);
	});

	it('resends such a run only when Retry Runs That May Have Started is on', async () => {
		emulator.queueFaults(WF, [{ kind: 'html502' }, { kind: 'resetMidResponse' }]);
		const outcome = await run(1, { retryRunsThatMayHaveStarted: true });
		expect(outcome.status).toBe('success');
		expect(emulator.runCount(WF, 'item-0')).toBe(3);
	});

	it('does not resend a stream that was cut short', async () => {
		emulator.setStreamScenario(WF, { kind: 'truncated', afterEvents: 2 });
		const outcome = await run(1, {}, { mode: 'stream' });
		expect(outcome.error?.message).toBe('The stream from Coze ended before the workflow finished');
		expect(emulator.runRequestsOf(WF)).toHaveLength(1);
	});
});

describe('1 000 items with random failures under Continue On Fail', () => {
	it('gives one item per input, in order, with each failure in its place and nothing run twice', async () => {
		emulator.latencyMs = 2;
		emulator.setFaultRate(WF, {
			rate: 0.1,
			seed: 42,
			faults: [{ kind: 'rateLimit', via: 'http429' }, { kind: 'html502' }, { kind: 'malformedJson' }],
		});
		const outcome = await run(1000, { maxConcurrency: 20, maxAttempts: 4 }, { continueOnFail: true });
		expect(outcome.status).toBe('success');
		expect(outcome.output).toHaveLength(1000);
		expectPairedInOrder(outcome, 1000);
		const byKey = emulator.runsByKey(WF);
		let failed = 0;
		outcome.output.forEach((item, n) => {
			const runs = byKey.get(`item-${n}`) ?? 0;
			expect([n, runs]).toEqual([n, expect.any(Number)]);
			expect(runs).toBeLessThanOrEqual(1);
			if (item.json.error) {
				failed++;
				expect(item.pairedItem).toEqual({ item: n });
			} else {
				expect(runs).toBe(1);
				expect((item.json.data as { parameters: unknown }).parameters).toEqual({ request_id: `item-${n}` });
			}
		});
		expect(failed).toBeGreaterThan(50);
		expect(failed).toBeLessThan(200);
	}, 60_000);
});
