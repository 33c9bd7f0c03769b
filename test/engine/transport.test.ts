/**
 * The transport (nodes/shared/transport) in n8n's execution engine: connections, redirects and
 * Base URLs, safe retries, one deadline for every wait, one byte budget, one scrubber, and
 * answers that are not what Coze sends (a gateway's, a proxy's, a broken server's). Each test
 * times what it must from the outside and checks that nothing that may have run was resent.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { INodeParameters } from 'n8n-workflow';

import type { Dialect } from '../emulator';
import type { CozeRunOutcome } from '../harness/engine';
import { capturedLogs, runCozeNode } from '../harness/engine';
import { expectSecretAbsent, useNodeRuns } from '../harness/nodeRuns';
import { MARGIN_MS, runParametersFor, useNumberedItems } from '../harness/parameters';

describe('connections', () => {
	const TOKEN = 'pat_secret_TOKEN_do_not_leak_0123456789';
	const WF = '7398123456789012345';
	const { emulators } = useNodeRuns(TOKEN, { items: [{ city: 'Beijing' }], baseUrlSuffix: '/' });
	const assertTokenAbsent = (outcome: CozeRunOutcome) => expectSecretAbsent(outcome, TOKEN);

	const runParameters = (overrides: INodeParameters = {}) => runParametersFor(WF, overrides);

	describe('transport', () => {
		it('reports a refused connection after retrying it, as nothing was sent', async () => {
			const closed = createServer();
			await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
			const { port } = closed.address() as AddressInfo;
			await new Promise((resolve) => closed.close(resolve));
			const outcome = await runCozeNode({
				items: [{}],
				parameters: runParameters({ options: { retryWait: 0.01, maxAttempts: 3 } }),
				credentials: { region: 'custom', baseUrl: `http://127.0.0.1:${port}`, accessToken: TOKEN },
			});
			assertTokenAbsent(outcome);
			expect(outcome.error?.message).toBe(`Could not connect to 127.0.0.1:${port}: connection refused`);
			expect(outcome.error?.description).toContain('Gave up after 3 attempts.');
		});

		it('does not follow a redirect, so another host never sees the token', async () => {
			const seenByOther: Array<string | undefined> = [];
			const other = createServer((req, res) => {
				seenByOther.push(req.headers.authorization);
				res.end('{"code":0,"data":"{}"}');
			});
			await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
			const otherUrl = `http://localhost:${(other.address() as AddressInfo).port}`;
			const redirecting = createServer((req, res) => {
				res.writeHead(307, { location: `${otherUrl}${req.url}` });
				res.end();
			});
			await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
			try {
				const outcome = await runCozeNode({
					items: [{}],
					parameters: runParameters(),
					credentials: {
						region: 'custom',
						baseUrl: `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`,
						accessToken: TOKEN,
					},
				});
				assertTokenAbsent(outcome);
				expect(outcome.error?.message).toMatch(/^Coze answered with a redirect to localhost:\d+ \(HTTP 307\)$/);
				expect(seenByOther).toEqual([]);
			} finally {
				redirecting.close();
				other.close();
			}
		});

		it('rejects a Base URL that is not http(s)', async () => {
			const outcome = await runCozeNode({
				items: [{}],
				parameters: runParameters(),
				credentials: { region: 'studio', baseUrl: 'ftp://127.0.0.1:8888', accessToken: TOKEN },
			});
			expect(outcome.error?.message).toBe('The Base URL "ftp://127.0.0.1:8888" is not an http(s) address');
		});

		it('takes a Base URL typed without http:// (localhost:8888, as Coze Studio writes it) as http://', async () => {
			const outcome = await runCozeNode({
				items: [{ city: 'Beijing' }],
				parameters: runParameters(),
				credentials: { region: 'studio', baseUrl: emulators.studio.url.replace(/^http:\/\//, ''), accessToken: TOKEN },
			});
			expect(outcome.status).toBe('success');
			expect(emulators.studio.runsOf(WF)).toHaveLength(1);
		});

		it('refuses a Base URL with a user name and password, which would replace the Bearer token, and never quotes it', async () => {
			const outcome = await runCozeNode({
				items: [{ json: {} }] as never,
				parameters: runParameters(),
				credentials: { region: 'studio', baseUrl: 'http://admin:s3cret-pass@127.0.0.1:8888', accessToken: TOKEN },
			});
			expect(outcome.status).toBe('error');
			expect(outcome.error?.message).toBe('The Base URL contains a user name or password');
			expect(JSON.stringify(outcome.run) + String(outcome.error?.description)).not.toContain('s3cret-pass');
			expect(emulators.studio.requests).toHaveLength(0);
		});
	});
});

describe('retries', () => {
	const TOKEN = 'pat_faults_secret_token_0123456789';
	const WF = '7398123456789012345';
	const { emulators, run, expectEachItemRanOnce } = useNumberedItems(TOKEN, WF);

	describe('retries', () => {
		it('rides out a storm of rate limits (429, 4009, 4020) and runs each item once', async () => {
			emulators.cloud.queueFaults(WF, [
				{ kind: 'rateLimit', via: 'http429' },
				{ kind: 'rateLimit', via: 'code4009' },
				{ kind: 'rateLimit', via: 'code4020' },
				{ kind: 'rateLimit', via: 'http429' },
			]);
			const outcome = await run(3, { maxConcurrency: 1 });
			expect(outcome.status).toBe('success');
			expectEachItemRanOnce(3);
			expect(emulators.cloud.runRequestsOf(WF)).toHaveLength(7);
		});

		// Retry-After counts whole seconds: 1 s is the shortest wait there is. The test of a longer
		// one that would pass the Timeout is in 'a hostile server' below.
		it('honours a Retry-After that fits in the Timeout', async () => {
			emulators.cloud.queueFaults(WF, [{ kind: 'rateLimit', via: 'http429', retryAfterSeconds: 1 }]);
			const started = Date.now();
			const outcome = await run(1, { retryWait: 0, timeout: 10 });
			expect(outcome.status).toBe('success');
			expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
			expectEachItemRanOnce(1);
		});

		it('gives up after Max Attempts with a clear error', async () => {
			emulators.cloud.queueFaults(WF, Array.from({ length: 5 }, () => ({ kind: 'rateLimit' as const, via: 'code4009' as const })));
			const outcome = await run(1, { maxAttempts: 3 });
			expect(outcome.error?.message).toBe("Coze's request limit was reached (Coze code 4009)");
			expect(outcome.error?.description).toContain('Gave up after 3 attempts.');
			expect(emulators.cloud.runCount(WF)).toBe(0);
		});

		it.each([
			['resetMidResponse', 'The connection to 127.0.0.1'],
			['html502', 'Coze answered HTTP 502 with an HTML page'],
			['malformedJson', 'Coze answered HTTP 200 with a body that is not valid JSON'],
		] as const)('does not resend a run after %s, which may have run the workflow', async (kind, message) => {
			emulators.cloud.queueFaults(WF, [{ kind }]);
			const outcome = await run(1);
			expect(outcome.error?.message.startsWith(message)).toBe(true);
			expect(outcome.error?.description).toMatch(/not resent/);
			expect(emulators.cloud.runRequestsOf(WF)).toHaveLength(1);
		});

		it('does not resend a run after a stalled server times out', async () => {
			emulators.cloud.queueFaults(WF, [{ kind: 'stall' }]);
			const outcome = await run(1, { timeout: 0.2 });
			expect(outcome.error?.message).toBe('Coze did not answer within 0.2 s');
			expect(emulators.cloud.runRequestsOf(WF)).toHaveLength(1);
		});

		it('resends such a run only when Retry Runs That May Have Started is on', async () => {
			emulators.cloud.queueFaults(WF, [{ kind: 'html502' }, { kind: 'resetMidResponse' }]);
			const outcome = await run(1, { retryRunsThatMayHaveStarted: true });
			expect(outcome.status).toBe('success');
			expect(emulators.cloud.runCount(WF, 'item-0')).toBe(3);
		});

		it('does not resend a stream that was cut short', async () => {
			emulators.cloud.setStreamScenario(WF, { kind: 'truncated', afterEvents: 2 });
			const outcome = await run(1, {}, { mode: 'stream' });
			expect(outcome.error?.message).toBe('The stream from Coze ended before the workflow finished');
			expect(emulators.cloud.runRequestsOf(WF)).toHaveLength(1);
		});
	});
});

describe('a hostile server', () => {
	const TOKEN = 'pat_deadlines_secret_token_0123456789';
	const WF = '7398123456789012377';
	const { emulators, timedRun } = useNodeRuns(TOKEN);

	const runWith = (mode: string, options: INodeParameters) => runParametersFor(WF, { runMode: mode, options });

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
			emulators.cloud.queueFaults(WF, [{ kind: 'stall' }]);
			const { outcome, ms } = await timedRun(runWith('stream', { streamTimeout: 0.2, idleTimeout: 120 }));
			expect(outcome.error?.message).toBe('The workflow did not finish within 0.2 s');
			expect(outcome.error?.description).toContain('not resent automatically');
			expect(ms).toBeGreaterThanOrEqual(200);
			expect(ms).toBeLessThan(200 + MARGIN_MS);
			expect(emulators.cloud.streamsOf(WF)).toHaveLength(1);
		});

		it('ends a waited-for run whose answer trickles in one byte at a time within Timeout', async () => {
			emulators.cloud.queueFaults(WF, [{ kind: 'trickle', intervalMs: 50 }]);
			const { outcome, ms } = await timedRun(runWith('sync', { timeout: 0.2 }));
			expect(outcome.error?.message).toBe('Coze did not answer within 0.2 s');
			expect(outcome.error?.description).toContain('not resent');
			expect(ms).toBeGreaterThanOrEqual(200);
			expect(ms).toBeLessThan(200 + MARGIN_MS);
			expect(emulators.cloud.runRequestsOf(WF)).toHaveLength(1);
		});

		it('does not wait out a Retry-After that would pass the Timeout, and says so', async () => {
			emulators.cloud.queueFaults(WF, [{ kind: 'rateLimit', via: 'http429', retryAfterSeconds: 999999 }]);
			const { outcome, ms } = await timedRun(runWith('sync', { timeout: 5 }));
			expect(outcome.error?.message).toBe("Coze's request limit was reached (Coze code 4009)");
			expect(outcome.error?.description).toContain('Not retried: the next attempt would come 60 s from now, past the Timeout of 5 s');
			expect(ms).toBeLessThan(MARGIN_MS);
			expect(emulators.cloud.runRequestsOf(WF)).toHaveLength(1);
		});
	});

	describe('a server that echoes the token', () => {
		// timedRun asserts for every run that the token is nowhere in the run data, the error or the log.
		it.each([
			['a waited-for run', 'sync', {}],
			['a stream', 'stream', {}],
		] as const)('keeps it out of %s: the log ID header, the data and the debug URL', async (_name, mode, options) => {
			emulators.cloud.queueFaults(WF, [{ kind: 'echoToken' }]);
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
			emulators.cloud.queueFaults(WF, [{ kind: 'echoToken', inError: true }]);
			const { outcome } = await timedRun(runWith(mode, {}));
			expect(outcome.status).toBe('error');
			expect(outcome.error?.description).toContain('invalid parameter near ***');
			expect(outcome.error?.description).toContain('Log ID: 2026***');
		});
	});

	describe('a server that floods the stream', () => {
		it('closes a stream at an event larger than 32 MB, naming the limit', async () => {
			emulators.cloud.setStreamScenario(WF, { kind: 'garbledMessage', data: 'x'.repeat(33 * 1024 * 1024) });
			const { outcome } = await timedRun(runWith('stream', {}));
			expect(outcome.error?.message).toBe('Coze sent a stream event larger than the Max Answer Size of 32 MB');
			expect(outcome.error?.description).toContain('not resent automatically');
		});

		it('closes a stream whose unfinished output passes 32 MB, naming the limit', async () => {
			emulators.cloud.setStreamScenario(WF, { kind: 'many', count: 2000, chunkText: 'y'.repeat(64 * 1024) });
			const { result, growthMb } = await peakRssGrowthMb(async () => await timedRun(runWith('stream', {})));
			const { outcome } = result;
			expect(outcome.error?.message).toBe('The streamed output passed the Max Answer Size of 32 MB before the workflow finished');
			// 32 MB of text kept as UTF-16 and what reading it costs: nowhere near the 125 MB the server would have sent.
			expect(growthMb).toBeLessThan(300);
			expect(emulators.cloud.streamsOf(WF)).toHaveLength(1);
		});
	});

	describe('a server that sends without end', () => {
		it('stops a JSON answer that never ends at Max Answer Size, long before its Timeout, with memory bounded', async () => {
			emulators.cloud.queueFaults(WF, [{ kind: 'endlessBody' }]);
			const { result, growthMb } = await peakRssGrowthMb(async () => await timedRun(runWith('sync', { timeout: 60 })));
			const { outcome, ms } = result;
			expect(outcome.error?.message).toBe("Coze's answer passed the Max Answer Size of 32 MB");
			expect(outcome.error?.description).toContain('Raise Max Answer Size');
			expect(outcome.error?.description).toContain('not resent automatically');
			expect(ms).toBeLessThan(30_000);
			// The 32 MB read, one copy joined and decoding room: far from the gigabytes of an unbounded read.
			expect(growthMb).toBeLessThan(400);
			expect(emulators.cloud.runRequestsOf(WF)).toHaveLength(1);
		}, 60_000);

		it('takes the limit from Max Answer Size, both ways', async () => {
			emulators.cloud.setRunScenario(WF, { kind: 'bigJson', bytes: 3 * 1024 * 1024 });
			const capped = await timedRun(runWith('sync', { maxAnswerSize: 2 }));
			expect(capped.outcome.error?.message).toBe("Coze's answer passed the Max Answer Size of 2 MB");
			const roomy = await timedRun(runWith('sync', { maxAnswerSize: 4 }));
			expect(roomy.outcome.status).toBe('success');
			expect(JSON.stringify(roomy.outcome.output[0].json.data).length).toBeGreaterThan(2 * 1024 * 1024);
		});

		it('applies Max Answer Size to one stream event', async () => {
			emulators.cloud.setStreamScenario(WF, { kind: 'garbledMessage', data: 'x'.repeat(2 * 1024 * 1024) });
			const { outcome } = await timedRun(runWith('stream', { maxAnswerSize: 1 }));
			expect(outcome.error?.message).toBe('Coze sent a stream event larger than the Max Answer Size of 1 MB');
			expect(emulators.cloud.streamsOf(WF)).toHaveLength(1);
		});
	});
});

describe('answers that are not what Coze sends', () => {
	const TOKEN = 'pat_answers_secret_token_0123456789';
	const WF = '7398123456789012399';
	const { emulators, run } = useNodeRuns(TOKEN);

	const parameters: INodeParameters = {
		operation: 'run',
		workflowId: { __rl: true, mode: 'id', value: WF },
		inputMode: 'keyValue',
		parameters: { parameter: [{ name: 'city', value: 'Beijing' }] },
		options: {},
	};

	async function runAgainst(dialect: Dialect, status: number, body: string, contentType = 'application/json') {
		emulators[dialect].setRunScenario(WF, { kind: 'verbatim', status, body, contentType });
		return await run(dialect, parameters, [{}]);
	}

	describe.each<Dialect>(['cloud', 'studio'])('odd answers from the %s address', (dialect) => {
		it('reads a code sent as a string ("4100") as the number', async () => {
			const outcome = await runAgainst(dialect, 200, '{"code":"4100","msg":"token expired"}');
			expect(outcome.status).toBe('error');
			expect(outcome.error?.message).toBe('Coze rejected the access token (Coze code 4100)');
			expect(outcome.error?.description).toContain('Coze says: token expired');
		});

		it('calls an answer with neither a code nor data a failure, quoting its message', async () => {
			const outcome = await runAgainst(dialect, 200, '{"msg":"internal error"}');
			expect(outcome.status).toBe('error');
			expect(outcome.error?.message).toBe('Coze answered with neither a result nor an error code');
			expect(outcome.error?.description).toContain('Coze says: internal error');
			expect(outcome.error?.description).toContain('not resent automatically');
			expect(emulators[dialect].runsOf(WF)).toHaveLength(1);
		});

		it.each([
			[401, '', 'Coze rejected the access token (HTTP 401)'],
			[401, 'Unauthorized', 'Coze rejected the access token (HTTP 401)'],
			[403, 'Forbidden', 'The access token lacks the permission for this (HTTP 403)'],
			[404, '404 page not found', 'No Coze API answered at this address (HTTP 404)'],
		])('explains HTTP %s with the body %j as it explains the JSON one', async (status, body, message) => {
			const outcome = await runAgainst(dialect, status, body, 'text/plain; charset=utf-8');
			expect(outcome.status).toBe('error');
			expect(outcome.error?.message).toBe(message);
			if (body) expect(outcome.error?.description).toContain(`Coze says: ${body}`);
			expect(emulators[dialect].runsOf(WF)).toHaveLength(1);
		});

		it('still succeeds on an answer whose code is "0"', async () => {
			const outcome = await runAgainst(dialect, 200, '{"code":"0","msg":"","data":"{\\"ok\\":true}"}');
			expect(outcome.status).toBe('success');
			expect(outcome.output[0]?.json.data).toEqual({ ok: true });
		});
	});

	describe('answers too big or too deep for an error or for n8n', () => {
		it('quotes at most 2 000 characters of a 20 MB msg, in the description, the details and the log', async () => {
			// 20 MB of UTF-8, Coze's own cap: within the default Max Answer Size.
			const msg = '错'.repeat(7 * 1024 * 1024);
			const before = capturedLogs.length;
			const outcome = await runAgainst('cloud', 200, JSON.stringify({ code: 4000, msg }));
			expect(outcome.error?.message).toBe('Coze rejected the request parameters (Coze code 4000)');
			expect(outcome.error?.description).toContain(`… (${msg.length - 2000} more characters left out)`);
			expect(String(outcome.error?.description).length).toBeLessThan(3000);
			expect(JSON.stringify(outcome.run).length).toBeLessThan(100_000);
			expect(capturedLogs.slice(before).join('\n').length).toBeLessThan(100_000);
		});

		it('refuses a result nested deeper than n8n can store, instead of crashing n8n when it saves the run', async () => {
			const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
			const outcome = await runAgainst('cloud', 200, JSON.stringify({ code: 0, msg: '', data: deep }));
			expect(outcome.status).toBe('error');
			expect(outcome.error?.message).toContain("Coze's answer is nested more than 500 levels deep");
			expect(outcome.error?.description).toContain('Flatten the output');
		});

		it('still returns a result nested a sane depth', async () => {
			const nested = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
			const outcome = await runAgainst('cloud', 200, JSON.stringify({ code: 0, msg: '', data: nested }));
			expect(outcome.status).toBe('success');
			expect(JSON.stringify(outcome.output[0].json.data)).toBe(nested);
		});
	});
});
