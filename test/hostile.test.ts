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

	it('ends a waited-for run whose answer trickles in one byte at a time within Timeout', async () => {
		emulator.queueFaults(WF, [{ kind: 'trickle', intervalMs: 300 }]);
		const { outcome, ms } = await timedRun(runWith('sync', { timeout: 3 }));
		expect(outcome.error?.message).toBe('Coze did not answer within 3 s');
		expect(outcome.error?.description).toContain('not resent');
		expect(ms).toBeGreaterThanOrEqual(3000);
		expect(ms).toBeLessThan(3000 + MARGIN_MS);
		expect(emulator.runRequestsOf(WF)).toHaveLength(1);
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
		emulator.setStreamScenario(WF, { kind: 'many', count: 600, chunkText: 'y'.repeat(64 * 1024) });
		const { outcome } = await timedRun(runWith('stream', {}));
		expect(outcome.error?.message).toBe('The streamed output passed the Max Answer Size of 32 MB before the workflow finished');
		expect(emulator.streamsOf(WF)).toHaveLength(1);
	});
});
