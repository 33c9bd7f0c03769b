/**
 * Wire-level tests of the Coze emulator (test/emulator/), both dialects, over real HTTP on
 * 127.0.0.1 with Node's global fetch.
 */
import type { CozeEmulator, Dialect, RunScenario } from './emulator';
import { startCozeEmulator } from './emulator';
import type { Answer } from './harness/answer';
import { readAnswer } from './harness/answer';

const TOKEN = 'test-token';
const WF = '7549000000000000001';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CLOUD_LOGID = /^\d{14}[0-9A-F]{18}$/;
const ID19 = /^\d{19}$/;

interface SendOptions {
	method?: string;
	token?: string | null;
	authorization?: string;
	contentType?: string | null;
	headers?: Record<string, string>;
	signal?: AbortSignal;
}

async function send(emu: CozeEmulator, path: string, body?: unknown, o: SendOptions = {}): Promise<Answer> {
	const headers: Record<string, string> = { ...o.headers };
	if (o.authorization !== undefined) headers.Authorization = o.authorization;
	else if (o.token !== null) headers.Authorization = `Bearer ${o.token ?? TOKEN}`;
	if (body !== undefined && o.contentType !== null) headers['Content-Type'] = o.contentType ?? 'application/json';
	const res = await fetch(`${emu.url}${path}`, {
		method: o.method ?? (body === undefined ? 'GET' : 'POST'),
		headers,
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		signal: o.signal,
	});
	return await readAnswer(res);
}

const run = (emu: CozeEmulator, body: unknown, o?: SendOptions): Promise<Answer> => send(emu, '/v1/workflow/run', body, o);
const dataOf = (a: Answer): unknown => JSON.parse(a.json.data as string);

let cloud: CozeEmulator;
let studio: CozeEmulator;

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

describe('startCozeEmulator', () => {
	test('listens on 127.0.0.1, random port, no trailing slash; default token', () => {
		for (const emu of [cloud, studio]) {
			expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect([...emu.validTokens]).toEqual([TOKEN]);
		}
		expect(cloud.url).not.toBe(studio.url);
		expect(cloud.dialect).toBe('cloud');
		expect(studio.dialect).toBe('studio');
	});
});

// ====================================================================== cloud

describe('cloud POST /v1/workflow/run', () => {
	test('echo: success envelope, log id in header and body, no execute_id', async () => {
		const a = await run(cloud, {
			workflow_id: WF,
			parameters: { city: 'Beijing', n: 3 },
			bot_id: '7549000000000000100',
			ext: { user_id: 'u1' },
			workflow_version: 'v0.0.5',
			version: 'ignored-on-cloud',
			connector_id: '1024',
		});
		expect(a.status).toBe(200);
		expect(a.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(Object.keys(a.json)).toEqual(['code', 'msg', 'data', 'debug_url', 'usage', 'detail']);
		expect(a.json.code).toBe(0);
		expect(a.json.msg).toBe('');
		expect(a.json.usage).toEqual({ input_count: 0, output_count: 0, token_count: 0 });
		const logid = (a.json.detail as { logid: string }).logid;
		expect(logid).toMatch(CLOUD_LOGID);
		expect(a.headers.get('x-tt-logid')).toBe(logid);
		expect(a.headers.get('x-log-id')).toBeNull();
		expect(a.json.debug_url).toMatch(
			new RegExp(`^https://www\\.coze\\.cn/work_flow\\?execute_id=\\d{19}&space_id=\\d{19}&workflow_id=${WF}$`),
		);
		expect(dataOf(a)).toEqual({
			parameters: { city: 'Beijing', n: 3 },
			workflow_id: WF,
			bot_id: '7549000000000000100',
			ext: { user_id: 'u1' },
			workflow_version: 'v0.0.5',
			connector_id: '1024',
		});
	});

	test('json with usage, rawData (text and pre-serialized), text wrapper', async () => {
		cloud.setRunScenario('1', { kind: 'json', data: { output: 'ok', list: [1, 2] }, usage: { input_count: 5, output_count: 7, token_count: 12 } });
		cloud.setRunScenario('2', { kind: 'rawData', data: 'Beijing is at 116.4074E' });
		cloud.setRunScenario('3', { kind: 'rawData', data: '{"a":1, "b" : [ ]}' });
		cloud.setRunScenario('4', { kind: 'text', text: 'Hello George' });
		const a1 = await run(cloud, { workflow_id: '1' });
		expect(a1.json.data).toBe('{"output":"ok","list":[1,2]}');
		expect(a1.json.usage).toEqual({ input_count: 5, output_count: 7, token_count: 12 });
		expect((await run(cloud, { workflow_id: '2' })).json.data).toBe('Beijing is at 116.4074E');
		expect((await run(cloud, { workflow_id: '3' })).json.data).toBe('{"a":1, "b" : [ ]}');
		expect((await run(cloud, { workflow_id: '4' })).json.data).toBe('{"content_type":1,"data":"Hello George","type_for_model":2}');
	});

	test('error, with and without debug_url, custom HTTP status', async () => {
		cloud.setRunScenario('e1', { kind: 'error', code: 6003, msg: 'premium feature' });
		cloud.setRunScenario('e2', { kind: 'error', code: 720701013, msg: 'server issues', withDebugUrl: true, httpStatus: 500 });
		const a1 = await run(cloud, { workflow_id: 'e1' });
		expect(a1.status).toBe(200);
		expect(Object.keys(a1.json)).toEqual(['code', 'msg', 'detail']);
		expect(a1.json).toMatchObject({ code: 6003, msg: 'premium feature' });
		expect(a1.headers.get('x-tt-logid')).toBe((a1.json.detail as { logid: string }).logid);
		const a2 = await run(cloud, { workflow_id: 'e2' });
		expect(a2.status).toBe(500);
		expect(Object.keys(a2.json)).toEqual(['code', 'msg', 'debug_url', 'detail']);
		expect(a2.json.debug_url).toMatch(/^https:\/\/www\.coze\.cn\/work_flow\?execute_id=\d{19}&space_id=\d{19}&workflow_id=e2&execute_mode=2$/);
	});

	test('interrupt: code 0 + interrupt_data, no data', async () => {
		cloud.setRunScenario(WF, {
			kind: 'interrupt',
			eventId: '7404831988202520614/6302059919516746633',
			type: 2,
			data: '{"question":"Which city?"}',
			requiredParameters: { city: { type: 'string', required: true } },
		});
		const a = await run(cloud, { workflow_id: WF, parameters: {} });
		expect(a.json.code).toBe(0);
		expect(a.json).not.toHaveProperty('data');
		expect(a.json).not.toHaveProperty('execute_id');
		expect(a.json.interrupt_data).toEqual({
			event_id: '7404831988202520614/6302059919516746633',
			type: 2,
			data: '{"question":"Which city?"}',
			required_parameters: { city: { type: 'string', required: true } },
		});
		expect(typeof a.json.debug_url).toBe('string');
	});

	test('unpublished → 4200', async () => {
		cloud.setRunScenario(WF, { kind: 'unpublished' });
		const a = await run(cloud, { workflow_id: WF });
		expect(a.status).toBe(200);
		expect(a.json.code).toBe(4200);
		expect(typeof a.json.msg).toBe('string');
		expect(a.json).toHaveProperty('detail.logid');
	});

	test('auth: missing or unknown token → HTTP 200 code 4100; validTokens is live', async () => {
		for (const o of [{ token: null }, { token: 'nope' }, { authorization: 'Basic dGVzdA==' }] as SendOptions[]) {
			const a = await run(cloud, { workflow_id: WF }, o);
			expect(a.status).toBe(200);
			expect(Object.keys(a.json)).toEqual(['code', 'msg', 'detail']);
			expect(a.json).toMatchObject({ code: 4100, msg: 'authentication is invalid' });
			expect(a.headers.get('x-tt-logid')).toBe((a.json.detail as { logid: string }).logid);
		}
		cloud.validTokens.add('pat_new');
		expect((await run(cloud, { workflow_id: WF }, { token: 'pat_new' })).json.code).toBe(0);
		cloud.validTokens.delete('pat_new');
		expect((await run(cloud, { workflow_id: WF }, { token: 'pat_new' })).json.code).toBe(4100);
		expect(cloud.runsOf(WF)).toHaveLength(5); // rejected ones are recorded too
	});

	test('validation → 4000 "Request parameter error"', async () => {
		const bad: Array<string | object> = [
			{ parameters: {} }, // no workflow_id
			{ workflow_id: '' },
			'{"workflow_id":7549000000000000001}', // a number
			{ workflow_id: WF, bot_id: '7549000000000000100', app_id: '7549000000000000200' },
			{ workflow_id: WF, parameters: '{"a":1}' }, // string parameters: Studio only
			{ workflow_id: WF, parameters: [1] },
			'{"workflow_id":', // not JSON
			'',
		];
		for (const b of bad) {
			const a = await run(cloud, b);
			expect(a.status).toBe(200);
			expect(a.json).toMatchObject({ code: 4000, msg: 'Request parameter error' });
		}
		// accepted: non-string ext values (undocumented on cloud), null parameters
		const ok = await run(cloud, { workflow_id: WF, ext: { latitude: 39.9 }, parameters: null });
		expect(ok.json.code).toBe(0);
		expect(dataOf(ok)).toEqual({ parameters: {}, workflow_id: WF, ext: { latitude: 39.9 } });
	});
});

describe('cloud other endpoints', () => {
	test('GET /v1/workspaces?page_num=1&page_size=1 (credential test)', async () => {
		const a = await send(cloud, '/v1/workspaces?page_num=1&page_size=1');
		expect(a.status).toBe(200);
		expect(a.json).toEqual({
			code: 0,
			msg: '',
			data: {
				workspaces: [
					{
						id: expect.stringMatching(/^7\d{18}$/),
						name: 'Personal',
						icon_url: '',
						role_type: 'owner',
						workspace_type: 'personal',
						enterprise_id: '',
						joined_status: 'joined',
					},
				],
				total_count: 1,
			},
			detail: { logid: a.headers.get('x-tt-logid') },
		});
		const bad = await send(cloud, '/v1/workspaces?page_num=1&page_size=1', undefined, { token: 'expired' });
		expect(bad.json).toMatchObject({ code: 4100, msg: 'authentication is invalid' });
		// the workspace id is the space_id of debug URLs
		const r = await run(cloud, { workflow_id: WF });
		const spaceId = (a.json.data as { workspaces: Array<{ id: string }> }).workspaces[0].id;
		expect(r.json.debug_url).toContain(`space_id=${spaceId}`);
	});

	test('unknown path or method → 404', async () => {
		expect((await send(cloud, '/v1/nope')).status).toBe(404);
		expect((await send(cloud, '/v1/workflow/run')).status).toBe(404); // GET
		expect((await send(cloud, '/v1/workspaces', {})).status).toBe(404); // POST
	});
});

// ====================================================================== studio

describe('studio POST /v1/workflow/run', () => {
	const STUDIO_KEYS = ['code', 'msg', 'data', 'token', 'cost', 'debug_url', 'execute_id', 'BaseResp'];

	test('echo: Studio success shape, X-Log-ID uuid, execute_id string, `version` field', async () => {
		const a = await run(studio, {
			workflow_id: WF,
			parameters: { city: 'Beijing' },
			version: 'v0.0.1',
			workflow_version: 'cloud-name-ignored',
			bot_id: '7549000000000000100',
			connector_id: '1024',
			ext: { user_id: 'u1' },
		});
		expect(a.status).toBe(200);
		expect(a.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(a.headers.get('x-log-id')).toMatch(UUID);
		expect(a.headers.get('x-tt-logid')).toBeNull();
		expect(Object.keys(a.json)).toEqual(STUDIO_KEYS);
		expect(a.json).toMatchObject({ code: 0, msg: null, token: 0, cost: '0.00000', BaseResp: null });
		expect(a.text).toMatch(/"execute_id":"\d{19}"/);
		const exe = a.json.execute_id as string;
		expect(exe).toMatch(ID19);
		const u = new URL(a.json.debug_url as string);
		expect(`${u.protocol}//${u.host}${u.pathname}`).toBe(`${studio.url}/work_flow`);
		expect([...u.searchParams.keys()]).toEqual(['execute_id', 'execute_mode', 'space_id', 'workflow_id']);
		expect(u.searchParams.get('execute_id')).toBe(exe);
		expect(u.searchParams.get('execute_mode')).toBe('2');
		expect(u.searchParams.get('space_id')).toMatch(ID19);
		expect(u.searchParams.get('workflow_id')).toBe(WF);
		expect(dataOf(a)).toEqual({
			parameters: { city: 'Beijing' },
			workflow_id: WF,
			bot_id: '7549000000000000100',
			ext: { user_id: 'u1' },
			version: 'v0.0.1',
			connector_id: '1024',
		});
		expect(a.json).not.toHaveProperty('detail');
	});

	test('parameters as a JSON string are parsed; missing parameters = {}', async () => {
		expect(dataOf(await run(studio, { workflow_id: WF, parameters: '{"q":"x","n":1}' }))).toEqual({
			parameters: { q: 'x', n: 1 },
			workflow_id: WF,
		});
		expect(dataOf(await run(studio, { workflow_id: WF }))).toEqual({ parameters: {}, workflow_id: WF });
	});

	test('json (token = input+output), rawData, text wrapper', async () => {
		studio.setRunScenario('1', { kind: 'json', data: { output: 'ok' }, usage: { input_count: 5, output_count: 7, token_count: 12 } });
		studio.setRunScenario('2', { kind: 'rawData', data: 'plain words' });
		studio.setRunScenario('3', { kind: 'text', text: 'Hello George' });
		const a1 = await run(studio, { workflow_id: '1' });
		expect(a1.json).toMatchObject({ code: 0, data: '{"output":"ok"}', token: 12 });
		expect((await run(studio, { workflow_id: '2' })).json.data).toBe('plain words');
		expect((await run(studio, { workflow_id: '3' })).json.data).toBe('Hello George'); // the text itself (coze-api.md §9.5)
	});

	test('error envelope: every key present, nulls; zero-id debug_url unless withDebugUrl', async () => {
		studio.setRunScenario('11', { kind: 'error', code: 305000002, msg: 'code node failed' });
		studio.setRunScenario('12', { kind: 'error', code: 720701013, msg: 'Workflow execution failure: x', withDebugUrl: true });
		const a1 = await run(studio, { workflow_id: '11' });
		expect(a1.status).toBe(200);
		expect(Object.keys(a1.json)).toEqual(STUDIO_KEYS);
		expect(a1.json).toEqual({
			code: 305000002,
			msg: 'code node failed',
			data: null,
			token: null,
			cost: null,
			debug_url: `${studio.url}/work_flow?execute_id=0&execute_mode=2&space_id=0&workflow_id=0`,
			execute_id: null,
			BaseResp: null,
		});
		const a2 = await run(studio, { workflow_id: '12' });
		expect(a2.json.debug_url).toMatch(new RegExp(`execute_id=\\d{19}&execute_mode=2&space_id=\\d{19}&workflow_id=12$`));
		expect(a2.json.execute_id).toBeNull();
	});

	test('interrupt → 6039, unpublished → 6031', async () => {
		studio.setRunScenario('21', { kind: 'interrupt', eventId: '1/2', type: 2, data: '' });
		studio.setRunScenario('22', { kind: 'unpublished' });
		const a1 = await run(studio, { workflow_id: '21' });
		expect(a1.json).toMatchObject({
			code: 6039,
			msg: 'Synchronous requests do not support interruption. Please switch to asynchronous requests for interruptible operations.',
			data: null,
			execute_id: null,
		});
		expect(a1.json).not.toHaveProperty('interrupt_data');
		const a2 = await run(studio, { workflow_id: '22' });
		expect(a2.json.code).toBe(6031);
		expect(a2.json.msg).toMatch(/^Workflow not published\./);
	});

	test('auth: HTTP 200 code 700012006 with the reason', async () => {
		const cases: Array<[SendOptions, string]> = [
			[{ token: null }, 'authentication failed: missing authorization in header'],
			[{ token: 'nope' }, 'authentication failed: api key invalid'],
			[{ authorization: `bearer ${TOKEN}` }, 'authentication failed: missing api_key in request'],
			[{ authorization: 'Bearer ' }, 'authentication failed: missing api_key in request'],
		];
		for (const [o, msg] of cases) {
			const a = await run(studio, { workflow_id: WF }, o);
			expect(a.status).toBe(200);
			expect(a.json).toEqual({ code: 700012006, msg });
			expect(a.headers.get('x-log-id')).toMatch(UUID);
		}
	});

	test('validation as Studio does it', async () => {
		// not JSON / not an object → HTTP 400 {"code":400,"msg":…}
		for (const b of ['{"workflow_id":', '', '[1]']) {
			const a = await run(studio, b);
			expect(a.status).toBe(400);
			expect(Object.keys(a.json)).toEqual(['code', 'msg']);
			expect(a.json.code).toBe(400);
			expect(a.json.msg).toMatch(/^failed to unmarshal request body: /);
		}
		// binding type errors → HTTP 400
		for (const b of [{ workflow_id: WF, ext: { latitude: 39.9 } }, '{"workflow_id":7549000000000000001}', { workflow_id: WF, is_async: 'yes' }]) {
			const a = await run(studio, b);
			expect(a.status).toBe(400);
			expect(a.json.code).toBe(400);
			expect(a.json.msg).toMatch(/^Mismatch type /);
		}
		// missing workflow_id: not required by the binding; mustParseInt64("") panics → 720701013
		const noId = await run(studio, { parameters: {} });
		expect(noId.status).toBe(200);
		expect(noId.json.code).toBe(720701013);
		expect(noId.json.msg).toMatch(/^Workflow execution failure: panic error: strconv\.ParseInt: parsing "": invalid syntax/);
		// same when the body is not bound because Content-Type is not JSON
		const noCt = await run(studio, JSON.stringify({ workflow_id: WF }), { contentType: 'text/plain' });
		expect(noCt.json.code).toBe(720701013);
		// bot_id and app_id together
		const both = await run(studio, { workflow_id: WF, bot_id: '7549000000000000100', app_id: '7549000000000000200' });
		expect(both.status).toBe(200);
		expect(both.json).toMatchObject({
			code: 720701013,
			msg: 'Workflow execution failure: project_id and bot_id cannot be set at the same time',
			data: null,
			execute_id: null,
		});
		// empty-string bot_id is "set" and fails int parsing
		expect((await run(studio, { workflow_id: WF, bot_id: '' })).json.code).toBe(720701013);
		// parameters text that is not a JSON object → 4000
		for (const p of ['{not json', '[1,2]', 5]) {
			const a = await run(studio, { workflow_id: WF, parameters: p });
			expect(a.json.code).toBe(4000);
			expect(a.json.msg).toMatch(/^Invalid request parameters/);
		}
	});
});

describe('studio other endpoints', () => {
	test('/v1/workspaces does not exist: the session middleware answers 401', async () => {
		const a = await send(studio, '/v1/workspaces?page_num=1&page_size=1');
		expect(a.status).toBe(401);
		expect(a.json).toEqual({ code: 401, msg: 'missing session_key in cookie' });
		expect(a.headers.get('x-log-id')).toMatch(UUID);
		// with a session cookie the router's NoRoute answers
		const b = await send(studio, '/v1/workspaces', undefined, { headers: { Cookie: 'session_key=abc' } });
		expect(b.status).toBe(404);
		expect(b.json).toEqual({ code: 404, msg: 'not found' });
	});

	test('Open-API path without a route yet → auth, then 404 JSON; non-API path → web app HTML', async () => {
		expect((await send(studio, '/v1/workflow/run')).json).toEqual({ code: 404, msg: 'not found' }); // GET
		expect((await send(studio, '/v1/workflow/run', undefined, { token: 'bad' })).json.code).toBe(700012006);
		const html = await send(studio, '/some/page');
		expect(html.status).toBe(200);
		expect(html.headers.get('content-type')).toMatch(/^text\/html/);
		expect(html.headers.get('x-log-id')).toBeNull();
	});

	test('GET /v1/workflow/get_run_history', async () => {
		const unknown = await send(studio, `/v1/workflow/get_run_history?workflow_id=${WF}&execute_id=7560000000000009999`);
		expect(unknown.status).toBe(200);
		expect(unknown.json).toEqual({
			code: 777777775,
			msg: 'Workflow operation failure: user 7562000000000000001 does not have access to space 0',
			BaseResp: null,
		});
		const badKey = await send(studio, `/v1/workflow/get_run_history?workflow_id=${WF}&execute_id=1`, undefined, { token: 'bad' });
		expect(badKey.json).toEqual({ code: 700012006, msg: 'authentication failed: api key invalid' });
		const noWf = await send(studio, '/v1/workflow/get_run_history?execute_id=1');
		expect(noWf.status).toBe(400);
		expect(noWf.json.code).toBe(400);
		const noExe = await send(studio, `/v1/workflow/get_run_history?workflow_id=${WF}`);
		expect(noExe.json.code).toBe(777777775);

		// an execution made by a sync run can be looked up; ids are JSON numbers there
		studio.setRunScenario(WF, { kind: 'json', data: { output: '你好' } });
		const r = await run(studio, { workflow_id: WF, parameters: { q: 1 } });
		const exe = r.json.execute_id as string;
		const h = await send(studio, `/v1/workflow/get_run_history?workflow_id=${WF}&execute_id=${exe}`);
		expect(h.json).not.toHaveProperty('code');
		expect(h.text).toContain(`"execute_id":${exe},`);
		expect(h.text).toContain('"connector_id":1024,');
		const item = (h.json.data as Array<Record<string, unknown>>)[0];
		expect(item).toMatchObject({ execute_status: 'Success', run_mode: 0, output: '{"output":"你好"}', input: '{"q":1}', error_msg: null });
	});
});

// ====================================================================== both dialects

describe.each<Dialect>(['cloud', 'studio'])('%s: recording, faults, lifecycle', (dialect) => {
	const emu = (): CozeEmulator => (dialect === 'cloud' ? cloud : studio);
	const logHeader = dialect === 'cloud' ? 'x-tt-logid' : 'x-log-id';

	test('records method, path, query, lowercased headers, raw and parsed body; runsOf; reset', async () => {
		const e = emu();
		const raw = '{"workflow_id":"' + WF + '","parameters":{"问题":"北京今天天气怎么样？🌧"}}';
		await send(e, '/v1/workflow/run?trace=1&x=2', raw, { headers: { 'X-Custom-Header': 'Abc' } });
		await run(e, { workflow_id: '7549000000000000002' });
		expect(e.requests).toHaveLength(2);
		const r = e.requests[0];
		expect(r.method).toBe('POST');
		expect(r.path).toBe('/v1/workflow/run');
		expect(r.query).toEqual({ trace: '1', x: '2' });
		expect(r.headers['authorization']).toBe(`Bearer ${TOKEN}`);
		expect(r.headers['content-type']).toBe('application/json');
		expect(r.headers['x-custom-header']).toBe('Abc');
		expect(r.rawBody).toBe(raw);
		expect(r.body).toEqual({ workflow_id: WF, parameters: { 问题: '北京今天天气怎么样？🌧' } });
		expect(e.runsOf(WF)).toEqual([r]);
		expect(e.runsOf('7549000000000000002')).toHaveLength(1);
		expect(e.runsOf('nope')).toEqual([]);

		const requests = e.requests;
		e.setRunScenario(WF, { kind: 'error', code: 1, msg: 'x' });
		e.validTokens.add('kept');
		e.reset();
		expect(requests).toBe(e.requests);
		expect(e.requests).toHaveLength(0);
		expect((await run(e, { workflow_id: WF }, { token: 'kept' })).json.code).toBe(0); // scenario cleared, token kept
		e.validTokens.delete('kept');
	});

	test('UTF-8: Chinese text round-trips byte-exactly', async () => {
		const e = emu();
		const text = '扣子工作流：你好，世界！🚀 «ñ»';
		e.setRunScenario(WF, { kind: 'json', data: { 输出: text } });
		const a = await run(e, { workflow_id: WF, parameters: { 输入: text } });
		expect(a.headers.get('content-type')).toBe('application/json; charset=utf-8');
		const expected = JSON.stringify({ 输出: text });
		expect(a.json.data).toBe(expected);
		expect(a.bytes.includes(Buffer.from(JSON.stringify(expected).slice(1, -1), 'utf8'))).toBe(true);
		e.setRunScenario(WF, { kind: 'echo' });
		expect(dataOf(await run(e, { workflow_id: WF, parameters: { 输入: text } }))).toMatchObject({ parameters: { 输入: text } });
		e.setRunScenario(WF, { kind: 'text', text });
		const answered = await run(e, { workflow_id: WF });
		if (dialect === 'studio') expect(answered.json.data).toBe(text);
		else expect(dataOf(answered)).toEqual({ content_type: 1, data: text, type_for_model: 2 });
	});

	test('ids: 19-digit strings, unique', async () => {
		const e = emu();
		const ids = new Set<string>();
		for (let i = 0; i < 5; i++) {
			const a = await run(e, { workflow_id: WF });
			const id = new URL(a.json.debug_url as string).searchParams.get('execute_id') as string;
			expect(id).toMatch(ID19);
			ids.add(id);
		}
		expect(ids.size).toBe(5);
	});

	test('html: nginx-like error page, no log id', async () => {
		emu().setRunScenario(WF, { kind: 'html', status: 502 });
		const a = await run(emu(), { workflow_id: WF });
		expect(a.status).toBe(502);
		expect(a.headers.get('content-type')).toBe('text/html');
		expect(a.text).toContain('<title>502 Bad Gateway</title>');
		expect(a.text).toContain('nginx');
		expect(a.headers.get(logHeader)).toBeNull();
	});

	test('empty: status with an empty body', async () => {
		emu().setRunScenario(WF, { kind: 'empty', status: 503 });
		const a = await run(emu(), { workflow_id: WF });
		expect(a.status).toBe(503);
		expect(a.text).toBe('');
		expect(a.headers.get(logHeader)).not.toBeNull();
	});

	test('malformed: HTTP 200, JSON content type, body cut', async () => {
		emu().setRunScenario(WF, { kind: 'malformed' });
		const a = await run(emu(), { workflow_id: WF });
		expect(a.status).toBe(200);
		expect(a.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(a.text.startsWith('{"code":0')).toBe(true);
		expect(() => JSON.parse(a.text)).toThrow();
	});

	test('hang: never answers; the client times out; recorded', async () => {
		emu().setRunScenario(WF, { kind: 'hang' });
		const started = Date.now();
		await expect(run(emu(), { workflow_id: WF }, { signal: AbortSignal.timeout(300) })).rejects.toMatchObject({ name: 'TimeoutError' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(250);
		expect(emu().runsOf(WF)).toHaveLength(1);
		// the emulator still serves other requests
		expect((await run(emu(), { workflow_id: '7549000000000000002' })).json.code).toBe(0);
	});

	test('drop: the socket is destroyed, fetch rejects; recorded', async () => {
		emu().setRunScenario(WF, { kind: 'drop' });
		// undici's TypeError comes from another realm than jest's, so match by name
		await expect(run(emu(), { workflow_id: WF })).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed' });
		expect(emu().runsOf(WF)).toHaveLength(1);
	});

	test('delay: answers after ms as `then`', async () => {
		const then: RunScenario = { kind: 'rawData', data: 'late' };
		emu().setRunScenario(WF, { kind: 'delay', ms: 200, then });
		const started = Date.now();
		const a = await run(emu(), { workflow_id: WF });
		expect(Date.now() - started).toBeGreaterThanOrEqual(180);
		expect(a.json.data).toBe('late');
		// nested delays / faults
		emu().setRunScenario(WF, { kind: 'delay', ms: 50, then: { kind: 'delay', ms: 50, then: { kind: 'html', status: 504 } } });
		expect((await run(emu(), { workflow_id: WF })).status).toBe(504);
	});

	test('close() ends hanging and delayed requests and resolves promptly', async () => {
		const e = await startCozeEmulator({ dialect, validTokens: ['t1', 't2'] });
		expect([...e.validTokens]).toEqual(['t1', 't2']);
		e.setRunScenario('1', { kind: 'hang' });
		e.setRunScenario('2', { kind: 'delay', ms: 60_000, then: { kind: 'echo' } });
		const hanging = run(e, { workflow_id: '1' }, { token: 't1' });
		const delayed = run(e, { workflow_id: '2' }, { token: 't2' });
		hanging.catch(() => undefined);
		delayed.catch(() => undefined);
		for (let i = 0; i < 100 && e.requests.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
		expect(e.requests).toHaveLength(2);
		const started = Date.now();
		await e.close();
		expect(Date.now() - started).toBeLessThan(2000);
		await expect(hanging).rejects.toThrow();
		await expect(delayed).rejects.toThrow();
		await e.close(); // idempotent
		await expect(fetch(`${e.url}/v1/workflow/run`, { method: 'POST', body: '{}' })).rejects.toThrow();
	});
});

describe('paths', () => {
	test('a doubled slash is not mistaken for a host; Studio collapses it, cloud does not', async () => {
		const s = await send(studio, '//v1/workflow/run?a=1', { workflow_id: WF });
		expect(s.json.code).toBe(0);
		expect(studio.requests[0]).toMatchObject({ path: '//v1/workflow/run', query: { a: '1' } });
		expect(studio.runsOf(WF)).toHaveLength(1);
		const c = await send(cloud, '//v1/workflow/run', { workflow_id: WF });
		expect(c.status).toBe(404);
		expect(cloud.requests[0].path).toBe('//v1/workflow/run');
		expect(cloud.runsOf(WF)).toHaveLength(0);
	});
});

describe('stream / async / chat API surface (wire details: emulator-streams.test.ts)', () => {
	test('StartOptions.studioPreStreamContentType; reset() clears stream, async and chat scenarios and poll counts', async () => {
		const e = await startCozeEmulator({ dialect: 'studio', studioPreStreamContentType: 'text/event-stream' });
		try {
			expect(e.studioPreStreamContentType).toBe('text/event-stream');
			e.setStreamScenario(WF, { kind: 'unpublished' });
			const a = await send(e, '/v1/workflow/stream_run', { workflow_id: WF });
			expect(a.status).toBe(200);
			expect(a.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
			expect(a.json).toMatchObject({ code: 720702011 });
			e.studioPreStreamContentType = 'application/json';
			expect((await send(e, '/v1/workflow/stream_run', { workflow_id: WF })).headers.get('content-type')).toBe('application/json; charset=utf-8');

			e.setAsyncScenario(WF, { kind: 'neverFinishes' });
			const exe = (await run(e, { workflow_id: WF, is_async: true })).json.execute_id as string;
			await send(e, `/v1/workflow/get_run_history?workflow_id=${WF}&execute_id=${exe}`);
			expect(e.historyPollsOf(exe)).toBe(1);
			e.setChatScenario(WF, { kind: 'failed', code: 1, msg: 'x' });

			e.reset();
			expect(e.studioPreStreamContentType).toBe('text/event-stream'); // back to the start option
			expect(e.historyPollsOf(exe)).toBe(0);
			const s = await send(e, '/v1/workflow/stream_run', { workflow_id: WF }); // default result stream again
			expect(s.text).toMatch(/event: Done\ndata: \{"debug_url":/);
			const c = await send(e, '/v1/workflows/chat', {
				workflow_id: WF,
				additional_messages: [{ role: 'user', content: '早上好', content_type: 'text' }],
				parameters: { CONVERSATION_NAME: 'c' },
			});
			expect(c.text).toContain('"content":"早上好"');
			expect(c.text).toContain('event: conversation.chat.completed');
		} finally {
			await e.close();
		}
	});

	test('runsOf stays /v1/workflow/run (sync + async); runRequestsOf / streamsOf see the other run endpoints, Studio paths collapsed', async () => {
		await run(studio, { workflow_id: WF });
		await run(studio, { workflow_id: WF, is_async: true });
		await send(studio, '//v1/workflow/stream_run', { workflow_id: WF });
		await send(studio, '/v1/workflow/stream_resume', { workflow_id: WF, event_id: '1/2', interrupt_type: 2, resume_data: 'x' });
		expect(studio.runsOf(WF)).toHaveLength(2);
		expect(studio.streamsOf(WF)).toHaveLength(1);
		expect(studio.runRequestsOf(WF).map((r) => r.path)).toEqual(['/v1/workflow/run', '/v1/workflow/run', '//v1/workflow/stream_run', '/v1/workflow/stream_resume']);
	});

	test('interrupt `then`: cloud /v1/workflows/resume answers as told', async () => {
		cloud.setRunScenario(WF, { kind: 'interrupt', eventId: 'ev-1', type: 2, data: '', then: { kind: 'rawData', data: 'resumed' } });
		expect((await run(cloud, { workflow_id: WF })).json.interrupt_data).toMatchObject({ event_id: 'ev-1' });
		const r = await send(cloud, '/v1/workflows/resume', { workflow_id: WF, event_id: 'ev-1', interrupt_type: 2, resume_data: 'x' });
		expect(r.json).toMatchObject({ code: 0, data: 'resumed' });
	});
});
