/**
 * Wire-level tests of the Coze emulator's streaming, resume, async and chat-flow endpoints, both
 * dialects, over real HTTP on 127.0.0.1 (Node's global fetch, and `http.request` where the
 * individual socket chunks matter). SSE is parsed by the small parser below.
 */
import { request } from 'node:http';

import type { CozeEmulator, Dialect, RunScenario } from './emulator';
import { startCozeEmulator } from './emulator';
import type { Answer as HttpAnswer } from './harness/answer';
import { readAnswer } from './harness/answer';

const TOKEN = 'test-token';
const WF = '7549000000000000001';
const BOT = '7549000000000000100';
const APP = '7549000000000000200';
const ID19 = /^\d{19}$/;

// ---------------------------------------------------------------- helpers

interface Ev {
	id?: string;
	event?: string;
	data: string;
}

/** A small SSE parser: any line ending, `field: value` (one optional space), data lines joined by \n. */
function parseSse(text: string): { events: Ev[]; partial: boolean } {
	const events: Ev[] = [];
	const lines = text.split(/\r\n|\r|\n/);
	const last = lines.pop() ?? '';
	let cur: { id?: string; event?: string; data: string[] } = { data: [] };
	let has = false;
	for (const line of lines) {
		if (line === '') {
			if (has) events.push({ id: cur.id, event: cur.event, data: cur.data.join('\n') });
			cur = { data: [] };
			has = false;
			continue;
		}
		const at = line.indexOf(':');
		const field = at === -1 ? line : line.slice(0, at);
		let value = at === -1 ? '' : line.slice(at + 1);
		if (value.startsWith(' ')) value = value.slice(1);
		has = true;
		if (field === 'id') cur.id = value;
		else if (field === 'event') cur.event = value;
		else if (field === 'data') cur.data.push(value);
	}
	return { events, partial: has || last !== '' };
}

interface Answer extends HttpAnswer {
	contentType: string | null;
	events: Ev[];
}

async function post(emu: CozeEmulator, path: string, body: unknown, init: RequestInit = {}): Promise<Answer> {
	const res = await fetch(`${emu.url}${path}`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
		body: typeof body === 'string' ? body : JSON.stringify(body),
		...init,
	});
	return answer(res);
}

async function get(emu: CozeEmulator, path: string, headers: Record<string, string> = {}): Promise<Answer> {
	return answer(await fetch(`${emu.url}${path}`, { headers: { Authorization: `Bearer ${TOKEN}`, ...headers } }));
}

async function answer(res: Response): Promise<Answer> {
	const read = await readAnswer(res);
	return { ...read, contentType: res.headers.get('content-type'), events: parseSse(read.text).events };
}

const data = (e: Ev): Record<string, unknown> => JSON.parse(e.data) as Record<string, unknown>;
const names = (a: Answer): Array<string | undefined> => a.events.map((e) => e.event);
const ids = (a: Answer): Array<string | undefined> => a.events.map((e) => e.id);
const seq = (from: number, n: number): string[] => Array.from({ length: n }, (_, i) => String(from + i));

/** Raw HTTP/1.1 request: every body `data` callback as its own Buffer. */
function rawChunks(emu: CozeEmulator, path: string, body: unknown): Promise<{ status: number; headers: Record<string, unknown>; chunks: Buffer[] }> {
	return new Promise((resolve, reject) => {
		const u = new URL(`${emu.url}${path}`);
		const payload = JSON.stringify(body);
		const req = request(
			{
				host: '127.0.0.1',
				port: u.port,
				path: u.pathname,
				method: 'POST',
				headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, chunks }));
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(payload);
	});
}

/** Is the byte at `i` a UTF-8 continuation byte (i.e. inside a multi-byte character)? */
const isContinuation = (b: number | undefined): boolean => b !== undefined && (b & 0xc0) === 0x80;

/** Reads a fetch body until `n` SSE events were parsed, then aborts. */
async function readEvents(emu: CozeEmulator, path: string, body: unknown, n: number): Promise<{ events: Ev[]; ms: number }> {
	const ac = new AbortController();
	const started = Date.now();
	const res = await fetch(`${emu.url}${path}`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
		signal: ac.signal,
	});
	const reader = (res.body as ReadableStream<Uint8Array>).getReader();
	const dec = new TextDecoder();
	let text = '';
	let events: Ev[] = [];
	while (events.length < n) {
		const { value, done } = await reader.read();
		if (done) break;
		text += dec.decode(value, { stream: true });
		events = parseSse(text).events;
	}
	ac.abort();
	await reader.cancel().catch(() => undefined);
	return { events, ms: Date.now() - started };
}

let cloud: CozeEmulator;
let studio: CozeEmulator;
const emuOf = (d: Dialect): CozeEmulator => (d === 'cloud' ? cloud : studio);

beforeAll(async () => {
	cloud = await startCozeEmulator({ dialect: 'cloud' });
	studio = await startCozeEmulator({ dialect: 'studio' });
});
afterAll(async () => {
	await Promise.all([cloud.close(), studio.close()]);
});
beforeEach(() => {
	cloud.reset();
	studio.reset();
});

const streamRun = (emu: CozeEmulator, body: unknown): Promise<Answer> => post(emu, '/v1/workflow/stream_run', body);
const streamResume = (emu: CozeEmulator, body: unknown): Promise<Answer> => post(emu, '/v1/workflow/stream_resume', body);
const chat = (emu: CozeEmulator, body: unknown): Promise<Answer> => post(emu, '/v1/workflows/chat', body);

// ====================================================================== stream_run

describe.each<Dialect>(['cloud', 'studio'])('%s: POST /v1/workflow/stream_run', (dialect) => {
	const emu = (): CozeEmulator => emuOf(dialect);
	const isCloud = dialect === 'cloud';

	test('default: Output-node chunks, End message with the echo payload, Done; ids from 0; exact wire format', async () => {
		const a = await streamRun(emu(), { workflow_id: WF, parameters: { city: '北京' }, bot_id: BOT });
		expect(a.status).toBe(200);
		expect(a.contentType).toBe(isCloud ? 'text/event-stream' : 'text/event-stream; charset=utf-8');
		expect(a.headers.get('content-length')).toBeNull();
		expect(a.headers.get(isCloud ? 'x-tt-logid' : 'x-log-id')).toBeTruthy();
		expect(a.text.startsWith('id: 0\nevent: Message\ndata: {"content":"工作流","content_type":"text",')).toBe(true);
		expect(a.text.endsWith('\n\n')).toBe(true);
		expect(names(a)).toEqual(['Message', 'Message', 'Message', 'Done']);
		expect(ids(a)).toEqual(seq(0, 4));
		const [m0, m1, end, done] = a.events.map(data);
		expect(m0).toMatchObject({ content: '工作流', node_title: 'Message', node_seq_id: '0', node_is_finish: false });
		expect(m1).toMatchObject({ node_title: 'Message', node_seq_id: '1', node_is_finish: true });
		expect(end).toMatchObject({ node_title: 'End', node_is_finish: true, node_seq_id: '0', node_id: '900001', content_type: 'text' });
		expect(JSON.parse(end.content as string)).toEqual({ parameters: { city: '北京' }, workflow_id: WF, bot_id: BOT });
		if (isCloud) {
			expect(Object.keys(end)).toEqual(['content', 'content_type', 'cost', 'node_id', 'node_is_finish', 'node_seq_id', 'node_title', 'token', 'usage']);
			expect(end.usage).toEqual({ input_count: 0, output_count: 0, token_count: 0 });
			expect(m0).not.toHaveProperty('node_type');
			expect(done).toEqual({});
		} else {
			expect(Object.keys(end)).toEqual(['content', 'content_type', 'node_seq_id', 'node_id', 'node_is_finish', 'node_type', 'node_title', 'token']);
			expect(end).toMatchObject({ node_type: 'End', token: 0 });
			expect(m0).toMatchObject({ node_type: 'Message' });
			expect(end).not.toHaveProperty('usage');
			expect(Object.keys(done)).toEqual(['debug_url']);
			expect(done.debug_url).toMatch(new RegExp(`^${studio.url}/work_flow\\?execute_id=\\d{19}&execute_mode=2&space_id=\\d{19}&workflow_id=${WF}$`));
		}
		expect(emu().streamsOf(WF)).toHaveLength(1);
		expect(emu().runsOf(WF)).toHaveLength(0);
		expect(emu().runRequestsOf(WF)).toHaveLength(1);
	});

	test('result: messages of several nodes, string output as is, usage; cloud doneDebugUrl', async () => {
		emu().setStreamScenario(WF, {
			kind: 'result',
			output: 'plain 文本',
			messages: [
				{ node_title: 'A', chunks: ['a1', 'a2', 'a3'] },
				{ node_title: 'B', chunks: ['b1'] },
			],
			usage: { input_count: 3, output_count: 4, token_count: 7 },
			doneDebugUrl: true,
		});
		const a = await streamRun(emu(), { workflow_id: WF });
		const ev = a.events.map(data);
		expect(ev.map((e) => [e.node_title, e.node_seq_id, e.node_is_finish])).toEqual([
			['A', '0', false],
			['A', '1', false],
			['A', '2', true],
			['B', '0', true],
			['End', '0', true],
			[undefined, undefined, undefined],
		]);
		expect(ev[0].node_id).not.toBe(ev[3].node_id);
		expect(ev[4].content).toBe('plain 文本');
		if (isCloud) {
			expect(ev[4]).toMatchObject({ usage: { input_count: 3, output_count: 4, token_count: 7 }, token: 7 });
			expect(ev[5].debug_url).toMatch(/^https:\/\/www\.coze\.cn\/work_flow\?execute_id=\d{19}&/);
		} else {
			expect(ev[4].token).toBe(7);
		}
		emu().setStreamScenario(WF, { kind: 'result', output: { 输出: [1, 2] }, messages: [] });
		const b = await streamRun(emu(), { workflow_id: WF });
		expect(names(b)).toEqual(['Message', 'Done']);
		expect(data(b.events[0]).content).toBe('{"输出":[1,2]}');
	});

	test("chunking 'byte' + CRLF: many socket chunks, split inside a multi-byte character and inside \\r\\n", async () => {
		emu().setStreamScenario(WF, { kind: 'result', output: '你好', messages: [], chunking: 'byte', lineEnding: '\r\n', delayMs: 1 });
		const r = await rawChunks(emu(), '/v1/workflow/stream_run', { workflow_id: WF });
		expect(r.status).toBe(200);
		expect(r.headers['transfer-encoding']).toBe('chunked');
		expect(r.chunks.length).toBeGreaterThan(50);
		const whole = Buffer.concat(r.chunks);
		let offset = 0;
		let splitsChar = false;
		let splitsCrlf = false;
		for (const c of r.chunks) {
			offset += c.length;
			if (isContinuation(whole[offset])) splitsChar = true;
			if (whole[offset - 1] === 0x0d && whole[offset] === 0x0a) splitsCrlf = true;
		}
		expect(splitsChar).toBe(true);
		expect(splitsCrlf).toBe(true);
		const text = whole.toString('utf8');
		expect(text).not.toMatch(/[^\r]\n/); // every line ends with CRLF
		expect(text.endsWith('\r\n\r\n')).toBe(true);
		const { events, partial } = parseSse(text);
		expect(partial).toBe(false);
		expect(events.map((e) => e.event)).toEqual(['Message', 'Done']);
		expect(JSON.parse(events[0].data).content).toBe('你好');
	});

	test("chunking 'random' (seeded) and { every }: forced splits, bounded pieces across events, same events", async () => {
		emu().setStreamScenario(WF, { kind: 'result', output: { 城市: '杭州' }, chunking: 'random', seed: 7, lineEnding: '\r\n', delayMs: 1 });
		const r = await rawChunks(emu(), '/v1/workflow/stream_run', { workflow_id: WF });
		const whole = Buffer.concat(r.chunks);
		let offset = 0;
		let splitsChar = 0;
		let splitsCrlf = 0;
		for (const c of r.chunks) {
			offset += c.length;
			if (isContinuation(whole[offset])) splitsChar++;
			if (whole[offset - 1] === 0x0d && whole[offset] === 0x0a) splitsCrlf++;
		}
		expect(r.chunks.length).toBeGreaterThan(10);
		expect(splitsChar).toBeGreaterThanOrEqual(3); // forced in each of the 3 events with CJK text
		expect(splitsCrlf).toBeGreaterThanOrEqual(4); // forced in every event
		expect(parseSse(whole.toString('utf8')).events.map((e) => e.event)).toEqual(['Message', 'Message', 'Message', 'Done']);

		emu().setStreamScenario(WF, { kind: 'result', chunking: { every: 7 } });
		const e = await rawChunks(emu(), '/v1/workflow/stream_run', { workflow_id: WF });
		expect(e.chunks.slice(0, -1).every((c) => c.length === 7)).toBe(true);
		expect(e.chunks[e.chunks.length - 1].length).toBeLessThanOrEqual(7);
		expect(parseSse(Buffer.concat(e.chunks).toString('utf8')).events).toHaveLength(4);

		emu().setStreamScenario(WF, { kind: 'result', chunking: { every: 100_000 } }); // all events in one write
		const one = await rawChunks(emu(), '/v1/workflow/stream_run', { workflow_id: WF });
		expect(one.chunks).toHaveLength(1);
		expect(parseSse(one.chunks[0].toString('utf8')).events).toHaveLength(4);

		emu().setStreamScenario(WF, { kind: 'result' }); // 'whole': one chunk per event
		const w = await rawChunks(emu(), '/v1/workflow/stream_run', { workflow_id: WF });
		expect(w.chunks).toHaveLength(4);
		expect(w.chunks.every((c) => c.toString('utf8').endsWith('\n\n'))).toBe(true);
	});

	test('pingBetween: a PING between every two events, numbered, data {"content":"{}"}', async () => {
		emu().setStreamScenario(WF, { kind: 'result', pingBetween: true });
		const a = await streamRun(emu(), { workflow_id: WF });
		expect(names(a)).toEqual(['Message', 'PING', 'Message', 'PING', 'Message', 'PING', 'Done']);
		expect(ids(a)).toEqual(seq(0, 7));
		expect(a.events[1].data).toBe('{"content":"{}"}');
	});

	test('errorEvent: messages, then Error, no Done', async () => {
		emu().setStreamScenario(WF, { kind: 'errorEvent', code: 720701013, message: 'Workflow execution failure: boom', afterMessages: 2 });
		const a = await streamRun(emu(), { workflow_id: WF });
		expect(names(a)).toEqual(['Message', 'Message', 'Error']);
		expect(ids(a)).toEqual(seq(0, 3));
		const err = data(a.events[2]);
		if (isCloud) expect(err).toEqual({ error_code: 720701013, error_message: 'Workflow execution failure: boom' });
		else {
			expect(Object.keys(err)).toEqual(['debug_url', 'error_code', 'error_message']);
			expect(err).toMatchObject({ error_code: 720701013, error_message: 'Workflow execution failure: boom' });
		}
	});

	test("studioPlainError: lowercase `error`, plain-text data (multi-line → several data lines), no id", async () => {
		emu().setStreamScenario(WF, { kind: 'studioPlainError', text: 'context canceled\nsecond line', afterMessages: 1 });
		const a = await streamRun(emu(), { workflow_id: WF });
		expect(names(a)).toEqual(['Message', 'error']);
		expect(a.events[1]).toEqual({ id: undefined, event: 'error', data: 'context canceled\nsecond line' });
		expect(a.text.endsWith('event: error\ndata: context canceled\ndata: second line\n\n')).toBe(true);
	});

	test('truncated: ends cleanly without Done after n events', async () => {
		emu().setStreamScenario(WF, { kind: 'truncated', afterEvents: 3 });
		const a = await streamRun(emu(), { workflow_id: WF });
		expect(a.status).toBe(200);
		expect(names(a)).toEqual(['Message', 'Message', 'Message']);
		expect(a.events.every((e) => data(e).node_is_finish === false)).toBe(true);
		expect(parseSse(a.text).partial).toBe(false);
	});

	test('stall: n events, then silence with the socket open; the client aborts; the emulator keeps serving', async () => {
		emu().setStreamScenario(WF, { kind: 'stall', afterEvents: 2 });
		const ac = new AbortController();
		const res = await fetch(`${emu().url}/v1/workflow/stream_run`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ workflow_id: WF }),
			signal: ac.signal,
		});
		const reader = (res.body as ReadableStream<Uint8Array>).getReader();
		let text = '';
		while (parseSse(text).events.length < 2) text += new TextDecoder().decode((await reader.read()).value);
		const next = reader.read();
		const timedOut = await Promise.race([next.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 300))]);
		expect(timedOut).toBe(true); // nothing more arrives
		ac.abort();
		await expect(next).rejects.toMatchObject({ name: 'AbortError' });
		expect(parseSse(text).events).toHaveLength(2);
		expect((await streamRun(emu(), { workflow_id: '7549000000000000002' })).events).toHaveLength(4);
	});

	test('many: generated lazily — the first events of a 5,000,000-event stream arrive at once; a full 3,000-event stream', async () => {
		emu().setStreamScenario(WF, { kind: 'many', count: 5_000_000 });
		const first = await readEvents(emu(), '/v1/workflow/stream_run', { workflow_id: WF }, 5);
		expect(first.events.map((e) => e.id)).toEqual(seq(0, 5));
		expect(first.ms).toBeLessThan(1500);
		emu().setStreamScenario(WF, { kind: 'many', count: 3000, chunkText: 'x', chunking: { every: 16384 } });
		const a = await streamRun(emu(), { workflow_id: WF });
		expect(a.events).toHaveLength(3002);
		expect(a.events[3002 - 1]).toMatchObject({ id: '3001', event: 'Done' });
		expect(data(a.events[2999])).toMatchObject({ node_seq_id: '2999', node_is_finish: true, content: 'x' });
		expect(data(a.events[3000]).content).toBe('{"count":3000}');
	});

	test('questions → resume → final: Interrupt without Done, ids restart at 0, answers collected; resuming again fails', async () => {
		emu().setStreamScenario(WF, { kind: 'questions', questions: ['哪个城市？', 'Which day?'] });
		const a = await streamRun(emu(), { workflow_id: WF, parameters: {} });
		expect(names(a)).toEqual(['Message', 'Interrupt']);
		expect(ids(a)).toEqual(['0', '1']);
		expect(data(a.events[0])).toMatchObject({ content: '哪个城市？', node_title: '问答', node_is_finish: true, node_seq_id: '0' });
		const int1 = data(a.events[1]);
		const ev1 = (int1.interrupt_data as { event_id: string }).event_id;
		expect(ev1).toMatch(/^\d{19}\/\d{19}$/);
		const executeId = ev1.split('/')[0];
		if (isCloud) {
			expect(int1).toEqual({ interrupt_data: { data: '', event_id: ev1, type: 2 }, node_title: '问答' });
		} else {
			expect(Object.keys(int1)).toEqual(['debug_url', 'interrupt_data']);
			expect(Object.keys(int1.interrupt_data as object)).toEqual(['event_id', 'type', 'data']);
			expect(JSON.parse((int1.interrupt_data as { data: string }).data)).toMatchObject({ messages: [{ type: 'question', content: '哪个城市？' }] });
		}

		const b = await streamResume(emu(), { workflow_id: WF, event_id: ev1, interrupt_type: 2, resume_data: '杭州' });
		expect(names(b)).toEqual(['Message', 'Interrupt']);
		expect(ids(b)).toEqual(['0', '1']);
		expect(data(b.events[0]).content).toBe('Which day?');
		const ev2 = (data(b.events[1]).interrupt_data as { event_id: string }).event_id;
		expect(ev2.split('/')[0]).toBe(executeId);
		expect(ev2).not.toBe(ev1);

		const c = await streamResume(emu(), { workflow_id: WF, event_id: ev2, interrupt_type: 2, resume_data: 'tomorrow' });
		expect(names(c)).toEqual(['Message', 'Done']);
		expect(ids(c)).toEqual(['0', '1']);
		expect(data(c.events[0])).toMatchObject({ node_title: 'End', node_is_finish: true, node_seq_id: '0' });
		expect(JSON.parse(data(c.events[0]).content as string)).toEqual({ answers: ['杭州', 'tomorrow'] });

		const again = await streamResume(emu(), { workflow_id: WF, event_id: ev2, interrupt_type: 2, resume_data: 'x' });
		expect(again.status).toBe(200);
		expect(again.contentType).toBe('application/json; charset=utf-8');
		if (isCloud) expect(again.json).toMatchObject({ code: 4315 });
		else expect(again.json).toEqual({ code: 720701013, msg: `Workflow execution failure: workflow execution ${executeId} is not interrupted, status is 2, cannot resume` });
		expect(emu().runRequestsOf(WF)).toHaveLength(4);
		expect(emu().streamsOf(WF)).toHaveLength(1);
	});

	test('at most 3 resumes: the 3rd resume that would ask again fails the workflow; a 4th is refused', async () => {
		emu().setStreamScenario(WF, { kind: 'questions', questions: ['q1', 'q2', 'q3', 'q4', 'q5'], output: { done: true } });
		let a = await streamRun(emu(), { workflow_id: WF });
		let eventId = '';
		for (let i = 1; i <= 3; i++) {
			eventId = (data(a.events[a.events.length - 1]).interrupt_data as { event_id: string }).event_id;
			a = await streamResume(emu(), { workflow_id: WF, event_id: eventId, interrupt_type: 2, resume_data: `a${i}` });
			if (i < 3) expect(names(a)).toEqual(['Message', 'Interrupt']);
		}
		expect(names(a)).toEqual(['Error']);
		expect(ids(a)).toEqual(['0']);
		expect(data(a.events[0])).toMatchObject({ error_code: 720701013 });
		const fourth = await streamResume(emu(), { workflow_id: WF, event_id: eventId, interrupt_type: 2, resume_data: 'a4' });
		expect(fourth.json.code).toBe(isCloud ? 4315 : 720701013);
		if (!isCloud) expect(fourth.json.msg).toMatch(/is not interrupted, status is 3, cannot resume$/);
	});

	test('the execution is in the run history (run_mode 1)', async () => {
		emu().setStreamScenario(WF, { kind: 'result', output: { ok: 1 }, doneDebugUrl: true });
		const a = await streamRun(emu(), { workflow_id: WF });
		const executeId = new URL(data(a.events[a.events.length - 1]).debug_url as string).searchParams.get('execute_id') as string;
		const h = isCloud
			? await get(cloud, `/v1/workflows/${WF}/run_histories/${executeId}`)
			: await get(studio, `/v1/workflow/get_run_history?workflow_id=${WF}&execute_id=${executeId}`);
		const item = (h.json.data as Array<Record<string, unknown>>)[0];
		expect(item).toMatchObject({ execute_status: 'Success', run_mode: 1 });
		expect(isCloud ? JSON.parse(item.output as string) : item.output).toEqual(isCloud ? { Output: '{"ok":1}' } : '{"ok":1}');
	});
});

describe('stream_run / stream_resume: validation and pre-stream failures', () => {
	test('cloud: 4000 bad body, 4200 unpublished, jsonInsteadOfStream (application/json or as told) — all with detail', async () => {
		for (const b of [{ parameters: {} }, { workflow_id: WF, parameters: [1] }, { workflow_id: WF, bot_id: BOT, app_id: APP }, '{']) {
			const a = await streamRun(cloud, b);
			expect(a.status).toBe(200);
			expect(a.contentType).toBe('application/json; charset=utf-8');
			expect(a.json).toMatchObject({ code: 4000, msg: 'Request parameter error', detail: { logid: expect.any(String) } });
		}
		cloud.setStreamScenario(WF, { kind: 'unpublished' });
		expect((await streamRun(cloud, { workflow_id: WF })).json).toMatchObject({ code: 4200, detail: {} });
		cloud.setStreamScenario(WF, { kind: 'jsonInsteadOfStream', code: 4101, msg: 'no permission' });
		const j = await streamRun(cloud, { workflow_id: WF });
		expect(j.contentType).toBe('application/json; charset=utf-8');
		expect(Object.keys(j.json)).toEqual(['code', 'msg', 'detail']);
		expect(j.json).toMatchObject({ code: 4101, msg: 'no permission' });
		cloud.setStreamScenario(WF, { kind: 'jsonInsteadOfStream', code: 4101, msg: 'no permission', contentType: 'text/event-stream' });
		const k = await streamRun(cloud, { workflow_id: WF });
		expect(k.contentType).toBe('text/event-stream');
		expect(JSON.parse(k.text)).toMatchObject({ code: 4101 });
		expect((await streamRun(cloud, { workflow_id: WF })).status).toBe(200);
		const auth = await post(cloud, '/v1/workflow/stream_run', { workflow_id: WF }, { headers: { 'Content-Type': 'application/json' } });
		expect(auth.json).toMatchObject({ code: 4100 });
	});

	test('studio: internal codes as HTTP 200 JSON; content type configurable; binding errors HTTP 400', async () => {
		studio.setStreamScenario(WF, { kind: 'unpublished' });
		const u = await streamRun(studio, { workflow_id: WF });
		expect(u.status).toBe(200);
		expect(u.contentType).toBe('application/json; charset=utf-8');
		expect(u.headers.get('content-length')).toBeNull(); // written through Hertz's chunked SSE writer
		expect(u.json).toEqual({ code: 720702011, msg: expect.stringMatching(/^Workflow not published\./) });
		studio.studioPreStreamContentType = 'text/event-stream';
		const u2 = await streamRun(studio, { workflow_id: WF });
		expect(u2.contentType).toBe('text/event-stream; charset=utf-8');
		expect(JSON.parse(u2.text)).toMatchObject({ code: 720702011 });
		studio.reset(); // restores the default content type
		expect((await streamRun(studio, { workflow_id: WF, parameters: '[1]' })).json).toMatchObject({ code: 720702001 });
		expect((await streamRun(studio, { workflow_id: 'abc' })).json.msg).toMatch(/^Workflow execution failure: panic error: strconv\.ParseInt: parsing "abc": invalid syntax/);
		expect((await streamRun(studio, { workflow_id: WF, bot_id: BOT, app_id: APP })).json).toEqual({
			code: 720701013,
			msg: 'Workflow execution failure: project_id and bot_id cannot be set at the same time',
		});
		const bind = await streamRun(studio, { workflow_id: WF, ext: { latitude: 1 } });
		expect(bind.status).toBe(400);
		expect(bind.json.code).toBe(400);
		studio.setStreamScenario(WF, { kind: 'jsonInsteadOfStream', code: 720702004, msg: 'workflow not found', contentType: 'text/plain' });
		const j = await streamRun(studio, { workflow_id: WF });
		expect(j.contentType).toBe('text/plain');
		expect(JSON.parse(j.text)).toEqual({ code: 720702004, msg: 'workflow not found' });
	});

	test('studio: event_id must be exactly two `/`-separated integers; unknown executions', async () => {
		const cases: Array<[string, string]> = [
			['abc', 'invalid event id when stream resume: abc'],
			['1/2/3', 'invalid event id when stream resume: 1/2/3'],
			['', 'invalid event id when stream resume: '],
			['x/1', 'invalid syntax'],
			['1/99999999999999999999', 'value out of range'],
			['7560000000009999999/1', 'workflow execution does not exist, id: 7560000000009999999'],
		];
		for (const [eventId, cause] of cases) {
			const a = await streamResume(studio, { workflow_id: WF, event_id: eventId, interrupt_type: 2, resume_data: 'x' });
			expect(a.status).toBe(200);
			expect(a.json).toEqual({ code: 720701013, msg: `Workflow execution failure: ${cause}` });
		}
		const bind = await streamResume(studio, { workflow_id: WF, event_id: '1/2', interrupt_type: '2', resume_data: 'x' });
		expect(bind.status).toBe(400);
		// a finished (non-question) stream run is not interrupted
		const r = await streamRun(studio, { workflow_id: WF });
		const exe = new URL(data(r.events[r.events.length - 1]).debug_url as string).searchParams.get('execute_id');
		const fin = await streamResume(studio, { workflow_id: WF, event_id: `${exe}/1`, interrupt_type: 2, resume_data: 'x' });
		expect(fin.json.msg).toBe(`Workflow execution failure: workflow execution ${exe} is not interrupted, status is 2, cannot resume`);
	});

	test('cloud: resume body checks → 4000; unknown event / other workflow → 4314; stale event → 4315', async () => {
		for (const b of [{ workflow_id: WF, event_id: '1/2', resume_data: 'x' }, { workflow_id: WF, event_id: '1/2', interrupt_type: 2, resume_data: 3 }, { event_id: '1/2', interrupt_type: 2, resume_data: 'x' }]) {
			expect((await streamResume(cloud, b)).json).toMatchObject({ code: 4000 });
		}
		expect((await streamResume(cloud, { workflow_id: WF, event_id: 'nope', interrupt_type: 2, resume_data: 'x' })).json).toMatchObject({ code: 4314 });
		cloud.setStreamScenario(WF, { kind: 'questions', questions: ['a?', 'b?'] });
		const a = await streamRun(cloud, { workflow_id: WF });
		const ev = (data(a.events[1]).interrupt_data as { event_id: string }).event_id;
		expect((await streamResume(cloud, { workflow_id: '7549000000000000009', event_id: ev, interrupt_type: 2, resume_data: 'x' })).json).toMatchObject({ code: 4314 });
		await streamResume(cloud, { workflow_id: WF, event_id: ev, interrupt_type: 2, resume_data: 'x' });
		expect((await streamResume(cloud, { workflow_id: WF, event_id: ev, interrupt_type: 2, resume_data: 'x' })).json).toMatchObject({ code: 4315 });
	});

	test('close() ends stalled streams promptly', async () => {
		for (const dialect of ['cloud', 'studio'] as const) {
			const e = await startCozeEmulator({ dialect });
			e.setStreamScenario(WF, { kind: 'stall', afterEvents: 1 });
			const res = await fetch(`${e.url}/v1/workflow/stream_run`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ workflow_id: WF }),
			});
			const body = res.text();
			body.catch(() => undefined);
			const started = Date.now();
			await e.close();
			expect(Date.now() - started).toBeLessThan(1000);
			await expect(body).rejects.toThrow();
		}
	});
});

// ====================================================================== /v1/workflows/resume (cloud)

describe('POST /v1/workflows/resume', () => {
	const run = (body: unknown): Promise<Answer> => post(cloud, '/v1/workflow/run', body);
	const resume = (eventId: string, answerText: string, wf = WF): Promise<Answer> =>
		post(cloud, '/v1/workflows/resume', { workflow_id: wf, event_id: eventId, interrupt_type: 2, resume_data: answerText });

	test('cloud: continues a sync interrupt; default answer {parameters, resume_data}; a chained interrupt; refusals', async () => {
		cloud.setRunScenario(WF, { kind: 'interrupt', eventId: '7404831988202520614/1', type: 2, data: '{"question":"City?"}' });
		const r = await run({ workflow_id: WF, parameters: { q: 1 } });
		expect(r.json.interrupt_data).toMatchObject({ event_id: '7404831988202520614/1' });
		const a = await resume('7404831988202520614/1', '杭州');
		expect(a.json).toMatchObject({ code: 0, msg: '' });
		expect(JSON.parse(a.json.data as string)).toEqual({ parameters: { q: 1 }, resume_data: '杭州' });
		expect(new URL(a.json.debug_url as string).searchParams.get('execute_id')).toBe(new URL(r.json.debug_url as string).searchParams.get('execute_id'));
		expect((await resume('7404831988202520614/1', 'again')).json).toMatchObject({ code: 4315 });
		expect((await resume('7404831988202520614/9', 'x')).json).toMatchObject({ code: 4314 });
		expect((await post(cloud, '/v1/workflows/resume', { workflow_id: WF, event_id: 'e' })).json).toMatchObject({ code: 4000 });

		cloud.setRunScenario(WF, {
			kind: 'interrupt',
			eventId: 'e1',
			type: 2,
			data: '',
			then: { kind: 'interrupt', eventId: 'e2', type: 5, data: '{}', then: { kind: 'text', text: 'done' } },
		});
		await run({ workflow_id: WF });
		const b = await resume('e1', 'x');
		expect(b.json.interrupt_data).toEqual({ event_id: 'e2', type: 5, data: '{}' });
		expect((await resume('e2', 'y')).json.data).toBe('{"content_type":1,"data":"done","type_for_model":2}');
		expect(cloud.runRequestsOf(WF)).toHaveLength(2 + 6); // 2 runs + 6 resume requests (refused ones too)
	});

	test('cloud: the 3rd resume that would interrupt again fails the run', async () => {
		const loop = (n: number): RunScenario => ({ kind: 'interrupt', eventId: `L${n}`, type: 2, data: '', then: n < 5 ? loop(n + 1) : undefined });
		cloud.setRunScenario(WF, loop(0));
		await run({ workflow_id: WF });
		expect((await resume('L0', '1')).json.interrupt_data).toMatchObject({ event_id: 'L1' });
		expect((await resume('L1', '2')).json.interrupt_data).toMatchObject({ event_id: 'L2' });
		const third = await resume('L2', '3');
		expect(third.json).toMatchObject({ code: 720701013, debug_url: expect.stringContaining('execute_mode=2') });
		expect((await resume('L2', '4')).json).toMatchObject({ code: 4315 });
	});

	test('studio has no such route (Open-API auth does not cover it: session middleware, then NoRoute)', async () => {
		const body = { workflow_id: WF, event_id: '1/2', interrupt_type: 2, resume_data: 'x' };
		expect((await post(studio, '/v1/workflows/resume', body)).json).toEqual({ code: 401, msg: 'missing session_key in cookie' });
		const withCookie = await post(studio, '/v1/workflows/resume', body, {
			headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', Cookie: 'session_key=s' },
		});
		expect(withCookie.status).toBe(404);
		expect(withCookie.json).toEqual({ code: 404, msg: 'not found' });
	});
});

// ====================================================================== async runs + history

describe('async runs and run history', () => {
	const cloudHistory = (exe: string, wf = WF): Promise<Answer> => get(cloud, `/v1/workflows/${wf}/run_histories/${exe}`);
	const studioHistory = (exe: string): Promise<Answer> => get(studio, `/v1/workflow/get_run_history?workflow_id=${WF}&execute_id=${exe}`);
	const item = (a: Answer): Record<string, unknown> => (a.json.data as Array<Record<string, unknown>>)[0];

	test('cloud: start answer, Running for pollsUntilDone polls, then Success with {"Output":…} (§7.5)', async () => {
		cloud.setAsyncScenario(WF, { kind: 'complete', pollsUntilDone: 2, output: { answer: '你好' }, usage: { input_count: 1, output_count: 2, token_count: 3 } });
		const s = await post(cloud, '/v1/workflow/run', { workflow_id: WF, parameters: { q: 1 }, is_async: true });
		expect(Object.keys(s.json)).toEqual(['code', 'msg', 'execute_id', 'debug_url', 'detail']);
		expect(s.json).toMatchObject({ code: 0, msg: '' });
		const exe = s.json.execute_id as string;
		expect(exe).toMatch(ID19);
		for (let i = 0; i < 2; i++) {
			const h = await cloudHistory(exe);
			expect(h.json).toMatchObject({ code: 0, msg: '', detail: { logid: expect.any(String) } });
			expect(item(h)).toMatchObject({ execute_id: exe, execute_status: 'Running', output: '{"node_status":"{}","Output":""}', run_mode: 2, error_code: '' });
		}
		const done = await cloudHistory(exe);
		expect(Object.keys(item(done))).toEqual([
			'execute_id',
			'execute_status',
			'bot_id',
			'connector_id',
			'connector_uid',
			'run_mode',
			'logid',
			'create_time',
			'update_time',
			'output',
			'token',
			'usage',
			'error_code',
			'error_message',
			'is_output_trimmed',
			'node_execute_status',
			'debug_url',
		]);
		expect(item(done)).toMatchObject({ execute_status: 'Success', bot_id: '0', connector_id: '1024', error_message: '', usage: { token_count: 3 } });
		expect(item(done).output).toBe('{"Output":"{\\"answer\\":\\"你好\\"}"}');
		expect(cloud.historyPollsOf(exe)).toBe(3);
		expect(cloud.runsOf(WF)).toHaveLength(1);
	});

	test('cloud: textMode wrapper, default echo output, fail, 6003, neverFinishes, 4314', async () => {
		const start = async (wf: string): Promise<string> => (await post(cloud, '/v1/workflow/run', { workflow_id: wf, is_async: true, parameters: { p: 'x' } })).json.execute_id as string;
		cloud.setAsyncScenario('1', { kind: 'complete', pollsUntilDone: 0, output: 'Hi there', textMode: true });
		const e1 = await start('1');
		expect(JSON.parse(item(await cloudHistory(e1, '1')).output as string)).toEqual({
			Output: '{"content_type":1,"data":"Hi there","original_result":null,"type_for_model":2}',
		});
		const e2 = await start('2'); // default: complete after 2 polls, echo payload
		await cloudHistory(e2, '2');
		await cloudHistory(e2, '2');
		expect(JSON.parse(JSON.parse(item(await cloudHistory(e2, '2')).output as string).Output as string)).toEqual({ parameters: { p: 'x' }, workflow_id: '2' });
		cloud.setAsyncScenario('3', { kind: 'fail', pollsUntilDone: 1, errorCode: 720701013, errorMessage: 'node failed' });
		const e3 = await start('3');
		expect(item(await cloudHistory(e3, '3')).execute_status).toBe('Running');
		expect(item(await cloudHistory(e3, '3'))).toMatchObject({ execute_status: 'Fail', error_code: '720701013', error_message: 'node failed' });
		cloud.setAsyncScenario('4', { kind: 'premiumRequired' });
		const p = await post(cloud, '/v1/workflow/run', { workflow_id: '4', is_async: true });
		expect(p.json).toMatchObject({
			code: 6003,
			msg: 'Workflow execution with is_async=true is a premium feature available only to Coze Professional users',
		});
		expect(p.json).not.toHaveProperty('execute_id');
		cloud.setAsyncScenario('5', { kind: 'neverFinishes' });
		const e5 = await start('5');
		for (let i = 0; i < 5; i++) expect(item(await cloudHistory(e5, '5')).execute_status).toBe('Running');
		expect(cloud.historyPollsOf(e5)).toBe(5);
		expect((await cloudHistory('7560000000000099999')).json).toMatchObject({ code: 4314 });
		expect((await cloudHistory(e5, WF)).json).toMatchObject({ code: 4314 }); // another workflow's execution
	});

	test('cloud: a sync run is findable in the history', async () => {
		cloud.setRunScenario(WF, { kind: 'json', data: { r: 1 }, usage: { input_count: 1, output_count: 1, token_count: 2 } });
		const r = await post(cloud, '/v1/workflow/run', { workflow_id: WF, parameters: { a: 1 } });
		const exe = new URL(r.json.debug_url as string).searchParams.get('execute_id') as string;
		expect(item(await cloudHistory(exe))).toMatchObject({ execute_id: exe, execute_status: 'Success', run_mode: 0, output: '{"Output":"{\\"r\\":1}"}', token: '2' });
		cloud.setRunScenario(WF, { kind: 'error', code: 720701013, msg: 'bad' });
		const f = await post(cloud, '/v1/workflow/run', { workflow_id: WF });
		expect(f.json.code).toBe(720701013);
		expect(cloud.historyPollsOf(exe)).toBe(1);
	});

	test('studio: data null + execute_id; numeric execute_id exact in the raw text; raw output; error_msg; not plan-gated; Cancel', async () => {
		studio.setAsyncScenario(WF, { kind: 'complete', pollsUntilDone: 1, output: { answer: 'ok' } });
		const s = await post(studio, '/v1/workflow/run', { workflow_id: WF, is_async: true });
		expect(s.json).toMatchObject({ code: 0, msg: null, data: null, token: null, cost: null, BaseResp: null });
		const exe = s.json.execute_id as string;
		expect(exe).toMatch(ID19);
		expect(Number(exe) > Number.MAX_SAFE_INTEGER).toBe(true);
		const h1 = await studioHistory(exe);
		expect(h1.json).not.toHaveProperty('code');
		expect(h1.text).toContain(`"execute_id":${exe},`); // a bare 19-digit number, not rounded
		expect(JSON.stringify(item(h1).execute_id)).not.toBe(exe); // what JSON.parse makes of it
		expect(item(h1)).toMatchObject({ execute_status: 'Running', output: null, run_mode: 2, error_msg: null });
		const h2 = await studioHistory(exe);
		expect(item(h2)).toMatchObject({ execute_status: 'Success', output: '{"answer":"ok"}', log_id: expect.any(String) });
		expect(item(h2)).not.toHaveProperty('error_message');
		expect(studio.historyPollsOf(exe)).toBe(2);

		studio.setAsyncScenario('7549000000000000003', { kind: 'fail', pollsUntilDone: 0, errorCode: '720701013', errorMessage: 'boom' });
		const f = (await post(studio, '/v1/workflow/run', { workflow_id: '7549000000000000003', is_async: true })).json.execute_id as string;
		expect(item(await studioHistory(f))).toMatchObject({ execute_status: 'Fail', error_code: '720701013', error_msg: 'boom' });
		studio.setAsyncScenario(WF, { kind: 'premiumRequired' });
		const p = await post(studio, '/v1/workflow/run', { workflow_id: WF, is_async: true });
		expect(p.json).toMatchObject({ code: 0, data: null });
		for (const emu of [studio, cloud]) {
			emu.setAsyncScenario(WF, { kind: 'cancel', pollsUntilDone: 0 });
			const c = (await post(emu, '/v1/workflow/run', { workflow_id: WF, is_async: true })).json.execute_id as string;
			const h = emu === studio ? await studioHistory(c) : await cloudHistory(c);
			expect(item(h)).toMatchObject(
				emu === studio
					? { execute_status: 'Cancel', error_code: '777777777', error_msg: 'workflow cancel by user' }
					: { execute_status: 'Fail', error_code: '777777777', error_message: 'workflow cancel by user' },
			);
		}
	});
});

// ====================================================================== chat flow

describe.each<Dialect>(['cloud', 'studio'])('%s: POST /v1/workflows/chat', (dialect) => {
	const emu = (): CozeEmulator => emuOf(dialect);
	const isCloud = dialect === 'cloud';
	const body = (content: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
		workflow_id: WF,
		bot_id: BOT,
		additional_messages: [{ role: 'user', content, content_type: 'text' }],
		parameters: { CONVERSATION_NAME: 'Default' },
		...extra,
	});

	test('answer (default: echo of the last user message): event order, ids, 19-digit ids, usage, done', async () => {
		const a = await chat(emu(), body('你好，世界'));
		expect(a.status).toBe(200);
		expect(a.contentType).toMatch(/^text\/event-stream/);
		const expected = ['conversation.chat.created', 'conversation.chat.in_progress', 'conversation.message.delta', 'conversation.message.delta', 'conversation.message.delta', 'conversation.message.completed'];
		expect(names(a)).toEqual(
			isCloud ? [...expected, 'conversation.message.completed', 'conversation.chat.completed', 'done'] : [...expected, 'conversation.chat.completed', 'done'],
		);
		expect(ids(a)).toEqual(isCloud ? a.events.map(() => undefined) : seq(1, a.events.length));
		const created = data(a.events[0]);
		expect(created.id).toMatch(ID19);
		expect(created.conversation_id).toMatch(ID19);
		expect(created.status).toBe('created');
		const deltas = a.events.filter((e) => e.event === 'conversation.message.delta').map((e) => data(e).content);
		expect(deltas.join('')).toBe('你好，世界');
		const completed = data(a.events[5]);
		expect(completed).toMatchObject({ content: '你好，世界', role: 'assistant', type: 'answer', chat_id: created.id, conversation_id: created.conversation_id });
		const chatDone = data(a.events.find((e) => e.event === 'conversation.chat.completed') as Ev);
		expect(chatDone.status).toBe('completed');
		if (isCloud) {
			expect(chatDone.usage).toEqual({ token_count: 10, output_count: 5, input_count: 5 });
			expect(data(a.events[6]).type).toBe('verbose');
			expect(a.events[a.events.length - 1].data).toMatch(/^\{"debug_url":"https:\/\/www\.coze\.cn\/work_flow\?execute_id=\d{19}\\u0026space_id=/);
		} else {
			expect(chatDone).toMatchObject({ bot_id: BOT, usage: { token_count: 10, output_count: 5, input_count: 5 }, execute_id: expect.stringMatching(ID19) });
			expect(Object.keys(chatDone)).toEqual(['id', 'conversation_id', 'bot_id', 'status', 'usage', 'execute_id', 'section_id']);
			expect(data(a.events[a.events.length - 1]).debug_url).toMatch(/&execute_mode=2&/);
		}
		expect(emu().runRequestsOf(WF)).toHaveLength(1);
	});

	test('conversations: a given conversation_id is kept; without one a conversation is created', async () => {
		const first = data((await chat(emu(), body('a', { chunks: 1 }))).events[0]);
		const conv = first.conversation_id as string;
		const again = data((await chat(emu(), body('b', { conversation_id: conv }))).events[0]);
		expect(again.conversation_id).toBe(conv);
		expect(again.id).not.toBe(first.id);
		const other = data((await chat(emu(), body('c', isCloud ? {} : { parameters: { CONVERSATION_NAME: 'other' } }))).events[0]);
		expect(other.conversation_id).not.toBe(conv);
		expect(other.conversation_id).toMatch(ID19);
	});

	test('question → requires_action; the next chat with the answer continues', async () => {
		emu().setChatScenario(WF, { kind: 'question', question: 'Which city?', then: 'Weather in {{answer}}: sunny', chunks: 2 });
		const q = await chat(emu(), body('weather?'));
		expect(names(q)).toEqual([
			'conversation.chat.created',
			'conversation.chat.in_progress',
			'conversation.message.delta',
			'conversation.message.completed',
			'conversation.chat.requires_action',
			'done',
		]);
		expect(data(q.events[3]).content).toBe('Which city?');
		expect(data(q.events[4]).status).toBe('requires_action');
		const conv = data(q.events[0]).conversation_id as string;
		const a = await chat(emu(), body('Hangzhou', { conversation_id: conv }));
		expect(names(a)).toContain('conversation.chat.completed');
		expect(a.events.filter((e) => e.event === 'conversation.message.delta')).toHaveLength(2);
		expect(data(a.events.find((e) => e.event === 'conversation.message.completed') as Ev).content).toBe('Weather in Hangzhou: sunny');
		if (!isCloud) expect(data(a.events[0]).execute_id).toBe(data(q.events[0]).execute_id); // the same run resumed
		// the question is answered: the next chat asks again
		expect(names(await chat(emu(), body('again', { conversation_id: conv })))).toContain('conversation.chat.requires_action');
	});

	test('failed: chat.failed with last_error (cloud default) or an error event (studio default); no done', async () => {
		emu().setChatScenario(WF, { kind: 'failed', code: 720701013, msg: 'node failed' });
		const a = await chat(emu(), body('x'));
		expect(names(a).slice(0, 2)).toEqual(['conversation.chat.created', 'conversation.chat.in_progress']);
		expect(names(a)).not.toContain('done');
		const last = data(a.events[2]);
		if (isCloud) {
			expect(a.events[2].event).toBe('conversation.chat.failed');
			expect(last).toMatchObject({ status: 'failed', last_error: { code: 720701013, msg: 'node failed' } });
		} else {
			expect(a.events[2]).toMatchObject({ event: 'error', id: '3' });
			expect(last).toEqual({ code: '720701013', msg: 'node failed', debug_url: expect.stringContaining('/work_flow?') });
		}
		emu().setChatScenario(WF, { kind: 'failed', code: 5000, msg: 'x', via: isCloud ? 'errorEvent' : 'chatFailed' });
		const b = await chat(emu(), body('x'));
		expect(b.events[2].event).toBe(isCloud ? 'error' : 'conversation.chat.failed');
	});

	test('doneData options and stream options (CRLF, byte chunking)', async () => {
		emu().setChatScenario(WF, { kind: 'answer', text: '好', doneData: '[DONE]', lineEnding: '\r\n', chunking: 'byte' });
		const a = await chat(emu(), body('x'));
		expect(a.text).toContain('\r\n\r\n');
		expect(a.events[a.events.length - 1]).toMatchObject({ event: 'done', data: '[DONE]' });
		emu().setChatScenario(WF, { kind: 'answer', text: '好', doneData: '"[DONE]"' });
		expect((await chat(emu(), body('x'))).events.pop()?.data).toBe('"[DONE]"');
	});
});

describe('chat validation', () => {
	const msgs = [{ role: 'user', content: 'hi', content_type: 'text' }];

	test('cloud: exactly one of bot_id / app_id (4000), messages checked, 4002 for a malformed conversation_id', async () => {
		for (const b of [
			{ workflow_id: WF, additional_messages: msgs }, // neither
			{ workflow_id: WF, additional_messages: msgs, bot_id: BOT, app_id: APP }, // both
			{ workflow_id: WF, additional_messages: [], bot_id: BOT },
			{ workflow_id: WF, additional_messages: [{ role: 'assistant', content: 'x' }], bot_id: BOT },
			{ additional_messages: msgs, bot_id: BOT },
		]) {
			const a = await chat(cloud, b);
			expect(a.contentType).toBe('application/json; charset=utf-8');
			expect(a.json).toMatchObject({ code: 4000, msg: 'Request parameter error' });
		}
		expect((await chat(cloud, { workflow_id: WF, additional_messages: msgs, app_id: APP, conversation_id: 'abc' })).json).toMatchObject({ code: 4002 });
		expect((await chat(cloud, { workflow_id: WF, additional_messages: Array(51).fill(msgs[0]), app_id: APP })).json).toMatchObject({ code: 4004 });
		expect((await chat(cloud, { workflow_id: WF, additional_messages: msgs, app_id: APP })).status).toBe(200);
	});

	test('studio: 777777775 operation failures as pre-stream JSON; bot_id/app_id optional', async () => {
		const fail = async (b: unknown, cause: string): Promise<void> => {
			const a = await chat(studio, b);
			expect(a.status).toBe(200);
			expect(a.contentType).toBe('application/json; charset=utf-8');
			expect(a.json).toEqual({ code: 777777775, msg: `Workflow operation failure: ${cause}` });
		};
		const p = { CONVERSATION_NAME: 'Default' };
		await fail({ workflow_id: WF, additional_messages: [], parameters: p }, 'additional_messages is requird');
		await fail({ workflow_id: WF, additional_messages: [{ role: 'assistant', content: 'x', content_type: 'text' }], parameters: p }, 'the role of the last day message must be user');
		await fail({ workflow_id: WF, additional_messages: msgs, bot_id: BOT, app_id: APP, parameters: p }, 'project_id and bot_id cannot be set at the same time');
		await fail({ workflow_id: WF, additional_messages: msgs, app_id: APP }, 'conversation name is requried');
		await fail({ workflow_id: WF, additional_messages: msgs, app_id: APP, conversation_id: '7564000000000099999' }, 'conversation not found');
		await fail({ workflow_id: WF, additional_messages: [{ role: 'user', content: 'x' }], parameters: p }, 'invalid message content type ');
		expect((await chat(studio, { workflow_id: WF, additional_messages: msgs, parameters: p })).events.length).toBeGreaterThan(3); // neither bot nor app
		expect((await chat(studio, { workflow_id: WF, additional_messages: [{ role: 1 }] })).status).toBe(400);
	});

	test('runRequestsOf counts every run-starting or -continuing request; runsOf only /v1/workflow/run', async () => {
		await post(cloud, '/v1/workflow/run', { workflow_id: WF });
		await streamRun(cloud, { workflow_id: WF });
		await chat(cloud, { workflow_id: WF, additional_messages: msgs, bot_id: BOT });
		await streamResume(cloud, { workflow_id: WF, event_id: '1/2', interrupt_type: 2, resume_data: 'x' });
		await post(cloud, '/v1/workflows/resume', { workflow_id: WF, event_id: '1/2', interrupt_type: 2, resume_data: 'x' });
		await get(cloud, `/v1/workflows/${WF}/run_histories/1`);
		expect(cloud.runRequestsOf(WF).map((r) => r.path)).toEqual([
			'/v1/workflow/run',
			'/v1/workflow/stream_run',
			'/v1/workflows/chat',
			'/v1/workflow/stream_resume',
			'/v1/workflows/resume',
		]);
		expect(cloud.runsOf(WF)).toHaveLength(1);
		expect(cloud.streamsOf(WF)).toHaveLength(1);
		expect(cloud.historyPollsOf('1')).toBe(1);
	});
});
