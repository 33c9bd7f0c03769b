/**
 * A broken or hostile server. Every wait ends within its limit, whatever the server does: silent
 * before the headers (stream, chat), trickling one byte a second (a waited-for run), or asking to
 * retry after days; each test times the item from the outside and checks that nothing that may
 * have run was resent. And a token the server echoes back appears in nothing the node emits.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { CozeEmulator } from './emulator';
import { startCozeEmulator } from './emulator';
import { capturedLogs, runCozeNode, shutdownEngine } from './harness/engine';

const TOKEN = 'pat_deadlines_secret_token_0123456789';
const WF = '7398123456789012377';
/** What an item may take beyond its Timeout: n8n's start-up of the node and the watchdog's step. */
const MARGIN_MS = 2500;
let emulator: CozeEmulator;

beforeAll(async () => {
	emulator = await startCozeEmulator({ dialect: 'cloud', validTokens: [TOKEN] });
});
afterEach(() => emulator.reset());
afterAll(async () => {
	await emulator.close();
	await shutdownEngine();
});

async function timedRun(parameters: INodeParameters) {
	const started = Date.now();
	const outcome = await runCozeNode({
		items: [{ city: '杭州' }] as never,
		parameters,
		credentials: { region: 'custom', baseUrl: emulator.url, accessToken: TOKEN },
	});
	expect(JSON.stringify(outcome.run) + JSON.stringify(outcome.error ?? null) + capturedLogs.join('\n')).not.toContain(TOKEN);
	return { outcome, ms: Date.now() - started };
}

const runWith = (mode: string, options: INodeParameters): INodeParameters => ({
	operation: 'run',
	workflowId: { __rl: true, mode: 'id', value: WF },
	mode,
	inputMode: 'keyValue',
	parameters: { parameter: [{ name: 'city', value: '={{ $json.city }}' }] },
	options,
});

/** The highest RSS seen while `work` runs, above what it was before, in MB. */
async function peakRssGrowthMb<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
	global.gc?.();
	const before = process.memoryUsage().rss;
	let peak = before;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
	try {
		const result = await work();
		peak = Math.max(peak, process.memoryUsage().rss);
		return { result, growthMb: (peak - before) / 1024 / 1024 };
	} finally {
		clearInterval(sampler);
	}
}

describe('deadlines', () => {
	it('ends a stream whose server never sends headers within Timeout, though Idle Timeout is longer', async () => {
		emulator.queueFaults(WF, [{ kind: 'stall' }]);
		const { outcome, ms } = await timedRun(runWith('stream', { streamTimeout: 3, idleTimeout: 120 }));
		expect(outcome.error?.message).toBe('The workflow did not finish within 3 s');
		expect(outcome.error?.description).toContain('not resent automatically');
		expect(ms).toBeGreaterThanOrEqual(3000);
		expect(ms).toBeLessThan(3000 + MARGIN_MS);
		expect(emulator.streamsOf(WF)).toHaveLength(1);
	});

	it('ends a chat whose server never sends headers within Timeout', async () => {
		emulator.queueFaults(WF, [{ kind: 'stall' }]);
		const { outcome, ms } = await timedRun({
			operation: 'chat',
			workflowId: { __rl: true, mode: 'id', value: WF },
			message: '明天天气？',
			chatOwner: 'app',
			appId: '7400000000000000002',
			options: { timeout: 2, idleTimeout: 120 },
		});
		expect(outcome.error?.message).toBe('The workflow did not finish within 2 s');
		expect(ms).toBeLessThan(2000 + MARGIN_MS);
	});

	it('ends a resume whose server never sends headers within Timeout, and does not resend it', async () => {
		emulator.queueFaults(WF, [{ kind: 'stall' }]);
		const { outcome, ms } = await timedRun({
			operation: 'resume',
			workflowId: { __rl: true, mode: 'id', value: WF },
			eventId: '7560000000000000001/7560000000000000002',
			interruptType: 2,
			resumeData: 'Hangzhou',
			pausedIn: 'stream',
			options: { timeout: 2, idleTimeout: 120 },
		});
		expect(outcome.error?.message).toBe('The workflow did not finish within 2 s');
		expect(ms).toBeLessThan(2000 + MARGIN_MS);
		expect(emulator.requests.filter((request) => request.path.includes('resume'))).toHaveLength(1);
	});

	it('ends a waited-for run whose answer trickles in one byte at a time within Timeout', async () => {
		emulator.queueFaults(WF, [{ kind: 'trickle', intervalMs: 300 }]);
		const { outcome, ms } = await timedRun(runWith('sync', { timeout: 3 }));
		expect(outcome.error?.message).toBe('Coze did not answer within 3 s');
		expect(outcome.error?.description).toContain('not resent');
		expect(ms).toBeGreaterThanOrEqual(3000);
		expect(ms).toBeLessThan(3000 + MARGIN_MS);
		expect(emulator.runRequestsOf(WF)).toHaveLength(1);
	});

	it('ends a Get Run Result whose answer trickles in within Timeout, retries included', async () => {
		emulator.queueHistoryFaults(WF, [{ kind: 'trickle', intervalMs: 300 }, { kind: 'trickle', intervalMs: 300 }]);
		const { outcome, ms } = await timedRun({
			operation: 'getRunResult',
			workflowId: { __rl: true, mode: 'id', value: WF },
			executeId: '7560000000000000123',
			options: { timeout: 3 },
		});
		expect(outcome.error?.message).toBe('Coze did not answer within 3 s');
		expect(ms).toBeGreaterThanOrEqual(3000);
		expect(ms).toBeLessThan(3000 + MARGIN_MS);
	});

	it('does not wait out a Retry-After that would pass the Timeout, and says so', async () => {
		emulator.queueFaults(WF, [{ kind: 'rateLimit', via: 'http429', retryAfterSeconds: 999999 }]);
		const { outcome, ms } = await timedRun(runWith('sync', { timeout: 5 }));
		expect(outcome.error?.message).toBe("Coze's request limit was reached (Coze code 4009)");
		expect(outcome.error?.description).toContain('Not retried: the next attempt would come 60 s from now, past the Timeout of 5 s');
		expect(ms).toBeLessThan(MARGIN_MS);
		expect(emulator.runRequestsOf(WF)).toHaveLength(1);
	});

	it('still retries a short Retry-After that fits in the Timeout', async () => {
		emulator.queueFaults(WF, [{ kind: 'rateLimit', via: 'http429', retryAfterSeconds: 1 }]);
		const { outcome } = await timedRun(runWith('sync', { timeout: 10 }));
		expect(outcome.status).toBe('success');
		expect(emulator.runCount(WF)).toBe(1);
	});
});

describe('a server that echoes the token', () => {
	// timedRun asserts for every run that the token is nowhere in the run data, the error or the log.
	it.each([
		['a waited-for run', 'sync', {}],
		['a stream', 'stream', {}],
	] as const)('keeps it out of %s: the log ID header, the data and the debug URL', async (_name, mode, options) => {
		emulator.queueFaults(WF, [{ kind: 'echoToken' }]);
		const { outcome } = await timedRun(runWith(mode, options));
		expect(outcome.status).toBe('success');
		const json = outcome.output[0].json;
		expect(json.data).toEqual({ echo: '***' });
		expect(json.logid).toBe('2026***');
		expect(String(json.debug_url)).toContain('leak=***');
	});

	it.each([
		['a waited-for run', 'sync'],
		['a stream', 'stream'],
	] as const)("keeps it out of %s's error message and description", async (_name, mode) => {
		emulator.queueFaults(WF, [{ kind: 'echoToken', inError: true }]);
		const { outcome } = await timedRun(runWith(mode, {}));
		expect(outcome.status).toBe('error');
		expect(outcome.error?.description).toContain('invalid parameter near ***');
		expect(outcome.error?.description).toContain('Log ID: 2026***');
	});
});

describe('a server that floods the stream', () => {
	it('closes a stream at an event larger than 32 MB, naming the limit', async () => {
		emulator.setStreamScenario(WF, { kind: 'garbledMessage', data: 'x'.repeat(33 * 1024 * 1024) });
		const { outcome } = await timedRun(runWith('stream', {}));
		expect(outcome.error?.message).toBe('Coze sent a stream event larger than the Max Answer Size of 32 MB');
		expect(outcome.error?.description).toContain('not resent automatically');
	});

	it('closes a stream whose unfinished output passes 32 MB, naming the limit', async () => {
		emulator.setStreamScenario(WF, { kind: 'many', count: 2000, chunkText: 'y'.repeat(64 * 1024) });
		const { result, growthMb } = await peakRssGrowthMb(async () => await timedRun(runWith('stream', {})));
		const { outcome } = result;
		expect(outcome.error?.message).toBe('The streamed output passed the Max Answer Size of 32 MB before the workflow finished');
		// 32 MB of text kept as UTF-16 and what reading it costs: nowhere near the 125 MB the server would have sent.
		expect(growthMb).toBeLessThan(300);
		expect(emulator.streamsOf(WF)).toHaveLength(1);
	});
});

describe('a server that sends without end', () => {
	it('stops a JSON answer that never ends at Max Answer Size, long before its Timeout, with memory bounded', async () => {
		emulator.queueFaults(WF, [{ kind: 'endlessBody' }]);
		const { result, growthMb } = await peakRssGrowthMb(async () => await timedRun(runWith('sync', { timeout: 60 })));
		const { outcome, ms } = result;
		expect(outcome.error?.message).toBe("Coze's answer passed the Max Answer Size of 32 MB");
		expect(outcome.error?.description).toContain('Raise Max Answer Size');
		expect(outcome.error?.description).toContain('not resent automatically');
		expect(ms).toBeLessThan(30_000);
		// The 32 MB read, one copy joined and decoding room: far from the gigabytes of an unbounded read.
		expect(growthMb).toBeLessThan(400);
		expect(emulator.runRequestsOf(WF)).toHaveLength(1);
	}, 60_000);

	it('takes the limit from Max Answer Size, both ways', async () => {
		emulator.setRunScenario(WF, { kind: 'bigJson', bytes: 3 * 1024 * 1024 });
		const capped = await timedRun(runWith('sync', { maxAnswerSize: 2 }));
		expect(capped.outcome.error?.message).toBe("Coze's answer passed the Max Answer Size of 2 MB");
		const roomy = await timedRun(runWith('sync', { maxAnswerSize: 4 }));
		expect(roomy.outcome.status).toBe('success');
		expect(JSON.stringify(roomy.outcome.output[0].json.data).length).toBeGreaterThan(2 * 1024 * 1024);
	});

	it('applies Max Answer Size to one stream event', async () => {
		emulator.setStreamScenario(WF, { kind: 'garbledMessage', data: 'x'.repeat(2 * 1024 * 1024) });
		const { outcome } = await timedRun(runWith('stream', { maxAnswerSize: 1 }));
		expect(outcome.error?.message).toBe('Coze sent a stream event larger than the Max Answer Size of 1 MB');
		expect(emulator.streamsOf(WF)).toHaveLength(1);
	});
});

describe('a server that echoes the token in a resume', () => {
	it.each(['stream', 'sync'] as const)('keeps it out of a resume of a run paused in a %s run', async (pausedIn) => {
		emulator.queueFaults(WF, [{ kind: 'echoToken' }]);
		const { outcome } = await timedRun({
			operation: 'resume',
			workflowId: { __rl: true, mode: 'id', value: WF },
			eventId: '7560000000000000001/7560000000000000002',
			interruptType: 2,
			resumeData: 'Hangzhou',
			pausedIn,
			options: {},
		});
		// Whatever the resume made of the echo (a result or an error), timedRun proved the token is in none of it.
		expect(JSON.stringify(outcome.run)).toContain('***');
		expect(emulator.requests.filter((request) => request.path.includes('resume'))).toHaveLength(1);
	});
});
