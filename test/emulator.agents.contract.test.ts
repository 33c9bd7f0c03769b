/**
 * The agent (bot) part of the emulator's contract (coze-api.md §10), over real HTTP with plain
 * fetch in both dialects: /v3/chat streamed and not, polling, cancel, tool outputs,
 * conversations, listings, files retrieve, Studio's envelopes and error formats. The sources of
 * each behaviour are named where the emulator serves it (test/emulator/agent*.ts, conversations.ts).
 */
import type { CozeEmulator, Dialect } from './emulator';
import {
	DRAFT_AGENT_ID,
	ECHO_AGENT_ID,
	ECHO_FOLLOW_UPS,
	FAILING_AGENT_ID,
	PERSONAL_WORKSPACE_ID,
	REASONING_AGENT_ID,
	SLOW_AGENT_ID,
	startCozeEmulator,
	STUDIO_WEATHER_OUTPUT,
	TOOL_AGENT_ID,
	UNKNOWN_AGENT_ID,
} from './emulator';

interface Res {
	status: number;
	headers: Headers;
	text: string;
	body: Record<string, unknown>;
}
interface Ev {
	event: string;
	data: string;
	json?: Record<string, unknown>;
}
type J = Record<string, unknown>;

const emus: Partial<Record<Dialect, CozeEmulator>> = {};
beforeAll(async () => {
	emus.cloud = await startCozeEmulator({ dialect: 'cloud' });
	emus.studio = await startCozeEmulator({ dialect: 'studio' });
});
afterAll(async () => {
	await emus.cloud?.close();
	await emus.studio?.close();
});
beforeEach(() => {
	for (const e of Object.values(emus)) {
		e.reset();
		e.setAgentOptions({ latencyMs: 20, slowMs: 400 });
	}
});

async function call(emu: CozeEmulator, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
	const r = await fetch(emu.url + path, {
		method,
		headers: { Authorization: 'Bearer test-token', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await r.text();
	let parsed: J = {};
	try {
		parsed = JSON.parse(text) as J;
	} catch {
		/* SSE or text */
	}
	return { status: r.status, headers: r.headers, text, body: parsed };
}

function events(text: string): Ev[] {
	return text
		.split('\n\n')
		.filter((b) => b.trim() !== '')
		.map((block) => {
			const ev: Ev = { event: '', data: '' };
			for (const line of block.split('\n')) {
				const i = line.indexOf(':');
				if (line.slice(0, i) === 'event') ev.event = line.slice(i + 1);
				else if (line.slice(0, i) === 'data') ev.data = line.slice(i + 1);
				else throw new Error(`unexpected SSE line ${line}`);
			}
			try {
				ev.json = JSON.parse(ev.data) as J;
			} catch {
				/* empty / "[DONE]" */
			}
			return ev;
		});
}

const user = (content: string, extra: J = {}): J => ({ role: 'user', content, content_type: 'text', ...extra });
const chatBody = (botId: string, text: string, extra: J = {}): J => ({ bot_id: botId, user_id: 'u1', stream: true, additional_messages: [user(text)], ...extra });
const answerOf = (evs: Ev[]): string =>
	evs.filter((e) => e.event === 'conversation.message.delta' && e.json?.type === 'answer').map((e) => String(e.json?.content)).join('');
const data = (r: Res): J => r.body.data as J;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function poll(emu: CozeEmulator, convId: string, chatId: string, until: (s: string) => boolean): Promise<J> {
	for (let i = 0; i < 100; i++) {
		const r = await call(emu, emu.dialect === 'cloud' ? 'POST' : 'GET', `/v3/chat/retrieve?conversation_id=${convId}&chat_id=${chatId}`);
		const chat = r.body.data as J;
		if (until(String(chat.status))) return chat;
		await sleep(20);
	}
	throw new Error('poll timeout');
}

describe('cloud: POST /v3/chat stream', () => {
	it('streams every event in order, without id: lines, ending with done "[DONE]"', async () => {
		const emu = emus.cloud as CozeEmulator;
		const r = await call(emu, 'POST', '/v3/chat', chatBody(ECHO_AGENT_ID, 'hello there'));
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
		expect(r.text).not.toMatch(/^id:/m);
		expect(r.text).not.toMatch(/^(event|data): /m);
		const evs = events(r.text);
		const names = evs.map((e) => e.event);
		const deltas = names.filter((n) => n === 'conversation.message.delta').length;
		expect(deltas).toBeGreaterThan(2);
		expect(names).toEqual([
			'conversation.chat.created',
			'conversation.chat.in_progress',
			...Array(deltas).fill('conversation.message.delta'),
			'conversation.message.completed',
			'conversation.message.completed',
			'conversation.message.completed',
			'conversation.message.completed',
			'conversation.chat.completed',
			'done',
		]);
		expect(evs[evs.length - 1].data).toBe('"[DONE]"');
		expect(answerOf(evs)).toBe('Echo: hello there (turn 1)');
		const completed = evs.filter((e) => e.event === 'conversation.message.completed').map((e) => e.json as J);
		expect(completed.map((m) => m.type)).toEqual(['answer', 'verbose', 'follow_up', 'follow_up']);
		expect(completed.slice(2).map((m) => m.content)).toEqual([...ECHO_FOLLOW_UPS]);
		expect(JSON.parse(String(completed[1].content))).toMatchObject({ msg_type: 'generate_answer_finish' });
		expect(String(completed[1].content)).toContain('FinData');
		const created = evs[0].json as J;
		expect(created).toMatchObject({ bot_id: ECHO_AGENT_ID, status: 'created', last_error: { code: 0, msg: '' } });
		expect(String(created.id)).toMatch(/^\d{19}$/);
		const done = evs[evs.length - 2].json as J;
		expect(done).toMatchObject({ status: 'completed' });
		expect((done.usage as J).token_count).toBeGreaterThan(0);
		expect(emu.chatRequestsOf(ECHO_AGENT_ID)).toHaveLength(1);
		expect(emu.conversationMessages(String(created.conversation_id)).map((m) => m.type)).toEqual(['question', 'answer', 'verbose', 'follow_up', 'follow_up']);
	});

	it('custom_variables and object_string items are echoed; reasoning comes first', async () => {
		const emu = emus.cloud as CozeEmulator;
		const items = JSON.stringify([{ type: 'text', text: 'look' }, { type: 'image', file_id: '123' }, { type: 'file', file_url: 'https://x.invalid/a.pdf' }]);
		const r = await call(emu, 'POST', '/v3/chat', {
			...chatBody(ECHO_AGENT_ID, ''),
			additional_messages: [{ role: 'user', content: items, content_type: 'object_string' }],
			custom_variables: { b: '2', a: '1' },
		});
		expect(answerOf(events(r.text))).toBe('Echo: look (turn 1) [vars: a=1,b=2] [image:123] [file:https://x.invalid/a.pdf]');
		const rr = events((await call(emu, 'POST', '/v3/chat', chatBody(REASONING_AGENT_ID, 'why'))).text);
		const d = rr.filter((e) => e.event === 'conversation.message.delta').map((e) => e.json as J);
		const firstContent = d.findIndex((m) => m.content !== '');
		expect(firstContent).toBeGreaterThan(0);
		expect(d.slice(0, firstContent).every((m) => m.reasoning_content !== '')).toBe(true);
	});

	it('failing agent: conversation.chat.failed with last_error 5000 and no done', async () => {
		const evs = events((await call(emus.cloud as CozeEmulator, 'POST', '/v3/chat', chatBody(FAILING_AGENT_ID, 'x'))).text);
		expect(evs.map((e) => e.event)).toEqual(['conversation.chat.created', 'conversation.chat.in_progress', 'conversation.chat.failed']);
		expect(evs[2].json).toMatchObject({ status: 'failed', last_error: { code: 5000, msg: 'event interval error' } });
	});

	it('tool agent: requires_action, then submit_tool_outputs continues the chat', async () => {
		const emu = emus.cloud as CozeEmulator;
		const evs = events((await call(emu, 'POST', '/v3/chat', chatBody(TOOL_AGENT_ID, 'Paris'))).text);
		expect(evs.map((e) => e.event)).toEqual(['conversation.chat.created', 'conversation.chat.in_progress', 'conversation.message.completed', 'conversation.chat.requires_action', 'done']);
		expect(evs[2].json).toMatchObject({ type: 'function_call' });
		const chat = evs[3].json as J;
		const call0 = ((chat.required_action as J).submit_tool_outputs as J).tool_calls as J[];
		expect(call0[0]).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
		const q = `?conversation_id=${String(chat.conversation_id)}&chat_id=${String(chat.id)}`;
		const wrong = await call(emu, 'POST', `/v3/chat/submit_tool_outputs${q}`, { tool_outputs: [{ tool_call_id: 'call_nope', output: 'x' }], stream: true });
		expect(wrong.body.code).toBe(4000);
		const ok = events((await call(emu, 'POST', `/v3/chat/submit_tool_outputs${q}`, { tool_outputs: [{ tool_call_id: call0[0].id, output: 'rainy' }], stream: true })).text);
		expect(ok[0].event).toBe('conversation.chat.in_progress');
		expect(ok.find((e) => e.json?.type === 'tool_response')?.json?.content).toBe('rainy');
		expect(answerOf(ok)).toBe('The weather: rainy');
		expect(ok.slice(-2).map((e) => e.event)).toEqual(['conversation.chat.completed', 'done']);
		expect(emu.toolOutputRequestsOf(TOOL_AGENT_ID)).toHaveLength(2);
	});
});

describe('studio: POST /v3/chat stream', () => {
	it('ends with conversation.stream.done and empty data; chat objects carry 0 timestamps, no last_error', async () => {
		const r = await call(emus.studio as CozeEmulator, 'POST', '/v3/chat', { ...chatBody(ECHO_AGENT_ID, 'hi'), stream: undefined });
		expect(r.headers.get('x-accel-buffering')).toBe('no');
		expect(r.text.endsWith('event:conversation.stream.done\ndata:\n\n')).toBe(true);
		const evs = events(r.text);
		expect(evs[0].json).toMatchObject({ status: 'created', completed_at: 0, failed_at: 0 });
		for (const e of evs.filter((x) => x.event.startsWith('conversation.chat.'))) {
			expect(e.json).not.toHaveProperty('last_error');
			expect(e.json).not.toHaveProperty('required_action');
		}
		expect(answerOf(evs)).toBe('Echo: hi (turn 1)');
		expect(evs.find((e) => e.json?.type === 'verbose')?.json?.content).toContain('fin_data');
	});

	it('tool agent answers itself; failing agent sends event:error without done', async () => {
		const emu = emus.studio as CozeEmulator;
		const t = events((await call(emu, 'POST', '/v3/chat', chatBody(TOOL_AGENT_ID, 'Paris'))).text);
		expect(t.map((e) => e.event)).not.toContain('conversation.chat.requires_action');
		expect(answerOf(t)).toBe(`The weather: ${STUDIO_WEATHER_OUTPUT}`);
		const f = events((await call(emu, 'POST', '/v3/chat', chatBody(FAILING_AGENT_ID, 'x'))).text);
		expect(f.map((e) => e.event)).toEqual(['conversation.chat.created', 'conversation.chat.in_progress', 'error']);
		expect(f[2].json).toHaveProperty('code');
	});

	it('unknown bot / conversation: event:error (stream), HTTP 400 code 400 (non-stream); no submit_tool_outputs route', async () => {
		const emu = emus.studio as CozeEmulator;
		const s = await call(emu, 'POST', '/v3/chat', chatBody(UNKNOWN_AGENT_ID, 'x'));
		expect(s.status).toBe(200);
		const e = events(s.text);
		expect(e).toHaveLength(1);
		expect(e[0].json).toMatchObject({ code: 103100001 });
		expect(String(e[0].json?.msg)).toMatch(/^code=103100002 message=agent not exists\nstack=/);
		const n = await call(emu, 'POST', '/v3/chat', { ...chatBody(UNKNOWN_AGENT_ID, 'x'), stream: false });
		expect(n.status).toBe(400);
		expect(n.body.code).toBe(400);
		expect(String(n.body.msg)).toMatch(/^code=103100002 message=agent not exists/);
		const c = events((await call(emu, 'POST', '/v3/chat?conversation_id=7564999999999999999', chatBody(ECHO_AGENT_ID, 'x'))).text);
		expect(String(c[0].json?.msg)).toMatch(/^code=103000002 message=conversation not found/);
		const missing = await call(emu, 'POST', '/v3/chat', { user_id: 'u', stream: true });
		expect([missing.status, missing.body.code]).toEqual([400, 400]);
		const sub = await call(emu, 'POST', '/v3/chat/submit_tool_outputs?conversation_id=1&chat_id=2', { tool_outputs: [] });
		expect([sub.status, sub.body.code]).toEqual([401, 401]);
		for (const p of ['/v1/bots?workspace_id=1', '/v1/space/published_bots_list?space_id=1', '/v1/files/retrieve?file_id=1', '/v1/workspaces']) {
			expect((await call(emu, 'GET', p)).status).toBe(401);
		}
	});

	it('object_string with a numeric file_id is dropped silently', async () => {
		const emu = emus.studio as CozeEmulator;
		const items = JSON.stringify([{ type: 'image', file_id: 123 }]);
		const evs = events((await call(emu, 'POST', '/v3/chat', { ...chatBody(ECHO_AGENT_ID, 'first'), additional_messages: [user('first'), { role: 'user', content: items, content_type: 'object_string' }] })).text);
		expect(answerOf(evs)).toBe('Echo: first (turn 1)');
	});
});

describe.each<Dialect>(['cloud', 'studio'])('%s: non-stream chat, polling, messages, cancel', (dialect) => {
	const emu = (): CozeEmulator => emus[dialect] as CozeEmulator;

	it('answers status created at once, then completes on the clock; message list envelope', async () => {
		const r = await call(emu(), 'POST', '/v3/chat', { ...chatBody(ECHO_AGENT_ID, 'poll me'), stream: false });
		expect(data(r)).toMatchObject({ status: 'created', bot_id: ECHO_AGENT_ID });
		if (dialect === 'studio') expect(r.body).toMatchObject({ code: 0, msg: '', BaseResp: null });
		const chat = data(r);
		const done = await poll(emu(), String(chat.conversation_id), String(chat.id), (s) => s === 'completed');
		expect(done.completed_at).toBeGreaterThan(0);
		const list = await call(emu(), 'GET', `/v3/chat/message/list?conversation_id=${String(chat.conversation_id)}&chat_id=${String(chat.id)}`);
		const msgs = (dialect === 'cloud' ? list.body.data : list.body.Messages) as J[];
		expect(msgs.find((m) => m.type === 'answer')?.content).toBe('Echo: poll me (turn 1)');
		if (dialect === 'studio') {
			expect(list.body).not.toHaveProperty('data');
			const post = await call(emu(), 'POST', `/v3/chat/retrieve?conversation_id=${String(chat.conversation_id)}&chat_id=${String(chat.id)}`);
			expect(post.status).toBe(404);
		}
	});

	it('cancel a slow chat; a busy conversation refuses a second chat; cancel of a finished chat fails', async () => {
		const r = await call(emu(), 'POST', '/v3/chat', { ...chatBody(SLOW_AGENT_ID, 'wait'), stream: false });
		const chat = data(r);
		const ids = { conversation_id: String(chat.conversation_id), chat_id: String(chat.id) };
		const busy = await call(emu(), 'POST', `/v3/chat?conversation_id=${ids.conversation_id}`, { ...chatBody(ECHO_AGENT_ID, 'again'), stream: false });
		if (dialect === 'cloud') expect(busy.body.code).toBe(4016);
		else expect(busy.status).toBe(400);
		const c = await call(emu(), 'POST', '/v3/chat/cancel', ids);
		if (dialect === 'cloud') expect(c.body).toMatchObject({ code: 0, data: { status: 'canceled' } });
		else expect(c.body).toEqual({ ChatV3ChatDetail: expect.objectContaining({ status: 'conversation.chat.cancelled' }), BaseResp: null });
		const again = await call(emu(), 'POST', '/v3/chat/cancel', ids);
		if (dialect === 'cloud') expect(again.body.code).toBe(4104);
		else expect([again.status, again.body.code, String(again.body.msg).slice(0, 14)]).toEqual([400, 400, 'code=103200005']);
		const after = await call(emu(), 'GET', `/v3/chat/retrieve?conversation_id=${ids.conversation_id}&chat_id=${ids.chat_id}`);
		expect(data(after).status).toBe(dialect === 'cloud' ? 'canceled' : 'conversation.chat.cancelled');
	});

	it('cancel during a stream ends it with the canceled event', async () => {
		const res = fetch(`${emu().url}/v3/chat`, { method: 'POST', headers: { Authorization: 'Bearer test-token', 'Content-Type': 'application/json' }, body: JSON.stringify(chatBody(SLOW_AGENT_ID, 'x')) });
		// Cancel as soon as the chat.created event names the chat (the slow agent is still in_progress).
		const text = await (async () => {
			const r = await res;
			const reader = r.body!.getReader();
			let acc = '';
			let cancelled = false;
			for (;;) {
				const { value, done } = await reader.read();
				if (done) break;
				acc += new TextDecoder().decode(value);
				const created = events(acc.split('\n\n').slice(0, 1).join('\n\n') + '\n\n')[0];
				if (!cancelled && created?.json) {
					cancelled = true;
					await call(emu(), 'POST', '/v3/chat/cancel', { conversation_id: created.json.conversation_id, chat_id: created.json.id });
				}
			}
			return acc;
		})();
		const names = events(text).map((e) => e.event);
		expect(names).toContain(dialect === 'cloud' ? 'conversation.chat.canceled' : 'conversation.chat.cancelled');
		expect(names[names.length - 1]).toBe(dialect === 'cloud' ? 'done' : 'conversation.stream.done');
		expect(names).not.toContain('conversation.message.delta');
	});
});

describe.each<Dialect>(['cloud', 'studio'])('%s: conversations', (dialect) => {
	const emu = (): CozeEmulator => emus[dialect] as CozeEmulator;

	it('multi-turn, clear starts a new section, message list and retrieve envelopes', async () => {
		const created = await call(emu(), 'POST', '/v1/conversation/create', { bot_id: ECHO_AGENT_ID, meta_data: { k: 'v' }, messages: [user('old')] });
		const conv = data(created);
		expect(String(conv.id)).toMatch(/^\d{19}$/);
		expect(conv).toMatchObject({ meta_data: { k: 'v' } });
		const q = `?conversation_id=${String(conv.id)}`;
		const t1 = answerOf(events((await call(emu(), 'POST', `/v3/chat${q}`, chatBody(ECHO_AGENT_ID, 'one'))).text));
		const t2 = answerOf(events((await call(emu(), 'POST', `/v3/chat${q}`, chatBody(ECHO_AGENT_ID, 'two'))).text));
		// cloud keeps the created conversation's user message as a question of the section; Studio ignores `messages`.
		expect([t1, t2]).toEqual(dialect === 'cloud' ? ['Echo: one (turn 2)', 'Echo: two (turn 3)'] : ['Echo: one (turn 1)', 'Echo: two (turn 2)']);
		const clear = await call(emu(), 'POST', `/v1/conversations/${String(conv.id)}/clear`);
		expect(data(clear)).toMatchObject({ conversation_id: conv.id });
		expect(data(clear).id).not.toBe(conv.last_section_id);
		const t3 = answerOf(events((await call(emu(), 'POST', `/v3/chat${q}`, chatBody(ECHO_AGENT_ID, 'three'))).text));
		expect(t3).toBe('Echo: three (turn 1)');
		const list = await call(emu(), 'POST', `/v1/conversation/message/list${q}`, { limit: 2 });
		expect(list.body).toMatchObject({ code: 0, has_more: true });
		const page = list.body.data as J[];
		expect(page.map((m) => m.content)).toEqual(dialect === 'cloud' ? ['What else can you do?', 'Tell me more'] : ['Echo: three (turn 1)', 'three']);
		expect(list.body.first_id).toBe(page[0].id);
		expect(list.body.last_id).toBe(page[1].id);
		const asc = await call(emu(), 'POST', `/v1/conversation/message/list${q}`, { order: 'asc', limit: 1 });
		// Studio's store ignores `order` and lists newest first [ST:domain/conversation/message/internal/dal/message.go].
		expect((asc.body.data as J[])[0].content).toBe(dialect === 'cloud' ? 'old' : 'Echo: three (turn 1)');
		// after_id = last_id pages on to older messages (Studio's cursor; coze-py's LastIDPaged).
		const next = await call(emu(), 'POST', `/v1/conversation/message/list${q}`, { limit: 2, after_id: list.body.last_id });
		expect((next.body.data as J[]).every((m) => BigInt(String(m.id)) < BigInt(String(list.body.last_id)))).toBe(true);
		const r = await call(emu(), 'GET', `/v1/conversation/retrieve${q}`);
		const rd = (dialect === 'cloud' ? r.body.data : r.body.ConversationData) as J;
		expect(rd).toMatchObject({ id: conv.id, last_section_id: data(clear).id });
		const unknown = await call(emu(), 'GET', '/v1/conversation/retrieve?conversation_id=7564999999999999999');
		expect(unknown.body.code).toBe(dialect === 'cloud' ? 4002 : 103000002);
	});

	it('a body conversation_id is ignored: a new conversation', async () => {
		const conv = data(await call(emu(), 'POST', '/v1/conversation/create', {}));
		const evs = events((await call(emu(), 'POST', '/v3/chat', chatBody(ECHO_AGENT_ID, 'x', { conversation_id: conv.id }))).text);
		expect(evs[0].json?.conversation_id).not.toBe(conv.id);
	});

	it('bot info by id and online info', async () => {
		for (const p of [`/v1/bots/${ECHO_AGENT_ID}`, `/v1/bot/get_online_info?bot_id=${ECHO_AGENT_ID}`]) {
			const r = await call(emu(), 'GET', p);
			expect(data(r)).toMatchObject({ bot_id: ECHO_AGENT_ID, name: 'Support assistant 客服助手' });
		}
		const u = await call(emu(), 'GET', `/v1/bots/${UNKNOWN_AGENT_ID}`);
		expect(u.body.code).toBe(dialect === 'cloud' ? 4200 : 103100002);
	});
});

describe('cloud: listings, files, validation, rate limit', () => {
	const emu = (): CozeEmulator => emus.cloud as CozeEmulator;

	it('GET /v1/bots and /v1/space/published_bots_list', async () => {
		const r = await call(emu(), 'GET', `/v1/bots?workspace_id=${PERSONAL_WORKSPACE_ID}&page_num=1&page_size=2`);
		expect(data(r).total).toBe(5);
		expect((data(r).items as J[]).map((i) => i.id)).toEqual([ECHO_AGENT_ID, TOOL_AGENT_ID]);
		const all = await call(emu(), 'GET', `/v1/bots?workspace_id=${PERSONAL_WORKSPACE_ID}&publish_status=all`);
		expect(data(all).total).toBe(6);
		const p = await call(emu(), 'GET', `/v1/space/published_bots_list?space_id=${PERSONAL_WORKSPACE_ID}`);
		expect((data(p).space_bots as J[])[0]).toMatchObject({ bot_id: ECHO_AGENT_ID, bot_name: 'Support assistant 客服助手' });
		expect(typeof (data(p).space_bots as J[])[0].publish_time).toBe('string');
	});

	it('GET /v1/files/retrieve of an upload; unknown → 4200', async () => {
		const form = new FormData();
		form.append('file', new Blob(['hello']), 'a.txt');
		const up = await fetch(`${emu().url}/v1/files/upload`, { method: 'POST', headers: { Authorization: 'Bearer test-token' }, body: form });
		const id = String(((await up.json()) as { data: J }).data.id);
		const r = await call(emu(), 'GET', `/v1/files/retrieve?file_id=${id}`);
		expect(data(r)).toMatchObject({ id, bytes: 5, file_name: 'a.txt' });
		expect((await call(emu(), 'GET', '/v1/files/retrieve?file_id=1')).body.code).toBe(4200);
	});

	it('validation and unknown / draft bots', async () => {
		expect((await call(emu(), 'POST', '/v3/chat', { user_id: 'u' })).body.code).toBe(4000);
		expect((await call(emu(), 'POST', '/v3/chat', { bot_id: ECHO_AGENT_ID })).body.code).toBe(4000);
		expect((await call(emu(), 'POST', '/v3/chat', { ...chatBody(ECHO_AGENT_ID, 'x'), additional_messages: {} })).body.code).toBe(4000);
		expect((await call(emu(), 'POST', '/v3/chat', { ...chatBody(ECHO_AGENT_ID, 'x'), additional_messages: [{ role: 'bot', content: 'x', content_type: 'text' }] })).body.code).toBe(4000);
		expect((await call(emu(), 'POST', '/v3/chat', { ...chatBody(ECHO_AGENT_ID, 'x'), additional_messages: [{ role: 'user', content: '{}', content_type: 'object_string' }] })).body.code).toBe(4000);
		expect((await call(emu(), 'POST', '/v3/chat', chatBody(UNKNOWN_AGENT_ID, 'x'))).body.code).toBe(4200);
		expect((await call(emu(), 'POST', '/v3/chat', chatBody(DRAFT_AGENT_ID, 'x'))).body.code).toBe(4015);
		expect((await call(emu(), 'POST', '/v3/chat?conversation_id=7564999999999999999', chatBody(ECHO_AGENT_ID, 'x'))).body.code).toBe(4002);
	});

	it('agent chats count for the account rate limit', async () => {
		emu().setAccountRateLimit({ perSecond: 1, via: 'code4009' });
		expect((await call(emu(), 'POST', '/v3/chat', { ...chatBody(ECHO_AGENT_ID, 'a'), stream: false })).body.code).toBe(0);
		expect((await call(emu(), 'POST', '/v3/chat', { ...chatBody(ECHO_AGENT_ID, 'b'), stream: false })).body.code).toBe(4009);
		expect(emu().rateLimitRefusals).toBe(1);
	});
});
