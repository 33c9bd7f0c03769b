/**
 * Wire-level tests of the emulator's fault injection, latency, run accounting, big results and
 * redirects (test/emulator/faults.ts, accounting.ts, bigjson.ts), both dialects, over real HTTP
 * on 127.0.0.1 (Node's fetch, and node:http where the exact bytes before a reset matter).
 */
import { Agent, request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';

import type { CozeEmulator, Dialect, Fault } from './emulator';
import { BIG_JSON_MIN_BYTES, closedPortUrl, RATE_LIMIT_MSG, runKey, startCozeEmulator } from './emulator';
import type { Answer } from './harness/answer';
import { readAnswer } from './harness/answer';

const TOKEN = 'test-token';
const WF = '7549000000000000001';
const OTHER = '7549000000000000002';
const APP = '7549000000000000200';

async function send(emu: CozeEmulator, path: string, body?: unknown, init: { token?: string; signal?: AbortSignal; redirect?: RequestRedirect } = {}): Promise<Answer> {
	const res = await fetch(`${emu.url}${path}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { Authorization: `Bearer ${init.token ?? TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: init.signal,
		redirect: init.redirect,
	});
	return await readAnswer(res);
}

const run = (emu: CozeEmulator, parameters: Record<string, unknown> = {}, wf = WF, o?: Parameters<typeof send>[3]): Promise<Answer> =>
	send(emu, '/v1/workflow/run', { workflow_id: wf, parameters }, o);

interface RawAnswer {
	status: number;
	headers: IncomingHttpHeaders;
	body: Buffer;
	/** The whole HTTP message arrived (`IncomingMessage.complete`). */
	complete: boolean;
}

/** POST over a fresh connection, keeping whatever body bytes arrive before the connection ends. */
function rawPost(emu: CozeEmulator, path: string, body: unknown): Promise<RawAnswer> {
	const payload = Buffer.from(JSON.stringify(body), 'utf8');
	return new Promise<RawAnswer>((resolve, reject) => {
		const req = request(
			{
				host: '127.0.0.1',
				port: Number(new URL(emu.url).port),
				path,
				method: 'POST',
				agent: false,
				headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Content-Length': payload.length },
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('error', () => undefined); // "aborted" when the server cuts the body
				res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), complete: res.complete }));
			},
		);
		req.setTimeout(3000, () => req.destroy(new Error('rawPost: timeout')));
		req.on('error', reject);
		req.end(payload);
	});
}

/** Keep-alive connections for the many-request tests (node:http is several times cheaper per request than fetch). */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** A run request over `agent`: HTTP status and body code (undefined when the body is not JSON). */
function quickRun(emu: CozeEmulator, parameters: Record<string, unknown>, wf = WF): Promise<{ status: number; code?: number }> {
	const payload = Buffer.from(JSON.stringify({ workflow_id: wf, parameters }), 'utf8');
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: '127.0.0.1',
				port: Number(new URL(emu.url).port),
				path: '/v1/workflow/run',
				method: 'POST',
				agent,
				headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Content-Length': payload.length },
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (c: string) => (text += c));
				res.on('end', () => {
					let code: number | undefined;
					try {
						code = (JSON.parse(text) as { code?: number }).code;
					} catch {
						code = undefined;
					}
					resolve({ status: res.statusCode ?? 0, code });
				});
			},
		);
		req.setTimeout(3000, () => req.destroy(new Error('quickRun: timeout')));
		req.on('error', reject);
		req.end(payload);
	});
}

let cloud: CozeEmulator;
let studio: CozeEmulator;
const emus = (): Array<[Dialect, CozeEmulator]> => [
	['cloud', cloud],
	['studio', studio],
];

beforeAll(async () => {
	cloud = await startCozeEmulator({ dialect: 'cloud' });
	studio = await startCozeEmulator({ dialect: 'studio' });
});
afterAll(async () => {
	agent.destroy();
	await Promise.all([cloud.close(), studio.close()]);
});
beforeEach(() => {
	cloud.reset();
	studio.reset();
});

// ====================================================================== rate limits

describe('rateLimit faults: refused before running, not runs', () => {
	test.each(['cloud', 'studio'] as const)('%s: http429 → HTTP 429, JSON {code:4009}, Retry-After; the next request runs', async (d) => {
		const emu = d === 'cloud' ? cloud : studio;
		emu.queueFaults(WF, [{ kind: 'rateLimit', via: 'http429', retryAfterSeconds: 7 }]);
		const a = await run(emu, { input: 'x' });
		expect(a.status).toBe(429);
		expect(a.headers.get('retry-after')).toBe('7');
		expect(a.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(a.headers.get(d === 'cloud' ? 'x-tt-logid' : 'x-log-id')).toBeTruthy();
		expect(a.json).toEqual({ code: 4009, msg: RATE_LIMIT_MSG[4009], detail: { logid: expect.any(String) } });
		expect(emu.runCount(WF)).toBe(0);
		expect(emu.requests).toHaveLength(1); // recorded all the same

		const b = await run(emu, { input: 'x' });
		expect(b.status).toBe(200);
		expect(b.json.code).toBe(0);
		expect(emu.runCount(WF)).toBe(1);
		expect(emu.queuedFaults(WF)).toEqual([]);
	});

	test.each(['cloud', 'studio'] as const)('%s: code4009 / code4020 → HTTP 200 with that code; Retry-After only when asked', async (d) => {
		const emu = d === 'cloud' ? cloud : studio;
		emu.queueFaults(WF, [{ kind: 'rateLimit', via: 'code4009' }, { kind: 'rateLimit', via: 'code4020', retryAfterSeconds: 0 }]);
		const a = await run(emu);
		expect(a.status).toBe(200);
		expect(a.json).toMatchObject({ code: 4009, msg: RATE_LIMIT_MSG[4009] });
		expect(a.headers.get('retry-after')).toBeNull();
		const b = await run(emu);
		expect(b.status).toBe(200);
		expect(b.json).toMatchObject({ code: 4020, msg: RATE_LIMIT_MSG[4020] });
		expect(b.headers.get('retry-after')).toBe('0');
		expect(emu.runCount(WF)).toBe(0);
		expect(emu.runRequestsOf(WF)).toHaveLength(2);
	});

	test('stream_run and workflows/chat are refused with JSON, not SSE, and do not run', async () => {
		cloud.queueFaults(WF, [{ kind: 'rateLimit', via: 'code4020' }, { kind: 'rateLimit', via: 'http429' }]);
		const s = await send(cloud, '/v1/workflow/stream_run', { workflow_id: WF, parameters: {} });
		expect(s.headers.get('content-type')).toMatch(/^application\/json/);
		expect(s.json.code).toBe(4020);
		const c = await send(cloud, '/v1/workflows/chat', {
			workflow_id: WF,
			app_id: APP,
			additional_messages: [{ role: 'user', content: '你好', content_type: 'text' }],
		});
		expect(c.status).toBe(429);
		expect(cloud.runCount(WF)).toBe(0);
		expect(cloud.workflowCatalogue).toBeDefined();
	});

	test('an unauthenticated request gets its auth answer and consumes no fault', async () => {
		for (const [d, emu] of emus()) {
			emu.queueFaults(WF, [{ kind: 'rateLimit', via: 'http429' }]);
			const a = await run(emu, {}, WF, { token: 'wrong' });
			expect(a.status).toBe(200);
			expect(a.json.code).toBe(d === 'cloud' ? 4100 : 700012006);
			expect(emu.queuedFaults(WF)).toHaveLength(1);
			expect((await run(emu)).status).toBe(429);
		}
	});
});

// ====================================================================== faults that let the run happen

describe('faults after the run', () => {
	test.each(['cloud', 'studio'] as const)('%s: resetMidResponse on a JSON answer: status + headers + half the body, then the socket ends', async (d) => {
		const emu = d === 'cloud' ? cloud : studio;
		emu.queueFaults(WF, [{ kind: 'resetMidResponse' }]);
		const a = await rawPost(emu, '/v1/workflow/run', { workflow_id: WF, parameters: { input: '中文 text' } });
		expect(a.status).toBe(200);
		expect(a.headers['content-type']).toBe('application/json; charset=utf-8');
		const declared = Number(a.headers['content-length']);
		expect(declared).toBeGreaterThan(20);
		expect(a.body.length).toBe(Math.floor(declared / 2));
		expect(a.complete).toBe(false);
		expect(a.body.toString('utf8')).toMatch(/^\{"code":0,/);
		expect(emu.runCount(WF)).toBe(1); // the run happened
		// fetch: the headers arrive, reading the body fails
		emu.queueFaults(WF, [{ kind: 'resetMidResponse' }]);
		const res = await fetch(`${emu.url}/v1/workflow/run`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ workflow_id: WF, parameters: {} }),
		});
		expect(res.status).toBe(200);
		await expect(res.text()).rejects.toThrow();
		expect(emu.runCount(WF)).toBe(2);
	});

	test('resetMidResponse afterBytes; on an SSE stream the cut falls inside the stream', async () => {
		cloud.queueFaults(WF, [{ kind: 'resetMidResponse', afterBytes: 10 }, { kind: 'resetMidResponse', afterBytes: 60 }]);
		const a = await rawPost(cloud, '/v1/workflow/run', { workflow_id: WF });
		expect(a.body.length).toBe(10);
		expect(a.complete).toBe(false);
		const s = await rawPost(cloud, '/v1/workflow/stream_run', { workflow_id: WF, parameters: { q: 1 } });
		expect(s.status).toBe(200);
		expect(s.headers['content-type']).toBe('text/event-stream');
		expect(s.headers['content-length']).toBeUndefined();
		expect(s.body.length).toBe(60);
		expect(s.body.toString('utf8')).toMatch(/^id: 0\nevent: Message\ndata: /);
		expect(s.complete).toBe(false);
		expect(cloud.runCount(WF)).toBe(2);
		expect(cloud.runCount(WF, runKey({ q: 1 }))).toBe(1);
	});

	test.each(['cloud', 'studio'] as const)('%s: stall never answers (the client times out); the run happened', async (d) => {
		const emu = d === 'cloud' ? cloud : studio;
		emu.queueFaults(WF, [{ kind: 'stall' }]);
		await expect(run(emu, {}, WF, { signal: AbortSignal.timeout(250) })).rejects.toMatchObject({ name: 'TimeoutError' });
		expect(emu.runCount(WF)).toBe(1);
		expect((await run(emu)).json.code).toBe(0); // the queue is empty again
	});

	test.each(['cloud', 'studio'] as const)('%s: html502 → nginx 502 page; the run happened', async (d) => {
		const emu = d === 'cloud' ? cloud : studio;
		emu.queueFaults(WF, [{ kind: 'html502' }]);
		const a = await run(emu);
		expect(a.status).toBe(502);
		expect(a.headers.get('content-type')).toBe('text/html');
		expect(a.text).toContain('<title>502 Bad Gateway</title>');
		expect(a.text).toContain('nginx');
		expect(a.headers.get('x-tt-logid')).toBeNull();
		expect(a.headers.get('x-log-id')).toBeNull();
		expect(emu.runCount(WF)).toBe(1);
	});

	test.each(['cloud', 'studio'] as const)('%s: malformedJson → HTTP 200 JSON, cut body; the run happened', async (d) => {
		const emu = d === 'cloud' ? cloud : studio;
		emu.queueFaults(WF, [{ kind: 'malformedJson' }, { kind: 'malformedJson' }]);
		const a = await run(emu, { input: '数据' });
		expect(a.status).toBe(200);
		expect(a.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(Number(a.headers.get('content-length'))).toBe(Buffer.byteLength(a.text));
		expect(() => JSON.parse(a.text)).toThrow();
		expect(a.text.startsWith('{"code":0,')).toBe(true);
		// a stream answer is replaced by a cut JSON success envelope
		const s = await send(emu, '/v1/workflow/stream_run', { workflow_id: WF, parameters: {} });
		expect(s.status).toBe(200);
		expect(s.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(() => JSON.parse(s.text)).toThrow();
		expect(emu.runCount(WF)).toBe(2);
	});

	test('faults apply per workflow_id, to chat flows too; resumes are not runs', async () => {
		cloud.queueFaults(OTHER, [{ kind: 'html502' }]);
		expect((await run(cloud)).status).toBe(200); // WF: no fault
		const c = await send(cloud, '/v1/workflows/chat', {
			workflow_id: OTHER,
			app_id: APP,
			additional_messages: [{ role: 'user', content: '你好', content_type: 'text' }],
		});
		expect(c.status).toBe(502);
		expect(cloud.runCount(OTHER)).toBe(1);
		expect(cloud.runsByKey(OTHER)).toEqual(new Map([[runKey({ USER_INPUT: '你好' }), 1]]));

		// A sync interrupt resumed through a malformed answer: one run only.
		cloud.setRunScenario(WF, { kind: 'interrupt', eventId: 'ev-1', type: 2, data: '?' });
		await run(cloud, { input: 'r' });
		cloud.queueFaults(WF, [{ kind: 'malformedJson' }]);
		const r = await send(cloud, '/v1/workflows/resume', { workflow_id: WF, event_id: 'ev-1', interrupt_type: 2, resume_data: 'ok' });
		expect(() => JSON.parse(r.text)).toThrow();
		expect(cloud.runCount(WF)).toBe(2); // the first run of WF above + the interrupted one
		expect(cloud.runCount(WF, runKey({ input: 'r' }))).toBe(1);
	});
});

// ====================================================================== queue order, seeded rate

describe('fault plans', () => {
	test('queued faults are consumed in order, appended by later calls, then the scenario answers', async () => {
		cloud.queueFaults(WF, [{ kind: 'rateLimit', via: 'code4009' }, { kind: 'html502' }]);
		cloud.queueFaults(WF, [{ kind: 'rateLimit', via: 'http429' }]);
		expect(cloud.queuedFaults(WF).map((f) => f.kind)).toEqual(['rateLimit', 'html502', 'rateLimit']);
		const seen: Array<number | string> = [];
		for (let i = 0; i < 4; i++) {
			const a = await run(cloud, { i });
			seen.push(a.status === 200 ? (a.json.code as number) : a.status);
		}
		expect(seen).toEqual([4009, 502, 429, 0]);
		expect(cloud.queuedFaults(WF)).toEqual([]);
		expect(cloud.runCount(WF)).toBe(2); // html502 (i=1) and the last one (i=3)
		expect(cloud.runsByKey(WF)).toEqual(new Map([[runKey({ i: 1 }), 1], [runKey({ i: 3 }), 1]]));
	});

	test('concurrent requests consume the queue in arrival order even with latency', async () => {
		cloud.latencyMs = 100;
		cloud.queueFaults(WF, [{ kind: 'rateLimit', via: 'code4009' }, { kind: 'rateLimit', via: 'code4020' }]);
		const first = run(cloud, { n: 1 });
		await new Promise((r) => setTimeout(r, 30));
		const second = run(cloud, { n: 2 });
		await new Promise((r) => setTimeout(r, 30));
		const third = run(cloud, { n: 3 });
		const [a, b, c] = await Promise.all([first, second, third]);
		expect([a.json.code, b.json.code, c.json.code]).toEqual([4009, 4020, 0]);
	});

	test('seeded rate: same seed → same pattern, another seed → another; about `rate` of the requests fail', async () => {
		const faults: Fault[] = [{ kind: 'rateLimit', via: 'code4009' }, { kind: 'rateLimit', via: 'code4020' }];
		const pattern = async (seed: number): Promise<string> => {
			cloud.reset();
			cloud.setFaultRate(WF, { rate: 0.3, seed, faults });
			let p = '';
			for (let i = 0; i < 120; i++) {
				const { code } = await quickRun(cloud, { i });
				p += code === 0 ? '.' : code === 4009 ? 'a' : 'b';
			}
			return p;
		};
		const p1 = await pattern(42);
		const p2 = await pattern(42);
		const p3 = await pattern(7);
		expect(p2).toBe(p1);
		expect(p3).not.toBe(p1);
		const failed = p1.replace(/\./g, '').length;
		expect(failed).toBeGreaterThan(15);
		expect(failed).toBeLessThan(60);
		expect(p1).toMatch(/a/);
		expect(p1).toMatch(/b/);
		expect(cloud.runCount(WF)).toBe([...p3].filter((ch) => ch === '.').length);
	});

	test('1 000 items, random failures, retries: rate-limited retries never run an item twice; a 502 retry does', async () => {
		studio.setFaultRate(WF, { rate: 0.2, seed: 2024, faults: [{ kind: 'rateLimit', via: 'http429' }, { kind: 'html502' }] });
		const items = Array.from({ length: 1000 }, (_, i) => `item-${i}`);
		let next = 0;
		let attempts = 0;
		const worker = async (): Promise<void> => {
			while (next < items.length) {
				const id = items[next++];
				for (let tries = 0; tries < 20; tries++) {
					attempts++;
					const a = await quickRun(studio, { request_id: id, text: `文本 ${id}` });
					if (a.status === 200 && a.code === 0) break;
				}
			}
		};
		await Promise.all(Array.from({ length: 32 }, worker));
		const byKey = studio.runsByKey(WF);
		expect(byKey.size).toBe(1000); // every item ran (request_id is the key)
		const twice = [...byKey.values()].filter((n) => n > 1).length;
		expect(twice).toBeGreaterThan(0); // the 502s ran first
		expect(studio.runCount(WF)).toBe(1000 + [...byKey.values()].reduce((s, n) => s + n - 1, 0));
		expect(attempts).toBeGreaterThan(studio.runCount(WF)); // the 429s did not run
		expect(studio.maxConcurrentRuns(WF)).toBeLessThanOrEqual(32);
	});

	test('setFaultRate: rate 0 never, rate 1 always; bad plans throw', async () => {
		cloud.setFaultRate(WF, { rate: 1, seed: 1, faults: [{ kind: 'rateLimit', via: 'code4009' }] });
		for (let i = 0; i < 3; i++) expect((await run(cloud)).json.code).toBe(4009);
		cloud.setFaultRate(WF, { rate: 0, seed: 1, faults: [] });
		expect((await run(cloud)).json.code).toBe(0);
		expect(() => cloud.setFaultRate(WF, { rate: 1.5, seed: 1, faults: [{ kind: 'stall' }] })).toThrow(RangeError);
		expect(() => cloud.setFaultRate(WF, { rate: 0.5, seed: 1, faults: [] })).toThrow(RangeError);
		expect(() => cloud.queueFaults(WF, [{ kind: 'rateLimit', via: 'http429', retryAfterSeconds: 1.5 }])).toThrow(RangeError);
		expect(() => cloud.queueFaults(WF, [{ kind: 'nope' } as unknown as Fault])).toThrow(TypeError);
		expect(() => (cloud.latencyMs = -1)).toThrow(RangeError);
	});

	test('reset() clears queues, rates, latency, run counts and concurrency maxima', async () => {
		cloud.queueFaults(WF, [{ kind: 'stall' }]);
		cloud.setFaultRate(OTHER, { rate: 1, seed: 3, faults: [{ kind: 'html502' }] });
		cloud.latencyMs = 50;
		await run(cloud, {}, OTHER);
		expect(cloud.runCount(OTHER)).toBe(1);
		expect(cloud.maxConcurrentRuns(OTHER)).toBe(1);
		cloud.reset();
		expect(cloud.latencyMs).toBe(0);
		expect(cloud.queuedFaults(WF)).toEqual([]);
		expect(cloud.runCount(OTHER)).toBe(0);
		expect(cloud.runsByKey(OTHER).size).toBe(0);
		expect(cloud.maxConcurrentRuns(OTHER)).toBe(0);
		expect((await run(cloud, {}, OTHER)).status).toBe(200);
		expect((await run(cloud)).status).toBe(200);
	});
});

// ====================================================================== run keys, concurrency, latency

describe('run accounting', () => {
	test('runKey: request_id when present, else the sorted JSON of the parameters', () => {
		expect(runKey({ request_id: 'r-1', a: 1 })).toBe('r-1');
		expect(runKey({ request_id: 12 })).toBe('12');
		expect(runKey({ b: [2, { y: 1, x: 2 }], a: '中' })).toBe('{"a":"中","b":[2,{"x":2,"y":1}]}');
		expect(runKey({ a: '中', b: [2, { x: 2, y: 1 }] })).toBe(runKey({ b: [2, { y: 1, x: 2 }], a: '中' }));
		expect(runKey(undefined)).toBe('{}');
	});

	test('async runs and stream runs count; validation failures and unpublished do not', async () => {
		await send(cloud, '/v1/workflow/run', { workflow_id: WF, parameters: { k: 1 }, is_async: true });
		await send(cloud, '/v1/workflow/stream_run', { workflow_id: WF, parameters: { k: 2 } });
		await send(cloud, '/v1/workflow/run', { workflow_id: WF, parameters: 'not an object' }); // 4000
		cloud.setRunScenario(OTHER, { kind: 'unpublished' });
		expect((await run(cloud, {}, OTHER)).json.code).toBe(4200);
		expect(cloud.runsByKey(WF)).toEqual(new Map([[runKey({ k: 1 }), 1], [runKey({ k: 2 }), 1]]));
		expect(cloud.runCount(OTHER)).toBe(0);
		expect(cloud.runCount(WF, 'nope')).toBe(0);
	});

	test('maxConcurrentRuns: parallel requests of one id; a pool of 3 stays at 3; resetConcurrency', async () => {
		for (const [, emu] of emus()) {
			emu.latencyMs = 40;
			await Promise.all(Array.from({ length: 7 }, (_, i) => run(emu, { i })));
			await run(emu, {}, OTHER);
			expect(emu.maxConcurrentRuns(WF)).toBe(7);
			expect(emu.maxConcurrentRuns(OTHER)).toBe(1);
			expect(emu.maxConcurrentRuns('unknown')).toBe(0);
			emu.resetConcurrency();
			expect(emu.maxConcurrentRuns(WF)).toBe(0);
			let next = 0;
			const worker = async (): Promise<void> => {
				while (next < 9) await run(emu, { i: next++ });
			};
			await Promise.all([worker(), worker(), worker()]);
			expect(emu.maxConcurrentRuns(WF)).toBe(3);
		}
	});

	test('a stalled request stays in flight until the client aborts', async () => {
		cloud.queueFaults(WF, [{ kind: 'stall' }]);
		const ac = new AbortController();
		const stalled = run(cloud, {}, WF, { signal: ac.signal });
		stalled.catch(() => undefined);
		await new Promise((r) => setTimeout(r, 50));
		await run(cloud);
		expect(cloud.maxConcurrentRuns(WF)).toBe(2);
		ac.abort();
		await expect(stalled).rejects.toThrow();
		await new Promise((r) => setTimeout(r, 30));
		cloud.resetConcurrency();
		await run(cloud);
		expect(cloud.maxConcurrentRuns(WF)).toBe(1);
	});
});

describe('latency', () => {
	test('50 parallel run requests at 200 ms all wait ~200 ms, concurrently', async () => {
		for (const [, emu] of emus()) {
			emu.latencyMs = 200;
			const t0 = Date.now();
			const answers = await Promise.all(
				Array.from({ length: 50 }, async (_, i) => {
					const a = await run(emu, { i });
					return { a, ms: Date.now() - t0 };
				}),
			);
			const total = Date.now() - t0;
			expect(answers.every(({ a }) => a.status === 200 && a.json.code === 0)).toBe(true);
			expect(Math.min(...answers.map((x) => x.ms))).toBeGreaterThanOrEqual(190);
			expect(total).toBeLessThan(1500); // 50 × 200 ms would be 10 s
			expect(emu.maxConcurrentRuns(WF)).toBeGreaterThan(10);
		}
	});

	test('history polls and refusals wait too; other endpoints do not', async () => {
		studio.latencyMs = 100;
		const t0 = Date.now();
		const started = await send(studio, '/v1/workflow/run', { workflow_id: WF, parameters: {}, is_async: true });
		const t1 = Date.now();
		const poll = await send(studio, `/v1/workflow/get_run_history?workflow_id=${WF}&execute_id=${String(started.json.execute_id)}`);
		const t2 = Date.now();
		expect(poll.json.data).toBeDefined();
		expect(t1 - t0).toBeGreaterThanOrEqual(95);
		expect(t2 - t1).toBeGreaterThanOrEqual(95);
		studio.queueFaults(WF, [{ kind: 'rateLimit', via: 'http429' }]);
		const t3 = Date.now();
		expect((await run(studio)).status).toBe(429);
		expect(Date.now() - t3).toBeGreaterThanOrEqual(95);

		cloud.latencyMs = 5000;
		const t4 = Date.now();
		expect((await send(cloud, '/v1/workspaces')).json.code).toBe(0);
		expect(Date.now() - t4).toBeLessThan(1000);
	});
});

// ====================================================================== big results, lazy streams

describe('big results', () => {
	test.each([
		['cloud', 5_000_000],
		['studio', 1_000_001],
	] as const)('%s: bigJson data is valid JSON of exactly the bytes asked for, streamed chunked', async (d, bytes) => {
		const emu = d === 'cloud' ? cloud : studio;
		emu.setRunScenario(WF, { kind: 'bigJson', bytes });
		const a = await run(emu);
		expect(a.status).toBe(200);
		expect(a.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(a.headers.get('content-length')).toBeNull();
		expect(a.json.code).toBe(0);
		const data = a.json.data as string;
		expect(Buffer.byteLength(data, 'utf8')).toBe(bytes);
		const parsed = JSON.parse(data) as { items: string[] };
		expect(parsed.items.length).toBeGreaterThan(1000);
		expect(parsed.items[0]).toMatch(/^item 0: .*扣子.*Coze/);
		expect(parsed.items[parsed.items.length - 1]).toMatch(/^x*$/);
		expect(emu.runCount(WF)).toBe(1);
		if (d === 'cloud') expect(Object.keys(a.json)).toEqual(['code', 'msg', 'data', 'debug_url', 'usage', 'detail']);
		else {
			expect(Object.keys(a.json)).toEqual(['code', 'msg', 'data', 'token', 'cost', 'debug_url', 'execute_id', 'BaseResp']);
			const h = await send(emu, `/v1/workflow/get_run_history?workflow_id=${WF}&execute_id=${String(a.json.execute_id)}`);
			const item = (h.json.data as Array<Record<string, unknown>>)[0];
			expect(item.execute_status).toBe('Success');
			expect(item.output).toBe(data); // regenerated identically for the history
		}
	});

	test('bigJson below the minimum is the minimum; every size is exact', async () => {
		for (const bytes of [0, 14, 15, 16, 17, 100, 1234]) {
			cloud.setRunScenario(WF, { kind: 'bigJson', bytes });
			const data = (await run(cloud)).json.data as string;
			expect(Buffer.byteLength(data)).toBe(Math.max(bytes, BIG_JSON_MIN_BYTES));
			expect(Array.isArray((JSON.parse(data) as { items: unknown }).items)).toBe(true);
		}
	});

	test('stream `many` stays lazy: 10 000 000 events, the first bytes arrive at once', async () => {
		cloud.setStreamScenario(WF, { kind: 'many', count: 10_000_000 });
		const ac = new AbortController();
		const t0 = Date.now();
		const res = await fetch(`${cloud.url}/v1/workflow/stream_run`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ workflow_id: WF, parameters: {} }),
			signal: ac.signal,
		});
		const reader = (res.body as ReadableStream<Uint8Array>).getReader();
		const first = await reader.read();
		expect(Buffer.from(first.value ?? []).toString('utf8')).toMatch(/^id: 0\nevent: Message\n/);
		expect(Date.now() - t0).toBeLessThan(1000);
		ac.abort();
		await reader.read().catch(() => undefined);
	});
});

// ====================================================================== redirects, refused connections

describe('redirects and refused connections', () => {
	test('redirect: 307 by default with Location, empty body, no log id; not a run', async () => {
		cloud.setRunScenario(WF, { kind: 'redirect', to: 'https://api.coze.com/v1/workflow/run' });
		const a = await run(cloud, {}, WF, { redirect: 'manual' });
		expect(a.status).toBe(307);
		expect(a.headers.get('location')).toBe('https://api.coze.com/v1/workflow/run');
		expect(a.text).toBe('');
		expect(a.headers.get('x-tt-logid')).toBeNull();
		studio.setRunScenario(WF, { kind: 'redirect', to: '/elsewhere', status: 301 });
		const b = await run(studio, {}, WF, { redirect: 'manual' });
		expect(b.status).toBe(301);
		expect(b.headers.get('location')).toBe('/elsewhere');
		expect(cloud.runCount(WF) + studio.runCount(WF)).toBe(0);
	});

	test('fetch follows a 307 with the POST body (dropping Authorization cross-origin); a 302 becomes a GET', async () => {
		cloud.setRunScenario(WF, { kind: 'redirect', to: `${studio.url}/v1/workflow/run` });
		const a = await run(cloud, { input: '跟随' });
		const resent = studio.requests[studio.requests.length - 1];
		expect(resent.method).toBe('POST');
		expect(resent.body).toEqual({ workflow_id: WF, parameters: { input: '跟随' } });
		// Another port is another origin: fetch strips the Bearer token, so Studio refuses it.
		expect(resent.headers.authorization).toBeUndefined();
		expect(a.json.code).toBe(700012006);
		expect(studio.runCount(WF) + cloud.runCount(WF)).toBe(0);

		cloud.setRunScenario(WF, { kind: 'redirect', to: `${studio.url}/v1/workflow/run`, status: 302 });
		await run(cloud, { input: 'get' });
		expect(studio.requests[studio.requests.length - 1].method).toBe('GET');
	});

	test('closedPortUrl: a loopback URL whose connection is refused', async () => {
		const url = await closedPortUrl();
		expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const err = await fetch(`${url}/v1/workflow/run`, { method: 'POST', body: '{}' }).then(
			() => undefined,
			(e: unknown) => e as Error & { cause?: { code?: string } },
		);
		expect(err?.name).toBe('TypeError'); // fetch failed (not instanceof: jest's realm differs)
		expect(err?.cause?.code).toBe('ECONNREFUSED');
	});
});
