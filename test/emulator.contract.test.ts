/**
 * The emulator's contract: what it serves, tested over real HTTP on 127.0.0.1 in both dialects,
 * one section per area. Each behaviour these tests pin down names its source where the emulator
 * serves it (a coze-studio, coze-js or coze-py file, or a Coze docs page; docs/coze-api.md);
 * the engine tests (test/engine/) then run the node against exactly this.
 */
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type {
	CatalogueWorkflow,
	CozeEmulator,
	Dialect,
	Fault,
	OAuthApp,
	RunScenario,
	StartOptions,
	WorkflowParameter,
	Workspace,
} from './emulator';
import {
	APP_ID,
	BIG_JSON_MIN_BYTES,
	CHATFLOW_ID,
	closedPortUrl,
	DEFAULT_CATALOGUE_SIZE,
	DEFAULT_WORKFLOW_CATALOGUE,
	defaultUploadLimits,
	DRAFT_WORKFLOW_ID,
	JWT_BEARER_GRANT,
	newOAuthKeyPair,
	OAUTH_TOKEN_PATH,
	PERSONAL_WORKSPACE_ID,
	RATE_LIMIT_MSG,
	runKey,
	SCHEMA_WORKFLOW_ID,
	SCHEMA_WORKFLOW_INPUT,
	startCozeEmulator,
	TEAM_WORKSPACE,
	TEAM_WORKSPACE_ID,
	WORKSPACES_WITH_TEAM,
} from './emulator';
import { parseArgs, USAGE } from './emulator/cli';
import type { Answer, Answer as HttpAnswer } from './harness/answer';
import { readAnswer } from './harness/answer';


/**
 * One emulator per dialect for a section: started before its tests, reset before each, closed
 * after; `onStart` hands them to the section's variables.
 */
function useDialectEmulators(onStart: (started: { cloud: CozeEmulator; studio: CozeEmulator }) => void): void {
	let started: CozeEmulator[] = [];
	beforeAll(async () => {
		started = [await startCozeEmulator({ dialect: 'cloud' }), await startCozeEmulator({ dialect: 'studio' })];
		onStart({ cloud: started[0], studio: started[1] });
	});
	afterAll(async () => {
		await Promise.all(started.map((emulator) => emulator.close()));
	});
	beforeEach(() => {
		for (const emulator of started) emulator.reset();
	});
}

describe('runs and the basics', () => {
	/**
	 * Wire-level tests of the Coze emulator (test/emulator/), both dialects, over real HTTP on
	 * 127.0.0.1 with Node's global fetch.
	 */
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

	useDialectEmulators((started) => ({ cloud, studio } = started));

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
			await expect(run(emu(), { workflow_id: WF }, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'TimeoutError' });
			expect(Date.now() - started).toBeGreaterThanOrEqual(80);
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
			emu().setRunScenario(WF, { kind: 'delay', ms: 80, then });
			const started = Date.now();
			const a = await run(emu(), { workflow_id: WF });
			expect(Date.now() - started).toBeGreaterThanOrEqual(70);
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

	describe('stream / async / chat API surface (wire details: the streams section below)', () => {
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
});

describe('streams, resumes, async runs and chat', () => {
	/**
	 * Wire-level tests of the Coze emulator's streaming, resume, async and chat-flow endpoints, both
	 * dialects, over real HTTP on 127.0.0.1 (Node's global fetch, and `http.request` where the
	 * individual socket chunks matter). SSE is parsed by the small parser below.
	 */
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

	useDialectEmulators((started) => ({ cloud, studio } = started));

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
			const timedOut = await Promise.race([next.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 100))]);
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
});

describe('workspaces, workflows and uploads', () => {
	/**
	 * Wire-level tests of the emulator's catalogue and file endpoints (test/emulator/workspaces.ts,
	 * workflows.ts, files.ts, multipart.ts), both dialects, over real HTTP on 127.0.0.1 with Node's
	 * global fetch / FormData / Blob.
	 */
	const TOKEN = 'test-token';
	const ID19 = /^\d{19}$/;
	const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
	const MiB = 1024 * 1024;

	async function call(emu: CozeEmulator, path: string, init: RequestInit & { token?: string | null } = {}): Promise<Answer> {
		const headers = new Headers(init.headers);
		if (init.token !== null && !headers.has('authorization')) headers.set('Authorization', `Bearer ${init.token ?? TOKEN}`);
		return await readAnswer(await fetch(path.startsWith('http') ? path : `${emu.url}${path}`, { ...init, headers }));
	}

	const get = (emu: CozeEmulator, path: string, init: RequestInit & { token?: string | null } = {}): Promise<Answer> => call(emu, path, init);

	function form(...files: Array<{ name?: string; bytes: Buffer | string; type?: string; filename?: string }>): FormData {
		const fd = new FormData();
		for (const f of files) {
			const part = typeof f.bytes === 'string' ? f.bytes : new Uint8Array(f.bytes);
			fd.append(f.name ?? 'file', new Blob([part], { type: f.type ?? '' }), f.filename ?? 'a.txt');
		}
		return fd;
	}

	const upload = (emu: CozeEmulator, body: FormData | Buffer | string, headers: Record<string, string> = {}, token?: string | null): Promise<Answer> =>
		call(emu, '/v1/files/upload', { method: 'POST', body: Buffer.isBuffer(body) ? new Uint8Array(body) : body, headers, token });

	const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

	interface ListData {
		items: Array<Record<string, unknown>>;
		has_more: boolean;
	}
	const listData = (a: Answer): ListData => a.json.data as ListData;

	/** Pages through GET /v1/workflows (as a client would) and returns every page. */
	async function allPages(emu: CozeEmulator, query: string, pageSize = 30): Promise<ListData[]> {
		const pages: ListData[] = [];
		for (let page = 1; page <= 20; page++) {
			const a = await get(emu, `/v1/workflows?workspace_id=${PERSONAL_WORKSPACE_ID}&page_num=${page}&page_size=${pageSize}${query}`);
			expect(a.json.code).toBe(0);
			pages.push(listData(a));
			if (!listData(a).has_more) break;
		}
		return pages;
	}

	const ids = (ws: readonly CatalogueWorkflow[]): string[] => ws.map((w) => w.workflow_id);

	let cloud: CozeEmulator;
	let studio: CozeEmulator;

	useDialectEmulators((started) => ({ cloud, studio } = started));

	// ====================================================================== workspaces

	describe('cloud GET /v1/workspaces', () => {
		test('default: the one Personal workspace the credential test has always seen', async () => {
			const a = await get(cloud, '/v1/workspaces?page_num=1&page_size=1');
			expect(a.json).toEqual({
				code: 0,
				msg: '',
				data: {
					workspaces: [
						{
							id: PERSONAL_WORKSPACE_ID,
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
		});

		test('setWorkspaces: Personal + "Team 团队" with the optional keys', async () => {
			cloud.setWorkspaces([...WORKSPACES_WITH_TEAM]);
			const a = await get(cloud, '/v1/workspaces');
			const data = a.json.data as { workspaces: Array<Record<string, unknown>>; total_count: number };
			expect(data.total_count).toBe(2);
			expect(data.workspaces.map((w) => w.name)).toEqual(['Personal', 'Team 团队']);
			expect(data.workspaces[1]).toEqual({ ...TEAM_WORKSPACE });
			for (const w of data.workspaces) expect(w.id).toMatch(ID19);
			expect(a.text).toContain('"name":"Team 团队"'); // UTF-8 on the wire, not \u escapes
			expect(cloud.workspaces).toHaveLength(2);
		});

		test('paging: page_size ≤ 50 (default 20), page_num from 1, total_count of all', async () => {
			const many: Workspace[] = Array.from({ length: 120 }, (_, i) => ({ id: String(7561000000000001000n + BigInt(i)), name: `空间 ${i + 1}` }));
			cloud.setWorkspaces(many);
			const page = async (q: string): Promise<{ names: string[]; total: number; code: number }> => {
				const a = await get(cloud, `/v1/workspaces${q}`);
				const d = (a.json.data ?? { workspaces: [], total_count: -1 }) as { workspaces: Workspace[]; total_count: number };
				return { names: d.workspaces.map((w) => w.name), total: d.total_count, code: a.json.code as number };
			};
			const p1 = await page('?page_num=1&page_size=50');
			const p2 = await page('?page_num=2&page_size=50');
			const p3 = await page('?page_num=3&page_size=50');
			const p4 = await page('?page_num=4&page_size=50');
			expect([p1.names.length, p2.names.length, p3.names.length, p4.names.length]).toEqual([50, 50, 20, 0]);
			expect([p1.total, p2.total, p3.total, p4.total]).toEqual([120, 120, 120, 120]);
			expect([...p1.names, ...p2.names, ...p3.names]).toEqual(many.map((w) => w.name));
			expect((await page('')).names).toEqual(many.slice(0, 20).map((w) => w.name)); // defaults 1 / 20
			// defaults filled in for keys left out
			expect((await get(cloud, '/v1/workspaces?page_size=1')).json.data).toMatchObject({
				workspaces: [{ icon_url: '', role_type: 'owner', workspace_type: 'personal', enterprise_id: '', joined_status: 'joined' }],
			});
			for (const bad of ['?page_size=51', '?page_size=0', '?page_num=0', '?page_num=x', '?page_size=1.5', '?user_id=1']) {
				expect(await page(bad)).toMatchObject({ code: 4000 });
			}
		});

		test('StartOptions workspaces / workflowCatalogue / uploadLimits are the values reset() restores', async () => {
			const e = await startCozeEmulator({
				dialect: 'cloud',
				workspaces: [...WORKSPACES_WITH_TEAM],
				workflowCatalogue: [{ workflow_id: '7570000000000000001', workflow_name: 'only' }],
				uploadLimits: { maxBytes: 10 },
			});
			try {
				const check = async (): Promise<void> => {
					expect(((await get(e, '/v1/workspaces')).json.data as { total_count: number }).total_count).toBe(2);
					expect(listData(await get(e, `/v1/workflows?workspace_id=${PERSONAL_WORKSPACE_ID}&page_num=1`)).items).toHaveLength(1);
					expect(e.uploadLimits).toEqual({ ...defaultUploadLimits('cloud'), maxBytes: 10 });
				};
				await check();
				e.setWorkspaces([]);
				e.setWorkflowCatalogue([]);
				e.uploadLimits.maxBytes = 1;
				e.reset();
				await check();
			} finally {
				await e.close();
			}
		});

		test('enterprise_id filters; bad token → 4100; Studio has no such API (session → 401)', async () => {
			cloud.setWorkspaces([...WORKSPACES_WITH_TEAM, { id: '7561000000000000003', name: 'Ent', workspace_type: 'team', enterprise_id: 'volcano_1' }]);
			const e = await get(cloud, '/v1/workspaces?enterprise_id=volcano_1');
			expect(e.json.data).toMatchObject({ workspaces: [{ name: 'Ent', enterprise_id: 'volcano_1' }], total_count: 1 });
			expect((await get(cloud, '/v1/workspaces', { token: 'nope' })).json).toMatchObject({ code: 4100 });
			const s = await get(studio, '/v1/workspaces?page_num=1&page_size=50');
			expect(s.status).toBe(401);
			expect(s.json).toEqual({ code: 401, msg: 'missing session_key in cookie' });
		});
	});

	// ====================================================================== workflow list

	describe('cloud GET /v1/workflows', () => {
		const published = DEFAULT_WORKFLOW_CATALOGUE.filter((w) => w.published !== false);

		test('default catalogue: published workflows need 3 pages at page_size 30; item shape', async () => {
			expect(DEFAULT_WORKFLOW_CATALOGUE).toHaveLength(DEFAULT_CATALOGUE_SIZE);
			expect(published.length).toBeGreaterThan(60);
			const pages = await allPages(cloud, '');
			expect(pages.map((p) => p.items.length)).toEqual([30, 30, published.length - 60]);
			expect(pages.map((p) => p.has_more)).toEqual([true, true, false]);
			const listed = pages.flatMap((p) => p.items);
			expect(listed.map((i) => i.workflow_id)).toEqual(ids(published));

			const first = listed[0];
			expect(Object.keys(first)).toEqual(['workflow_id', 'workflow_name', 'description', 'icon_url', 'app_id', 'created_at', 'updated_at', 'creator']);
			expect(first).toMatchObject({ workflow_id: SCHEMA_WORKFLOW_ID, workflow_name: 'All input types 全类型输入', app_id: '0' });
			expect(first.created_at).toMatch(/^\d{10}$/); // strings in the list (numbers in the info)
			expect(first.updated_at).toMatch(/^\d{10}$/);
			expect(first.creator).toEqual({ id: expect.stringMatching(ID19), name: expect.any(String) });
			for (const i of listed) expect(i.workflow_id).toMatch(ID19);

			// page_size defaults to 10; a page past the end is empty
			const d = await get(cloud, `/v1/workflows?workspace_id=${PERSONAL_WORKSPACE_ID}&page_num=1`);
			expect(listData(d).items).toHaveLength(10);
			const past = await get(cloud, `/v1/workflows?workspace_id=${PERSONAL_WORKSPACE_ID}&page_num=9&page_size=30`);
			expect(listData(past)).toEqual({ items: [], has_more: false });
		});

		test('workflow_mode and publish_status filter; app_id narrows', async () => {
			const chat = (await allPages(cloud, '&workflow_mode=chatflow')).flatMap((p) => p.items);
			expect(chat.map((i) => i.workflow_id)).toEqual(ids(published.filter((w) => w.mode === 'chatflow')));
			expect(chat.map((i) => i.workflow_id)).toContain(CHATFLOW_ID);
			const wf = (await allPages(cloud, '&workflow_mode=workflow')).flatMap((p) => p.items);
			expect(wf.length + chat.length).toBe(published.length);

			const drafts = (await allPages(cloud, '&publish_status=unpublished_draft')).flatMap((p) => p.items);
			expect(drafts.map((i) => i.workflow_id)).toEqual(ids(DEFAULT_WORKFLOW_CATALOGUE.filter((w) => w.published === false)));
			expect(drafts.map((i) => i.workflow_id)).toContain(DRAFT_WORKFLOW_ID);
			const all = await allPages(cloud, '&publish_status=all');
			expect(all.flatMap((p) => p.items)).toHaveLength(DEFAULT_CATALOGUE_SIZE);
			expect((await allPages(cloud, '&publish_status=published_online')).flatMap((p) => p.items)).toHaveLength(published.length);

			const app = (await allPages(cloud, `&app_id=${APP_ID}&publish_status=all`)).flatMap((p) => p.items);
			expect(app.length).toBeGreaterThan(0);
			expect(app.every((i) => i.app_id === APP_ID && String(i.workflow_name).includes('发票识别'))).toBe(true);
			expect(listData(await get(cloud, `/v1/workflows?workspace_id=${PERSONAL_WORKSPACE_ID}&page_num=1&app_id=1`)).items).toEqual([]);
		});

		test('no server-side name search: name/keyword parameters are ignored, a client filters the pages itself', async () => {
			const plain = (await allPages(cloud, '')).flatMap((p) => p.items);
			const withName = (await allPages(cloud, `&name=${encodeURIComponent('翻译')}&keyword=${encodeURIComponent('翻译')}&workflow_name=report`)).flatMap((p) => p.items);
			expect(withName).toEqual(plain);
			// client-side search, as the node must do it: hits on more than one page, Chinese and case-insensitive English
			const pages = await allPages(cloud, '');
			const pagesWith = (needle: string): number[] =>
				pages.flatMap((p, n) => (p.items.some((i) => String(i.workflow_name).toLowerCase().includes(needle)) ? [n + 1] : []));
			expect(pagesWith('翻译').length).toBeGreaterThan(1);
			expect(pagesWith('report').length).toBeGreaterThan(1);
			const hits = plain.filter((i) => String(i.workflow_name).toLowerCase().includes('report'));
			expect(hits.map((i) => i.workflow_name)).toEqual(published.filter((w) => /report/i.test(w.workflow_name)).map((w) => w.workflow_name));
		});

		test('validation 4000, unknown workspace 4101, empty workspace, bad token 4100', async () => {
			const code = async (q: string): Promise<unknown> => (await get(cloud, `/v1/workflows${q}`)).json.code;
			const ws = `workspace_id=${PERSONAL_WORKSPACE_ID}`;
			expect(await code('?page_num=1')).toBe(4000); // workspace_id missing
			expect(await code(`?${ws}`)).toBe(4000); // page_num missing
			for (const bad of ['page_size=0', 'page_size=31', 'page_num=0', 'page_num=-1', 'workflow_mode=agent', 'publish_status=online']) {
				expect(await code(`?${ws}&page_num=1&${bad}`)).toBe(4000);
			}
			expect(await code(`?${ws}&page_num=1&page_size=30`)).toBe(0);
			const foreign = await get(cloud, `/v1/workflows?workspace_id=7561000000000009999&page_num=1`);
			expect(foreign.json).toMatchObject({ code: 4101, msg: expect.any(String), detail: { logid: expect.any(String) } });
			expect(await code(`?workspace_id=${TEAM_WORKSPACE_ID}&page_num=1`)).toBe(4101); // not joined by default
			cloud.setWorkspaces([...WORKSPACES_WITH_TEAM]);
			expect(listData(await get(cloud, `/v1/workflows?workspace_id=${TEAM_WORKSPACE_ID}&page_num=1`))).toEqual({ items: [], has_more: false });
			expect((await get(cloud, `/v1/workflows?${ws}&page_num=1`, { token: 'nope' })).json.code).toBe(4100);
		});

		test('setWorkflowCatalogue replaces the list (defaults for omitted keys); reset() restores', async () => {
			cloud.setWorkspaces([...WORKSPACES_WITH_TEAM]);
			cloud.setWorkflowCatalogue([
				{ workflow_id: '7570000000000000001', workflow_name: '团队流程', workspace_id: TEAM_WORKSPACE_ID, created_at: 1700000000 },
				{ workflow_id: '7570000000000000002', workflow_name: 'Chat', workspace_id: TEAM_WORKSPACE_ID, mode: 'chatflow' },
			]);
			const a = await get(cloud, `/v1/workflows?workspace_id=${TEAM_WORKSPACE_ID}&page_num=1&page_size=1`);
			expect(listData(a)).toEqual({
				items: [
					{
						workflow_id: '7570000000000000001',
						workflow_name: '团队流程',
						description: '',
						icon_url: '',
						app_id: '0',
						created_at: '1700000000',
						updated_at: '1700000000',
						creator: { id: expect.stringMatching(ID19), name: expect.any(String) },
					},
				],
				has_more: true,
			});
			expect(cloud.workflowCatalogue).toHaveLength(2);
			expect(listData(await get(cloud, `/v1/workflows?workspace_id=${PERSONAL_WORKSPACE_ID}&page_num=1`)).items).toEqual([]);
			cloud.reset();
			expect(cloud.workflowCatalogue).toHaveLength(DEFAULT_CATALOGUE_SIZE);
			expect(cloud.workspaces).toHaveLength(1);
		});

		test('Studio has no list route: session middleware 401, with a cookie 404', async () => {
			const a = await get(studio, `/v1/workflows?workspace_id=${PERSONAL_WORKSPACE_ID}&page_num=1`);
			expect(a.status).toBe(401);
			expect(a.json).toEqual({ code: 401, msg: 'missing session_key in cookie' });
			expect(a.headers.get('x-log-id')).toMatch(UUID);
			const b = await get(studio, `/v1/workflows?workspace_id=${PERSONAL_WORKSPACE_ID}&page_num=1`, { headers: { Cookie: 'session_key=abc' } });
			expect(b.status).toBe(404);
			expect(b.json).toEqual({ code: 404, msg: 'not found' });
		});
	});

	// ====================================================================== workflow info

	describe('GET /v1/workflows/{id}', () => {
		test('cloud, include_input_output=true: detail + the schema covering every Coze type', async () => {
			const a = await get(cloud, `/v1/workflows/${SCHEMA_WORKFLOW_ID}?include_input_output=true`);
			expect(a.status).toBe(200);
			expect(Object.keys(a.json)).toEqual(['code', 'msg', 'data', 'detail']);
			const data = a.json.data as { workflow_detail: Record<string, unknown>; input: { parameters: Record<string, WorkflowParameter> }; output: unknown };
			expect(Object.keys(data)).toEqual(['workflow_detail', 'input', 'output']);
			expect(data.workflow_detail).toEqual({
				workflow_id: SCHEMA_WORKFLOW_ID,
				workflow_name: 'All input types 全类型输入',
				description: expect.any(String),
				icon_url: expect.stringMatching(/^https:\/\//),
				app_id: '0',
				created_at: expect.any(Number), // numbers in the info (strings in the list)
				updated_at: expect.any(Number),
				creator: { id: expect.stringMatching(ID19), name: expect.any(String) },
			});
			const p = data.input.parameters;
			expect(p).toEqual(SCHEMA_WORKFLOW_INPUT);
			const types = new Set(Object.values(p).map((x) => x.type));
			for (const t of ['string', 'integer', 'number', 'boolean', 'object', 'array', 'image', 'doc', 'file']) expect(types).toContain(t);
			expect(p.text).toEqual({ type: 'string', required: true, description: expect.any(String), default_value: '' });
			expect(p.count.default_value).toBe('3'); // default values are strings
			expect(p.options.properties).toMatchObject({ lang: { type: 'string', required: true }, max_tokens: { type: 'integer' } });
			expect(p.tags.items).toEqual({ type: 'string' });
			expect(p.people.items).toMatchObject({ type: 'object', properties: { name: { type: 'string' }, score: { type: 'number' } } });
			expect(p.photos.items).toEqual({ type: 'image' });
			expect(p.image.required).toBe(true);
			expect(data.output).toEqual({ parameters: { output: { type: 'string' } }, terminate_plan: 'return_variables', content: '' });
		});

		test('cloud: without the flag only workflow_detail; chatflow default inputs; drafts; errors', async () => {
			for (const q of ['', '?include_input_output=false', '?include_input_output=0']) {
				const a = await get(cloud, `/v1/workflows/${SCHEMA_WORKFLOW_ID}${q}`);
				expect(Object.keys(a.json.data as object)).toEqual(['workflow_detail']);
			}
			const chat = await get(cloud, `/v1/workflows/${CHATFLOW_ID}?include_input_output=True`);
			expect((chat.json.data as { input: unknown }).input).toEqual({
				parameters: {
					CONVERSATION_NAME: { required: false, description: '', default_value: '', type: 'string' },
					USER_INPUT: { type: 'string', required: false },
				},
			});
			expect((await get(cloud, `/v1/workflows/${DRAFT_WORKFLOW_ID}`)).json.code).toBe(0);
			expect((await get(cloud, '/v1/workflows/7563000000000099999?include_input_output=true')).json).toMatchObject({ code: 4200 });
			expect((await get(cloud, '/v1/workflows/abc')).json.code).toBe(4000);
			expect((await get(cloud, `/v1/workflows/${SCHEMA_WORKFLOW_ID}?include_input_output=yes`)).json.code).toBe(4000);
			expect((await get(cloud, `/v1/workflows/${SCHEMA_WORKFLOW_ID}`, { token: 'nope' })).json.code).toBe(4100);
			// a workflow of a workspace the account is not in
			cloud.setWorkflowCatalogue([{ workflow_id: '7570000000000000009', workflow_name: 'x', workspace_id: TEAM_WORKSPACE_ID }]);
			expect((await get(cloud, '/v1/workflows/7570000000000000009')).json.code).toBe(4101);
		});

		test('setWorkflowSchema: for a catalogue workflow and for an id only known by its schema', async () => {
			const params: Record<string, WorkflowParameter> = {
				pic: { type: 'image', required: true, description: '图片' },
				alt: { type: 'file', assist_type: 2 }, // another shape passes through as given
			};
			cloud.setWorkflowSchema(CHATFLOW_ID, params);
			cloud.setWorkflowSchema('7579000000000000001', { q: { type: 'string', required: true } });
			const a = await get(cloud, `/v1/workflows/${CHATFLOW_ID}?include_input_output=true`);
			expect((a.json.data as { input: unknown }).input).toEqual({ parameters: params });
			const b = await get(cloud, '/v1/workflows/7579000000000000001?include_input_output=true');
			expect(b.json.data).toMatchObject({
				workflow_detail: { workflow_id: '7579000000000000001', workflow_name: 'Workflow 7579000000000000001', app_id: '0' },
				input: { parameters: { q: { type: 'string', required: true } } },
			});
			// not listed
			const listed = (await allPages(cloud, '&publish_status=all')).flatMap((p) => p.items.map((i) => i.workflow_id));
			expect(listed).not.toContain('7579000000000000001');
			cloud.reset();
			expect((await get(cloud, '/v1/workflows/7579000000000000001')).json.code).toBe(4200);
		});

		test('Studio: chatflow → its role (no code/msg keys, no schema); workflow → 777777780; unknown → 720702004', async () => {
			const a = await get(studio, `/v1/workflows/${CHATFLOW_ID}?include_input_output=true`);
			expect(a.status).toBe(200);
			expect(a.headers.get('x-log-id')).toMatch(UUID);
			expect(Object.keys(a.json)).toEqual(['data', 'BaseResp']);
			expect(a.json.BaseResp).toBeNull();
			const role = (a.json.data as { role: Record<string, unknown> }).role;
			expect(Object.keys(a.json.data as object)).toEqual(['role']);
			expect(role).toMatchObject({
				id: expect.stringMatching(ID19),
				workflow_id: CHATFLOW_ID,
				connector_id: '',
				avatar: null,
				name: 'Customer support 1',
				onboarding_info: { prologue: expect.any(String), suggested_questions: expect.any(Array) },
				project_version: null,
			});
			const notChat = await get(studio, `/v1/workflows/${SCHEMA_WORKFLOW_ID}?include_input_output=true`);
			expect(notChat.status).toBe(200);
			expect(notChat.json).toEqual({ code: 777777780, msg: 'ChatFlowRole operation failure: {cause}' });
			expect((await get(studio, '/v1/workflows/7563000000000099999')).json).toEqual({
				code: 720702004,
				msg: 'workflow 7563000000000099999 not found, please check if the workflow exists and not deleted',
			});
			const huge = await get(studio, '/v1/workflows/99999999999999999999');
			expect(huge.json.code).toBe(777777780);
			expect(huge.json.msg).toMatch(/^ChatFlowRole operation failure: panic error: strconv\.ParseInt: parsing "99999999999999999999": value out of range/);
			// a non-numeric id is not an Open-API path → session check
			expect((await get(studio, '/v1/workflows/abc')).status).toBe(401);
			expect((await get(studio, `/v1/workflows/${CHATFLOW_ID}`, { token: 'bad' })).json).toEqual({ code: 700012006, msg: 'authentication failed: api key invalid' });
			// a chatflow without role settings
			studio.setWorkflowCatalogue([{ workflow_id: '7570000000000000001', workflow_name: 'c', mode: 'chatflow', studioRole: null }]);
			expect((await get(studio, '/v1/workflows/7570000000000000001')).json).toEqual({ BaseResp: null });
		});
	});

	// ====================================================================== uploads

	/** 0x00…0xFF, then bytes that look like multipart syntax, then 0xFF…0x00. */
	const BINARY = Buffer.concat([
		Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
		Buffer.from('\r\n--not-the-boundary\r\n\r\nContent-Disposition: x\r\n--', 'latin1'),
		Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i)),
	]);

	/** A hand-written body: preamble, a text field, the file part with a raw UTF-8 filename, an epilogue. */
	function handWritten(boundary: string, filenameParams: string, bytes: Buffer): Buffer {
		return Buffer.concat([
			Buffer.from(
				'This is the preamble; it is ignored.\r\n' +
					`--${boundary}\r\n` +
					'Content-Disposition: form-data; name="note"\r\n\r\n' +
					'备注 note\r\n' +
					`--${boundary}  \r\n` + // transport padding
					`Content-Disposition: form-data; name="file"; ${filenameParams}\r\n` +
					'Content-Type: application/octet-stream\r\n\r\n',
				'utf8',
			),
			bytes,
			Buffer.from(`\r\n--${boundary}--\r\nepilogue\r\n`, 'utf8'),
		]);
	}

	describe('POST /v1/files/upload, cloud', () => {
		test('FormData + Blob: {id,bytes,file_name,created_at}; the upload is recorded byte for byte', async () => {
			const bytes = Buffer.from('PNG\x00\x01\x02 图片', 'utf8');
			const a = await upload(cloud, form({ bytes, type: 'image/png', filename: '图片 1.png' }));
			expect(a.status).toBe(200);
			expect(a.json).toEqual({
				code: 0,
				msg: '',
				data: { id: expect.stringMatching(ID19), bytes: bytes.length, file_name: '图片 1.png', created_at: expect.any(Number) },
				detail: { logid: a.headers.get('x-tt-logid') },
			});
			expect(Object.keys(a.json.data as object)).toEqual(['id', 'bytes', 'file_name', 'created_at']);
			expect(cloud.uploads).toHaveLength(1);
			expect(cloud.uploads[0]).toMatchObject({ dialect: 'cloud', id: (a.json.data as { id: string }).id, fileName: '图片 1.png', mimeType: 'image/png', size: bytes.length, sha256: sha256(bytes) });
			expect(cloud.uploads[0].bytes.equals(bytes)).toBe(true);
			expect(cloud.uploads[0].url).toBeUndefined(); // cloud files cannot be downloaded
			expect(cloud.requests[0]).toMatchObject({ method: 'POST', path: '/v1/files/upload', body: undefined });
		});

		test('hand-written multipart: raw UTF-8 filename, quoted boundary, bytes 0x00–0xFF intact', async () => {
			const body = handWritten('b0und4ry', 'filename="数据 €.bin"', BINARY);
			const a = await upload(cloud, body, { 'Content-Type': 'multipart/form-data; boundary="b0und4ry"' });
			expect(a.json).toMatchObject({ code: 0, data: { bytes: BINARY.length, file_name: '数据 €.bin' } });
			const u = cloud.uploads[0];
			expect(u.bytes.equals(BINARY)).toBe(true);
			expect(u.sha256).toBe(sha256(BINARY));
			expect(u.mimeType).toBe('application/octet-stream');
		});

		test("RFC 5987 filename*=UTF-8''… wins over filename; LF-only line endings work too", async () => {
			const a = await upload(cloud, handWritten('xyz', `filename="fallback.pdf"; filename*=UTF-8''${encodeURIComponent('报告 2025.pdf')}`, Buffer.from('%PDF')), {
				'Content-Type': 'multipart/form-data; boundary=xyz',
			});
			expect((a.json.data as { file_name: string }).file_name).toBe('报告 2025.pdf');
			expect(cloud.uploads[0].fileName).toBe('报告 2025.pdf');
			const lf = '--q\nContent-Disposition: form-data; name="file"; filename="lf.txt"\nContent-Type: text/plain\n\nline1\r\nline2\n--q--\n';
			const b = await upload(cloud, lf, { 'Content-Type': 'multipart/form-data; boundary=q' });
			expect(b.json).toMatchObject({ code: 0, data: { file_name: 'lf.txt' } });
			expect(cloud.uploads[1].bytes.toString('latin1')).toBe('line1\r\nline2');
		});

		test('errors: 4300 no file / not multipart / broken body / empty file, 4301 two files, 4302 too large, 4303 refused type', async () => {
			const code = async (body: FormData | Buffer | string, headers?: Record<string, string>): Promise<unknown> => (await upload(cloud, body, headers)).json.code;
			const noFile = new FormData();
			noFile.append('note', 'just text');
			expect(await code(noFile)).toBe(4300);
			expect(await code(form({ name: 'files', bytes: 'x' }))).toBe(4300); // wrong part name
			expect(await code('--b\r\nContent-Disposition: form-data; name="file"\r\n\r\nno filename\r\n--b--\r\n', { 'Content-Type': 'multipart/form-data; boundary=b' })).toBe(4300);
			expect(await code('{"file":"x"}', { 'Content-Type': 'application/json' })).toBe(4300);
			expect(await code('--b\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nnever closed', { 'Content-Type': 'multipart/form-data; boundary=b' })).toBe(4300);
			expect(await code(form({ bytes: Buffer.alloc(0), filename: 'empty.txt' }))).toBe(4300);
			expect(await code(form({ bytes: 'a', filename: 'a.txt' }, { bytes: 'b', filename: 'b.txt' }))).toBe(4301);

			cloud.uploadLimits.maxBytes = MiB;
			expect(await code(form({ bytes: Buffer.alloc(MiB + 1, 7), filename: 'big.bin' }))).toBe(4302);
			expect(await code(form({ bytes: Buffer.alloc(MiB, 7), filename: 'limit.bin' }))).toBe(0);

			expect(await code(form({ bytes: 'MZ', filename: 'setup.EXE' }))).toBe(4303); // default refusal, any case
			cloud.uploadLimits = { ...cloud.uploadLimits, refusedExtensions: ['heic'], refusedMimeTypes: ['image/heic'] };
			expect(await code(form({ bytes: 'x', filename: 'a.heic' }))).toBe(4303);
			expect(await code(form({ bytes: 'x', filename: 'a.img', type: 'image/heic' }))).toBe(4303);
			expect(await code(form({ bytes: 'MZ', filename: 'setup.exe' }))).toBe(0); // no longer refused

			const bad = await upload(cloud, form({ bytes: 'x' }), {}, 'nope');
			expect(bad.json).toMatchObject({ code: 4100 });
			const msgs = (await upload(cloud, form({ bytes: 'a' }, { bytes: 'b' }))).json;
			expect(msgs).toMatchObject({ code: 4301, msg: expect.any(String), detail: { logid: expect.any(String) } });
			expect(cloud.uploads.map((u) => u.fileName)).toEqual(['limit.bin', 'setup.exe']); // only accepted ones

			cloud.reset();
			expect(cloud.uploads).toHaveLength(0);
			expect(cloud.uploadLimits).toEqual(defaultUploadLimits('cloud'));
			expect(cloud.uploadLimits.maxBytes).toBe(512 * MiB);
		});
	});

	describe('POST /v1/files/upload, Studio', () => {
		test('{data:{uri,bytes,CreatedAt,file_name,url,id},code,msg,BaseResp}; the url serves the bytes back', async () => {
			const bytes = Buffer.from('col1,col2\n1,2\n', 'utf8');
			const a = await upload(studio, form({ bytes, type: 'text/csv', filename: '表格 data.csv' }));
			expect(a.status).toBe(200);
			expect(a.headers.get('x-log-id')).toMatch(UUID);
			expect(Object.keys(a.json)).toEqual(['data', 'code', 'msg', 'BaseResp']);
			const d = a.json.data as Record<string, unknown>;
			expect(Object.keys(d)).toEqual(['uri', 'bytes', 'CreatedAt', 'file_name', 'url', 'id']);
			expect(a.json).toMatchObject({ code: 0, msg: '', BaseResp: null });
			expect(d).toMatchObject({ bytes: bytes.length, file_name: '表格 data.csv', id: expect.stringMatching(ID19), CreatedAt: expect.any(Number) });
			expect(d.uri).toMatch(/^bot_files\/[0-9a-f-]{36}\/表格 data\.csv$/);
			const url = d.url as string;
			expect(url.startsWith(`${studio.url}/local_storage/opencoze/bot_files/`)).toBe(true);
			expect(url).toContain('X-Amz-Signature=');
			expect(studio.uploads[0]).toMatchObject({ dialect: 'studio', url, uri: d.uri, fileName: '表格 data.csv', mimeType: 'text/csv', sha256: sha256(bytes) });

			const back = await get(studio, url, { token: null });
			expect(back.status).toBe(200);
			expect(back.bytes.equals(bytes)).toBe(true);
			expect(back.headers.get('content-type')).toBe('text/csv');
			expect(back.headers.get('x-log-id')).toBeNull(); // MinIO, not the Coze server
			// the workflow engine's x-wf-file_name hint is dropped by nginx
			expect((await get(studio, `${url}&x-wf-file_name=${encodeURIComponent('表格.csv')}`, { token: null })).status).toBe(200);
			const tampered = await get(studio, url.replace(/X-Amz-Signature=[0-9a-f]+/, 'X-Amz-Signature=tampered'), { token: null });
			expect(tampered.status).toBe(403);
			expect(tampered.text).toContain('<Code>SignatureDoesNotMatch</Code>');
			const missing = await get(studio, `${studio.url}/local_storage/opencoze/bot_files/nope/x.csv`, { token: null });
			expect(missing.status).toBe(404);
			expect(missing.text).toContain('<Code>NoSuchKey</Code>');
			// cloud has no such thing
			expect((await get(cloud, new URL(url).pathname)).status).toBe(404);
		});

		test('hand-written binary multipart; the served file is byte-identical; basename of a path filename', async () => {
			const a = await upload(studio, handWritten('----b', 'filename="dir/sub/二进制.bin"', BINARY), { 'Content-Type': 'multipart/form-data; boundary=----b' });
			expect(a.json).toMatchObject({ code: 0, data: { file_name: '二进制.bin', bytes: BINARY.length } });
			expect(studio.uploads[0].fileName).toBe('dir/sub/二进制.bin'); // as sent
			const back = await get(studio, (a.json.data as { url: string }).url, { token: null });
			expect(back.bytes.equals(BINARY)).toBe(true);
			expect(back.headers.get('content-type')).toBe('application/octet-stream');
			expect(sha256(back.bytes)).toBe(studio.uploads[0].sha256);
		});

		test('errors: Studio codes; empty files and any type accepted; body over the Hertz limit → 413', async () => {
			const noFile = new FormData();
			noFile.append('note', 'x');
			expect((await upload(studio, noFile)).json).toEqual({ code: 104000006, msg: "upload file（open）can't find file" });
			expect((await upload(studio, form({ bytes: 'a' }, { bytes: 'b' }))).json).toEqual({ code: 104000007, msg: 'upload file（open）exceed one file' });
			expect((await upload(studio, 'x', { 'Content-Type': 'text/plain' })).json).toEqual({ code: 104000005, msg: 'multipart form data read failed' });
			expect((await upload(studio, 'x', { 'Content-Type': 'garbage' })).json).toEqual({ code: 104000003, msg: 'invalid content-type : garbage' });
			const noCt = await call(studio, '/v1/files/upload', { method: 'POST', body: new Uint8Array([1, 2]) });
			expect(noCt.status).toBe(400);
			expect(noCt.json.code).toBe(400);
			expect((await upload(studio, form({ bytes: 'x' }), {}, 'bad')).json).toEqual({ code: 700012006, msg: 'authentication failed: api key invalid' });

			const empty = await upload(studio, form({ bytes: Buffer.alloc(0), filename: 'empty.txt' }));
			expect(empty.json).toMatchObject({ code: 0, data: { bytes: 0 } });
			expect((await upload(studio, form({ bytes: 'MZ', filename: 'setup.exe' }))).json.code).toBe(0);

			studio.uploadLimits.refusedExtensions = ['exe'];
			expect((await upload(studio, form({ bytes: 'MZ', filename: 'setup.exe' }))).json).toEqual({ code: 104000002, msg: 'invalid Upload type : exe' });

			studio.uploadLimits.maxBytes = MiB;
			const big = await upload(studio, form({ bytes: Buffer.alloc(MiB, 1), filename: 'big.bin' })); // + multipart overhead > 1 MiB
			expect(big.status).toBe(413);
			expect(big.text).toBe('Request Entity Too Large');
			expect(big.headers.get('x-log-id')).toBeNull();
			expect((await upload(studio, form({ bytes: Buffer.alloc(MiB - 1024, 1), filename: 'ok.bin' }))).json.code).toBe(0);
			expect(studio.uploads.map((u) => u.fileName)).toEqual(['empty.txt', 'setup.exe', 'ok.bin']);
		});
	});

	// ====================================================================== run with file values

	describe('/v1/workflow/run echo with file values', () => {
		const WF = SCHEMA_WORKFLOW_ID;

		test('cloud: {"file_id":…} JSON texts pass through unchanged; fileRefsOf resolves them to uploads', async () => {
			const up = async (name: string): Promise<string> => ((await upload(cloud, form({ bytes: name, filename: name }))).json.data as { id: string }).id;
			const [one, two, three] = [await up('a.png'), await up('b.png'), await up('c.png')];
			const parameters = {
				text: 'hi',
				image: JSON.stringify({ file_id: one }),
				photos: [JSON.stringify({ file_id: two }), JSON.stringify({ file_id: three })],
				attachment: 'https://example.com/public.pdf',
			};
			const r = await call(cloud, '/v1/workflow/run', { method: 'POST', body: JSON.stringify({ workflow_id: WF, parameters }), headers: { 'Content-Type': 'application/json' } });
			expect(r.json.code).toBe(0);
			expect(JSON.parse(r.json.data as string)).toEqual({ parameters, workflow_id: WF });
			const refs = cloud.fileRefsOf(WF);
			expect(refs.map((f) => [f.parameter, f.index, f.kind, f.fileId ?? f.url, f.upload?.fileName])).toEqual([
				['image', undefined, 'file_id', one, 'a.png'],
				['photos', 0, 'file_id', two, 'b.png'],
				['photos', 1, 'file_id', three, 'c.png'],
				['attachment', undefined, 'url', 'https://example.com/public.pdf', undefined],
			]);
			expect(refs[0]).toMatchObject({ path: '/v1/workflow/run', value: parameters.image });
		});

		test('Studio: the upload URL passes through unchanged (parameters as a JSON text too); fileRefsOf matches it', async () => {
			const a = await upload(studio, form({ bytes: 'img', type: 'image/png', filename: 'p.png' }));
			const url = (a.json.data as { url: string }).url;
			const withName = `${url}&x-wf-file_name=p.png`;
			const parameters = { image: withName, photos: [url] };
			const r = await call(studio, '/v1/workflow/run', {
				method: 'POST',
				body: JSON.stringify({ workflow_id: WF, parameters: JSON.stringify(parameters) }),
				headers: { 'Content-Type': 'application/json' },
			});
			expect(r.json.code).toBe(0);
			expect(JSON.parse(r.json.data as string).parameters).toEqual(parameters);
			const refs = studio.fileRefsOf(WF);
			expect(refs.map((f) => [f.parameter, f.kind, f.value, f.upload?.id])).toEqual([
				['image', 'url', withName, studio.uploads[0].id],
				['photos', 'url', url, studio.uploads[0].id],
			]);
			expect((await get(studio, withName, { token: null })).text).toBe('img');
		});
	});
});

describe('OAuth', () => {
	/**
	 * Wire-level tests of the emulator's OAuth JWT service-app token endpoint (test/emulator/oauth.ts,
	 * cloud `POST /api/permission/oauth2/token`) and of the access tokens it issues, over real HTTP on
	 * 127.0.0.1. Key pairs are generated here and JWTs are signed by hand with node:crypto.
	 */
	const APP = '1170000000000000001';
	const OTHER_APP = '1170000000000000002';
	const KID = 'kid_main_0123456789abcdef';
	const KID_B = 'kid_second_fedcba9876543210';
	const GOOD_BODY = { grant_type: JWT_BEARER_GRANT, duration_seconds: 900 };

	type KeyPair = ReturnType<typeof newOAuthKeyPair>;

	let main: KeyPair;
	let second: KeyPair;
	let stranger: KeyPair;

	const realNow = (): number => Math.floor(Date.now() / 1000);
	const b64url = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8').toString('base64url');

	interface JwtSpec {
		/** Header members (undefined removes one). */
		header?: Record<string, unknown>;
		/** Payload members (undefined removes one). */
		claims?: Record<string, unknown>;
		/** Private key PEM to sign with (default: the main pair's). */
		key?: string;
	}

	function jwt(spec: JwtSpec = {}): string {
		const now = realNow();
		const header = { alg: 'RS256', typ: 'JWT', kid: KID, ...spec.header };
		const payload = { iss: APP, aud: 'api.coze.cn', iat: now, exp: now + 600, jti: randomUUID(), ...spec.claims };
		const signingInput = `${b64url(header)}.${b64url(payload)}`;
		const signature = sign('RSA-SHA256', Buffer.from(signingInput), spec.key ?? main.privateKey).toString('base64url');
		return `${signingInput}.${signature}`;
	}

	async function call(url: string, init: RequestInit = {}): Promise<Answer> {
		return await readAnswer(await fetch(url, init));
	}

	/** POST /api/permission/oauth2/token; `body` a string is sent as is, anything else as JSON. */
	function tokenRequest(emu: CozeEmulator, bearer: string | null, body: unknown = GOOD_BODY, authorization?: string): Promise<Answer> {
		const headers: Record<string, string> = { 'Content-Type': 'application/json' };
		if (authorization !== undefined) headers.Authorization = authorization;
		else if (bearer !== null) headers.Authorization = `Bearer ${bearer}`;
		return call(`${emu.url}${OAUTH_TOKEN_PATH}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
	}

	async function accessToken(emu: CozeEmulator, spec: JwtSpec = {}, body: unknown = GOOD_BODY): Promise<string> {
		const a = await tokenRequest(emu, jwt(spec), body);
		expect(a.status).toBe(200);
		return a.json.access_token as string;
	}

	const runWith = (emu: CozeEmulator, token: string): Promise<Answer> =>
		call(`${emu.url}/v1/workflow/run`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ workflow_id: '7366468917055100000', parameters: { input: 'hi' } }),
		});

	const workspacesWith = (emu: CozeEmulator, token: string): Promise<Answer> =>
		call(`${emu.url}/v1/workspaces`, { headers: { Authorization: `Bearer ${token}` } });

	/** No JWT part, no key material: no run of 40+ base64 characters, no PEM armour. */
	function expectNoSecrets(text: string, token?: string): void {
		expect(text).not.toMatch(/[A-Za-z0-9+/_=-]{40,}/);
		expect(text).not.toContain('BEGIN');
		if (token !== undefined) {
			for (const part of token.split('.').filter((p) => p.length >= 8)) expect(text).not.toContain(part);
		}
		for (const pem of [main.publicKey, main.privateKey, second.publicKey]) {
			for (const line of pem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))) {
				expect(text).not.toContain(line.slice(0, 16));
			}
		}
	}

	const apps = (): OAuthApp[] => [
		{ appId: APP, keyId: KID, publicKeyPem: main.publicKey },
		{ appId: OTHER_APP, keyId: KID_B, publicKeyPem: second.publicKey },
	];

	let emu: CozeEmulator;
	const started: CozeEmulator[] = [];
	async function start(opts: StartOptions): Promise<CozeEmulator> {
		const e = await startCozeEmulator(opts);
		started.push(e);
		return e;
	}

	beforeAll(async () => {
		main = newOAuthKeyPair();
		second = newOAuthKeyPair();
		stranger = newOAuthKeyPair();
		emu = await startCozeEmulator({ oauthApps: apps() });
	});
	afterAll(async () => {
		await emu.close();
	});
	beforeEach(() => emu.reset());
	afterEach(async () => {
		await Promise.all(started.splice(0).map((e) => e.close()));
	});

	describe('token endpoint: success', () => {
		test('answers access_token, expires_in = unix time now + duration_seconds, token_type Bearer; recorded', async () => {
			const before = realNow();
			const token = jwt({ claims: { session_name: 'user-42' } });
			const a = await tokenRequest(emu, token, { grant_type: JWT_BEARER_GRANT, duration_seconds: 3600 });
			const after = realNow();
			expect(a.status).toBe(200);
			expect(a.headers.get('content-type')).toMatch(/^application\/json/);
			expect(a.headers.get('x-tt-logid')).toMatch(/^\d{14}[0-9A-F]{18}$/);
			expect(Object.keys(a.json)).toEqual(['access_token', 'expires_in', 'token_type']);
			expect(a.json.access_token).toMatch(/^czs_[0-9a-f]{32}$/);
			expect(a.json.token_type).toBe('Bearer');
			const expiresIn = a.json.expires_in as number;
			expect(Number.isInteger(expiresIn)).toBe(true);
			expect(expiresIn).toBeGreaterThanOrEqual(before + 3600);
			expect(expiresIn).toBeLessThanOrEqual(after + 3600);

			expect(emu.tokenRequests).toEqual([
				{
					ok: true,
					kid: KID,
					appId: APP,
					audience: 'api.coze.cn',
					sessionName: 'user-42',
					durationSeconds: 3600,
					accessToken: a.json.access_token,
					expiresAt: expiresIn,
				},
			]);
			expect(emu.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${OAUTH_TOKEN_PATH}`]);
			expect(emu.requests[0].body).toEqual({ grant_type: JWT_BEARER_GRANT, duration_seconds: 3600 });
		});

		test('missing duration_seconds → 900 s; a new token per request', async () => {
			const before = realNow();
			const a = await tokenRequest(emu, jwt(), { grant_type: JWT_BEARER_GRANT });
			const b = await tokenRequest(emu, jwt(), { grant_type: JWT_BEARER_GRANT });
			expect(a.status).toBe(200);
			expect(a.json.expires_in).toBeGreaterThanOrEqual(before + 900);
			expect(a.json.expires_in).toBeLessThanOrEqual(realNow() + 900);
			expect(b.json.access_token).not.toBe(a.json.access_token);
			expect(emu.tokenRequests.map((r) => r.durationSeconds)).toEqual([900, 900]);
		});

		test('duration_seconds capped by maxTokenLifetimeSeconds (StartOptions and setter)', async () => {
			const e = await start({ oauthApps: apps(), maxTokenLifetimeSeconds: 60 });
			expect(e.maxTokenLifetimeSeconds).toBe(60);
			const before = realNow();
			const a = await tokenRequest(e, jwt(), { grant_type: JWT_BEARER_GRANT, duration_seconds: 86399 });
			expect(a.json.expires_in).toBeGreaterThanOrEqual(before + 60);
			expect(a.json.expires_in).toBeLessThanOrEqual(realNow() + 60);
			expect(e.tokenRequests[0].durationSeconds).toBe(86399);
			e.maxTokenLifetimeSeconds = 86399;
			const b = await tokenRequest(e, jwt(), { grant_type: JWT_BEARER_GRANT, duration_seconds: 86399 });
			expect(b.json.expires_in).toBeGreaterThanOrEqual(before + 86399);
			expect(() => (e.maxTokenLifetimeSeconds = -1)).toThrow(RangeError);
			expect(() => (e.maxTokenLifetimeSeconds = 1.5)).toThrow(RangeError);
		});

		test('the issued token works on POST /v1/workflow/run and GET /v1/workspaces; default token still works', async () => {
			const token = await accessToken(emu);
			const run = await runWith(emu, token);
			expect(run.status).toBe(200);
			expect(run.json.code).toBe(0);
			expect(JSON.parse(run.json.data as string)).toMatchObject({ parameters: { input: 'hi' } });
			const ws = await workspacesWith(emu, token);
			expect(ws.status).toBe(200);
			expect(ws.json.code).toBe(0);
			expect((ws.json.data as { workspaces: unknown[] }).workspaces.length).toBeGreaterThan(0);
			expect((await runWith(emu, 'test-token')).json.code).toBe(0);
			expect((await runWith(emu, 'czs_00000000000000000000000000000000')).json).toMatchObject({ code: 4100, msg: 'authentication is invalid' });
		});

		test('a second app (its own key and app id) gets tokens too; addOAuthApp registers and replaces keys', async () => {
			expect((await tokenRequest(emu, jwt({ header: { kid: KID_B }, claims: { iss: OTHER_APP }, key: second.privateKey }))).status).toBe(200);
			const e = await start({});
			const token = jwt();
			expect((await tokenRequest(e, token)).json.error_code).toBe('invalid_client');
			e.addOAuthApp({ appId: APP, keyId: KID, publicKeyPem: main.publicKey });
			expect((await tokenRequest(e, token)).status).toBe(200);
			e.addOAuthApp({ appId: APP, keyId: KID, publicKeyPem: stranger.publicKey }); // key rotated under the same kid
			expect((await tokenRequest(e, jwt())).json.error_message).toMatch(/^the JWT signature does not match/);
			expect((await tokenRequest(e, jwt({ key: stranger.privateKey }))).status).toBe(200);
		});

		test('addOAuthApp refuses what is not an RSA public key, without quoting it', () => {
			const bad = '-----BEGIN PUBLIC KEY-----\nAAAASECRETSECRETSECRET\n-----END PUBLIC KEY-----\n';
			expect(() => emu.addOAuthApp({ appId: APP, keyId: 'k', publicKeyPem: bad })).toThrow(/publicKeyPem is not a readable public key/);
			try {
				emu.addOAuthApp({ appId: APP, keyId: 'k', publicKeyPem: bad });
			} catch (e) {
				expect((e as Error).message).not.toContain('SECRET');
			}
			const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
			expect(() => emu.addOAuthApp({ appId: APP, keyId: 'k', publicKeyPem: ec.publicKey })).toThrow(/must be an RSA key/);
			expect(() => emu.addOAuthApp({ appId: '', keyId: 'k', publicKeyPem: main.publicKey })).toThrow(TypeError);
		});

		test('other methods on the path → 404 like any unknown route; recorded, no token request', async () => {
			for (const method of ['GET', 'PUT', 'DELETE']) {
				const a = await call(`${emu.url}${OAUTH_TOKEN_PATH}`, { method, headers: { Authorization: `Bearer ${jwt()}` } });
				expect(a.status).toBe(404);
				expect(a.text).toBe('404 page not found');
			}
			expect(emu.requests).toHaveLength(3);
			expect(emu.tokenRequests).toHaveLength(0);
		});
	});

	interface RefusalCase {
		name: string;
		/** The Bearer (a JWT or anything), or null for no Authorization header. */
		bearer: () => string | null;
		authorization?: string;
		body?: unknown;
		status: number;
		code: string;
		message: string | RegExp;
	}

	const now = realNow;
	const REFUSALS: RefusalCase[] = [
		{ name: 'no Authorization header', bearer: () => null, status: 401, code: 'invalid_request', message: 'missing JWT in the Authorization header' },
		{ name: 'Basic scheme', bearer: () => null, authorization: 'Basic dXNlcjpwYXNz', status: 401, code: 'invalid_request', message: 'missing JWT in the Authorization header' },
		{ name: 'two parts', bearer: () => jwt().split('.').slice(0, 2).join('.'), status: 401, code: 'invalid_request', message: 'the JWT is not three base64url parts' },
		{ name: 'four parts', bearer: () => `${jwt()}.AAAA`, status: 401, code: 'invalid_request', message: 'the JWT is not three base64url parts' },
		{ name: 'not base64url (padding)', bearer: () => jwt().replace('.', '=.'), status: 401, code: 'invalid_request', message: 'the JWT is not three base64url parts' },
		{ name: 'header not JSON', bearer: () => `${b64url('not json')}.${jwt().split('.')[1]}.AAAA`, status: 401, code: 'invalid_request', message: 'the JWT header or payload is not JSON' },
		{ name: 'payload a JSON string', bearer: () => `${jwt().split('.')[0]}.${b64url('"x"')}.AAAA`, status: 401, code: 'invalid_request', message: 'the JWT header or payload is not JSON' },
		{ name: 'alg HS256', bearer: () => jwt({ header: { alg: 'HS256' } }), status: 401, code: 'invalid_request', message: 'JWT header alg must be RS256, got "HS256"' },
		{
			name: 'alg none, empty signature',
			bearer: () => `${b64url({ alg: 'none', kid: KID })}.${b64url({ iss: APP })}.`,
			status: 401,
			code: 'invalid_request',
			message: 'JWT header alg must be RS256, got "none"',
		},
		{ name: 'no alg', bearer: () => jwt({ header: { alg: undefined } }), status: 401, code: 'invalid_request', message: 'JWT header alg must be RS256, got nothing' },
		{ name: 'no kid', bearer: () => jwt({ header: { kid: undefined } }), status: 401, code: 'invalid_request', message: 'JWT header has no kid' },
		{
			name: 'unknown kid',
			bearer: () => jwt({ header: { kid: 'kid_nobody' } }),
			status: 401,
			code: 'invalid_client',
			message: 'no public key with fingerprint (kid) "kid_nobody" is registered for any app',
		},
		{
			name: 'signed with another private key',
			bearer: () => jwt({ key: stranger.privateKey }),
			status: 401,
			code: 'invalid_client',
			message: `the JWT signature does not match the public key with fingerprint (kid) "${KID}": sign with the private key of that key pair`,
		},
		{
			name: 'signed with the other app key (kid of the first)',
			bearer: () => jwt({ key: second.privateKey }),
			status: 401,
			code: 'invalid_client',
			message: /^the JWT signature does not match the public key with fingerprint \(kid\) "kid_main_/,
		},
		{
			name: 'payload altered after signing',
			bearer: () => {
				const [h, , s] = jwt().split('.');
				return `${h}.${b64url({ iss: APP, aud: 'api.coze.cn', iat: now(), exp: now() + 600, jti: 'x' })}.${s}`;
			},
			status: 401,
			code: 'invalid_client',
			message: /^the JWT signature does not match/,
		},
		{ name: 'empty signature', bearer: () => jwt().replace(/\.[^.]+$/, '.'), status: 401, code: 'invalid_client', message: /^the JWT signature does not match/ },
		{
			name: 'iss of another app',
			bearer: () => jwt({ claims: { iss: OTHER_APP } }),
			status: 401,
			code: 'invalid_client',
			message: `JWT iss "${OTHER_APP}" is not the app ID of the key "${KID}"`,
		},
		{ name: 'no iss', bearer: () => jwt({ claims: { iss: undefined } }), status: 401, code: 'invalid_client', message: `JWT iss nothing is not the app ID of the key "${KID}"` },
		{
			name: 'aud of the other region',
			bearer: () => jwt({ claims: { aud: 'api.coze.com' } }),
			status: 401,
			code: 'invalid_request',
			message: 'JWT aud must be "api.coze.cn", got "api.coze.com"',
		},
		{
			name: 'aud a URL',
			bearer: () => jwt({ claims: { aud: 'https://api.coze.cn' } }),
			status: 401,
			code: 'invalid_request',
			message: 'JWT aud must be "api.coze.cn", got "https://api.coze.cn"',
		},
		{ name: 'no iat', bearer: () => jwt({ claims: { iat: undefined } }), status: 401, code: 'invalid_request', message: 'JWT iat must be an integer (unix seconds), got nothing' },
		{ name: 'iat not an integer', bearer: () => jwt({ claims: { iat: now() + 0.5 - 10 } }), status: 401, code: 'invalid_request', message: /^JWT iat must be an integer \(unix seconds\), got \d+\.5$/ },
		{
			name: 'iat 60 s in the future',
			bearer: () => jwt({ claims: { iat: now() + 60, exp: now() + 600 } }),
			status: 401,
			code: 'invalid_request',
			message: /^JWT iat is (59|60) s in the future by the server's clock$/,
		},
		{ name: 'no exp', bearer: () => jwt({ claims: { exp: undefined } }), status: 401, code: 'invalid_request', message: 'JWT exp must be an integer (unix seconds), got nothing' },
		{ name: 'exp passed', bearer: () => jwt({ claims: { iat: now() - 100, exp: now() - 1 } }), status: 401, code: 'invalid_request', message: 'the JWT has expired (exp)' },
		{ name: 'exp = iat, both past', bearer: () => jwt({ claims: { iat: now() - 5, exp: now() - 5 } }), status: 401, code: 'invalid_request', message: 'the JWT has expired (exp)' },
		{
			name: 'lives longer than 24 h',
			bearer: () => jwt({ claims: { iat: now() - 10, exp: now() - 10 + 86401 } }),
			status: 401,
			code: 'invalid_request',
			message: 'the JWT lives longer than 24 h (exp - iat = 86401 s)',
		},
		{ name: 'no jti', bearer: () => jwt({ claims: { jti: undefined } }), status: 401, code: 'invalid_request', message: 'JWT has no jti' },
		{ name: 'empty jti', bearer: () => jwt({ claims: { jti: '' } }), status: 401, code: 'invalid_request', message: 'JWT has no jti' },
		{ name: 'session_name not a string', bearer: () => jwt({ claims: { session_name: 42 } }), status: 401, code: 'invalid_request', message: 'JWT session_name must be a string' },
		{ name: 'body not JSON', bearer: () => jwt(), body: 'grant_type=client_credentials', status: 400, code: 'unsupported_grant_type', message: 'the request body is not a JSON object' },
		{ name: 'empty body', bearer: () => jwt(), body: '', status: 400, code: 'unsupported_grant_type', message: 'the request body is not a JSON object' },
		{
			name: 'other grant_type',
			bearer: () => jwt(),
			body: { grant_type: 'client_credentials' },
			status: 400,
			code: 'unsupported_grant_type',
			message: `grant_type must be "${JWT_BEARER_GRANT}", got "client_credentials"`,
		},
		{ name: 'no grant_type', bearer: () => jwt(), body: { duration_seconds: 900 }, status: 400, code: 'unsupported_grant_type', message: `grant_type must be "${JWT_BEARER_GRANT}", got nothing` },
		...[0, 86400, 1.5, '900', -1, null].map(
			(d): RefusalCase => ({
				name: `duration_seconds ${JSON.stringify(d)}`,
				bearer: () => jwt(),
				body: { grant_type: JWT_BEARER_GRANT, duration_seconds: d },
				status: 400,
				code: 'invalid_request',
				message: 'duration_seconds must be an integer from 1 to 86399',
			}),
		),
	];

	describe('token endpoint: refusals', () => {
		test.each(REFUSALS.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
			const bearer = c.bearer();
			const a = await tokenRequest(emu, bearer, c.body ?? GOOD_BODY, c.authorization);
			expect(a.status).toBe(c.status);
			expect(a.headers.get('content-type')).toMatch(/^application\/json/);
			expect(a.headers.get('x-tt-logid')).toMatch(/^\d{14}[0-9A-F]{18}$/);
			expect(Object.keys(a.json)).toEqual(['error_code', 'error_message']); // ASSUMPTION (oauth.ts)
			expect(a.json.error_code).toBe(c.code);
			if (typeof c.message === 'string') expect(a.json.error_message).toBe(c.message);
			else expect(a.json.error_message).toMatch(c.message);
			expectNoSecrets(a.text, bearer ?? undefined);
			expect(emu.tokenRequests).toHaveLength(1);
			expect(emu.tokenRequests[0]).toMatchObject({ ok: false, error: a.json.error_message });
			expect(emu.tokenRequests[0].accessToken).toBeUndefined();
			expect(emu.requests).toHaveLength(1);
		});

		test('a refused request records the claims it carried', async () => {
			await tokenRequest(emu, jwt({ claims: { aud: 'api.coze.com', session_name: 's1' } }), { grant_type: JWT_BEARER_GRANT, duration_seconds: 120 });
			expect(emu.tokenRequests).toEqual([
				{ ok: false, error: 'JWT aud must be "api.coze.cn", got "api.coze.com"', kid: KID, appId: APP, audience: 'api.coze.com', sessionName: 's1', durationSeconds: 120 },
			]);
		});

		test('checks run in order: the first wrong part is named', async () => {
			// wrong alg AND unknown kid AND wrong aud → alg; unknown kid AND bad body → kid
			expect((await tokenRequest(emu, jwt({ header: { alg: 'RS512', kid: 'nope' }, claims: { aud: 'x' } }))).json.error_message).toMatch(/alg/);
			expect((await tokenRequest(emu, jwt({ header: { kid: 'nope' } }), 'junk')).json.error_message).toMatch(/kid/);
			expect((await tokenRequest(emu, jwt({ claims: { iss: 'x', aud: 'y' } }))).json.error_message).toMatch(/iss/);
		});

		test('jti replay: the same JWT twice → the second is refused; a refused request does not use up its jti', async () => {
			const token = jwt();
			expect((await tokenRequest(emu, token)).status).toBe(200);
			const again = await tokenRequest(emu, token);
			expect(again.status).toBe(401);
			expect(again.json).toEqual({ error_code: 'invalid_request', error_message: "the JWT's jti was already used" });
			const jti = `jti-${randomUUID()}`;
			const other = jwt({ claims: { jti } }); // same jti, new JWT: still refused
			expect((await tokenRequest(emu, jwt({ claims: { jti: 'fixed-jti-a' } }))).status).toBe(200);
			expect((await tokenRequest(emu, jwt({ claims: { jti: 'fixed-jti-a', session_name: 'other' } }))).json.error_message).toBe("the JWT's jti was already used");
			// refused for its body: jti not used up
			expect((await tokenRequest(emu, other, { grant_type: 'password' })).status).toBe(400);
			expect((await tokenRequest(emu, other)).status).toBe(200);
			// reset() does not forget used jti values
			emu.reset();
			expect((await tokenRequest(emu, other)).json.error_message).toBe("the JWT's jti was already used");
		});
	});

	describe('emulator clock', () => {
		test('offset +5: iat = now passes; expires_in is on the emulator clock', async () => {
			const e = await start({ oauthApps: apps(), clockOffsetSeconds: 5 });
			expect(e.clockOffsetSeconds).toBe(5);
			const before = realNow();
			const a = await tokenRequest(e, jwt(), { grant_type: JWT_BEARER_GRANT, duration_seconds: 100 });
			expect(a.status).toBe(200);
			expect(a.json.expires_in).toBeGreaterThanOrEqual(before + 5 + 100);
			expect(a.json.expires_in).toBeLessThanOrEqual(realNow() + 5 + 100);
		});

		test('offset -5: iat = now is in the future (no leeway); iat backdated by 30 s passes', async () => {
			const e = await start({ oauthApps: apps(), clockOffsetSeconds: -5 });
			const a = await tokenRequest(e, jwt());
			expect(a.status).toBe(401);
			expect(a.json.error_code).toBe('invalid_request');
			expect(a.json.error_message).toMatch(/^JWT iat is [45] s in the future by the server's clock$/);
			const before = realNow();
			const b = await tokenRequest(e, jwt({ claims: { iat: realNow() - 30 } }), { grant_type: JWT_BEARER_GRANT, duration_seconds: 100 });
			expect(b.status).toBe(200);
			expect(b.json.expires_in).toBeGreaterThanOrEqual(before - 5 + 100);
			expect(b.json.expires_in).toBeLessThanOrEqual(realNow() - 5 + 100);
		});

		test('the setter applies to the next request; exp is checked on the emulator clock too', async () => {
			emu.clockOffsetSeconds = 1000;
			expect((await tokenRequest(emu, jwt())).json.error_message).toBe('the JWT has expired (exp)'); // exp = real now + 600
			emu.clockOffsetSeconds = -100;
			expect((await tokenRequest(emu, jwt())).json.error_message).toMatch(/^JWT iat is (99|100) s in the future/);
			emu.clockOffsetSeconds = 0;
			expect((await tokenRequest(emu, jwt())).status).toBe(200);
			expect(() => (emu.clockOffsetSeconds = 0.5)).toThrow(RangeError);
			expect(() => (emu.clockOffsetSeconds = Number.NaN)).toThrow(RangeError);
		});
	});

	describe('issued tokens: expiry and revocation', () => {
		test('maxTokenLifetimeSeconds 3: the token works, then, once its seconds have passed on the emulator\'s clock, gets 4100 (body4100: HTTP 200)', async () => {
			// Not 1 s: expiry is in whole seconds, so a token issued late in a second could expire
			// before a busy machine sends its first run.
			const e = await start({ oauthApps: apps(), maxTokenLifetimeSeconds: 3 });
			const token = await accessToken(e);
			expect((await runWith(e, token)).json.code).toBe(0);
			// The emulator's clock moved on instead of the test waiting: the same expiry check, read per request.
			e.clockOffsetSeconds = 4;
			const run = await runWith(e, token);
			expect(run.status).toBe(200);
			expect(run.json).toEqual({ code: 4100, msg: 'authentication is invalid', detail: { logid: run.headers.get('x-tt-logid') } });
			const ws = await workspacesWith(e, token);
			expect(ws.status).toBe(200);
			expect(ws.json.code).toBe(4100);
		});

		test('maxTokenLifetimeSeconds 0: the token is born expired (expires_in = now) and refused at once', async () => {
			emu.maxTokenLifetimeSeconds = 0;
			const before = realNow();
			const a = await tokenRequest(emu, jwt());
			expect(a.status).toBe(200);
			expect(a.json.expires_in).toBeGreaterThanOrEqual(before);
			expect(a.json.expires_in).toBeLessThanOrEqual(realNow());
			expect((await runWith(emu, a.json.access_token as string)).json.code).toBe(4100);
		});

		test('http401: an expired token (emulator clock moved on) gets HTTP 401 with the 4100 body; unknown tokens keep HTTP 200', async () => {
			const e = await start({ oauthApps: apps(), expiredTokenAnswer: 'http401' });
			expect(e.expiredTokenAnswer).toBe('http401');
			const token = await accessToken(e, {}, { grant_type: JWT_BEARER_GRANT, duration_seconds: 600 });
			expect((await runWith(e, token)).json.code).toBe(0);
			e.clockOffsetSeconds = 600; // now >= expiresAt
			for (const a of [await runWith(e, token), await workspacesWith(e, token)]) {
				expect(a.status).toBe(401);
				expect(a.json).toEqual({ code: 4100, msg: 'authentication is invalid', detail: { logid: a.headers.get('x-tt-logid') } });
			}
			const unknown = await runWith(e, 'czs_ffffffffffffffffffffffffffffffff');
			expect(unknown.status).toBe(200);
			expect(unknown.json.code).toBe(4100);
			e.clockOffsetSeconds = 0;
			expect((await runWith(e, token)).json.code).toBe(0); // validity follows the emulator clock
			e.expiredTokenAnswer = 'body4100';
			e.clockOffsetSeconds = 10000;
			const again = await runWith(e, token);
			expect(again.status).toBe(200);
			expect(again.json.code).toBe(4100);
			expect(() => (e.expiredTokenAnswer = 'nope' as 'http401')).toThrow(TypeError);
		});

		test('expireOAuthTokens(): every token issued so far is refused, in both answer modes; later tokens work', async () => {
			const t1 = await accessToken(emu);
			const t2 = await accessToken(emu);
			emu.expireOAuthTokens();
			for (const t of [t1, t2]) {
				const a = await runWith(emu, t);
				expect(a.status).toBe(200);
				expect(a.json).toMatchObject({ code: 4100, msg: 'authentication is invalid' });
			}
			emu.expiredTokenAnswer = 'http401';
			expect((await workspacesWith(emu, t1)).status).toBe(401);
			const t3 = await accessToken(emu);
			expect((await runWith(emu, t3)).json.code).toBe(0);
			expect((await runWith(emu, 'test-token')).json.code).toBe(0); // validTokens are not OAuth tokens
		});
	});

	describe('reset()', () => {
		test('restores clock offset, max lifetime and expiredTokenAnswer to StartOptions; empties tokenRequests (same array); keeps apps and live tokens', async () => {
			const e = await start({ oauthApps: [apps()[0]], clockOffsetSeconds: 2, maxTokenLifetimeSeconds: 3600, expiredTokenAnswer: 'http401' });
			const records = e.tokenRequests;
			e.addOAuthApp(apps()[1]);
			const before = realNow();
			const token = await accessToken(e, {}, { grant_type: JWT_BEARER_GRANT, duration_seconds: 86399 });
			expect(e.tokenRequests[0].expiresAt).toBeGreaterThanOrEqual(before + 2 + 3600);
			const revoked = await accessToken(e);
			e.expireOAuthTokens();
			const live = await accessToken(e);
			e.clockOffsetSeconds = 40;
			e.maxTokenLifetimeSeconds = 5;
			e.expiredTokenAnswer = 'body4100';

			e.reset();
			expect(e.clockOffsetSeconds).toBe(2);
			expect(e.maxTokenLifetimeSeconds).toBe(3600);
			expect(e.expiredTokenAnswer).toBe('http401');
			expect(e.tokenRequests).toBe(records);
			expect(e.tokenRequests).toHaveLength(0);
			expect(e.requests).toHaveLength(0);

			expect((await runWith(e, live)).json.code).toBe(0); // issued before reset(), still valid
			expect((await runWith(e, revoked)).status).toBe(401); // revoked stays revoked
			expect((await runWith(e, token)).status).toBe(401);
			// both the StartOptions app and the added one still get tokens
			expect((await tokenRequest(e, jwt())).status).toBe(200);
			expect((await tokenRequest(e, jwt({ header: { kid: KID_B }, claims: { iss: OTHER_APP }, key: second.privateKey }))).status).toBe(200);
			expect(e.tokenRequests.map((r) => r.ok)).toEqual([true, true]);
		});

		test('defaults after reset() without StartOptions: offset 0, lifetime 86399, body4100', async () => {
			emu.clockOffsetSeconds = 9;
			emu.maxTokenLifetimeSeconds = 9;
			emu.expiredTokenAnswer = 'http401';
			emu.reset();
			expect([emu.clockOffsetSeconds, emu.maxTokenLifetimeSeconds, emu.expiredTokenAnswer]).toEqual([0, 86399, 'body4100']);
		});
	});

	describe('other audience, studio dialect', () => {
		test('oauthAudience: api.coze.com', async () => {
			const e = await start({ oauthApps: apps(), oauthAudience: 'api.coze.com' });
			expect((await tokenRequest(e, jwt({ claims: { aud: 'api.coze.com' } }))).status).toBe(200);
			expect((await tokenRequest(e, jwt())).json.error_message).toBe('JWT aud must be "api.coze.com", got "api.coze.cn"');
		});

		test('studio: no OAuth endpoint — the path falls under the session-cookie layer (401 missing session_key)', async () => {
			const e = await start({ dialect: 'studio', oauthApps: apps() });
			const a = await tokenRequest(e, jwt());
			expect(a.status).toBe(401);
			expect(a.json).toEqual({ code: 401, msg: 'missing session_key in cookie' });
			expect(a.headers.get('x-log-id')).toMatch(/^[0-9a-f-]{36}$/);
			expect(e.tokenRequests).toHaveLength(0);
			expect(e.requests).toHaveLength(1);
		});
	});

	describe('cli --oauth-app', () => {
		let dir: string;
		let pemFile: string;
		let colonPemFile: string;
		beforeAll(() => {
			dir = mkdtempSync(join(tmpdir(), 'coze-emu-oauth-'));
			pemFile = join(dir, 'public.pem');
			writeFileSync(pemFile, main.publicKey);
			colonPemFile = join(dir, 'second:key.pem'); // a path holding a colon
			writeFileSync(colonPemFile, second.publicKey);
		});
		afterAll(() => rmSync(dir, { recursive: true, force: true }));

		test('parses APP_ID:KID:PEM_FILE (repeatable, inline form, colons in the path) and the apps get tokens', async () => {
			const opts = parseArgs(['--dialect', 'cloud', '--oauth-app', `${APP}:${KID}:${pemFile}`, `--oauth-app=${OTHER_APP}:${KID_B}:${colonPemFile}`]);
			expect(opts.oauthApps).toEqual(apps());
			expect(opts.dialects).toEqual(['cloud']);
			expect(parseArgs([]).oauthApps).toEqual([]);
			const e = await start({ oauthApps: opts.oauthApps });
			expect((await tokenRequest(e, jwt())).status).toBe(200);
			expect((await tokenRequest(e, jwt({ header: { kid: KID_B }, claims: { iss: OTHER_APP }, key: second.privateKey }))).status).toBe(200);
		});

		test('bad values are refused; the usage text mentions --oauth-app', () => {
			expect(() => parseArgs(['--oauth-app', `${APP}:${KID}`])).toThrow(/--oauth-app must be APP_ID:KID:PUBLIC_KEY_PEM_FILE/);
			expect(() => parseArgs(['--oauth-app', `:${KID}:${pemFile}`])).toThrow(/--oauth-app must be/);
			expect(() => parseArgs(['--oauth-app', `${APP}::${pemFile}`])).toThrow(/--oauth-app must be/);
			expect(() => parseArgs(['--oauth-app', `${APP}:${KID}:${join(dir, 'missing.pem')}`])).toThrow(/--oauth-app 1170000000000000001: cannot read/);
			expect(() => parseArgs(['--oauth-app'])).toThrow('--oauth-app needs a value');
			expect(() => parseArgs(['--help'])).toThrow(USAGE);
			expect(USAGE).toContain('--oauth-app APP_ID:KID:PUBLIC_KEY_PEM_FILE');
		});
	});
});

describe('faults', () => {
	/**
	 * Wire-level tests of the emulator's fault injection, latency, run accounting, big results and
	 * redirects (test/emulator/faults.ts, accounting.ts, bigjson.ts), both dialects, over real HTTP
	 * on 127.0.0.1 (Node's fetch, and node:http where the exact bytes before a reset matter).
	 */
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

	useDialectEmulators((started) => ({ cloud, studio } = started));
	afterAll(() => agent.destroy());

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
			await expect(run(emu, {}, WF, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'TimeoutError' });
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
				emu.latencyMs = 20;
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
		test('50 parallel run requests at 100 ms all wait ~100 ms, concurrently', async () => {
			for (const [, emu] of emus()) {
				emu.latencyMs = 100;
				const t0 = Date.now();
				const answers = await Promise.all(
					Array.from({ length: 50 }, async (_, i) => {
						const a = await run(emu, { i });
						return { a, ms: Date.now() - t0 };
					}),
				);
				const total = Date.now() - t0;
				expect(answers.every(({ a }) => a.status === 200 && a.json.code === 0)).toBe(true);
				expect(Math.min(...answers.map((x) => x.ms))).toBeGreaterThanOrEqual(95);
				expect(total).toBeLessThan(1500); // 50 × 100 ms would be 5 s
				expect(emu.maxConcurrentRuns(WF)).toBeGreaterThan(10);
			}
		});

		test('history polls and refusals wait too; other endpoints do not', async () => {
			studio.latencyMs = 50;
			const t0 = Date.now();
			const started = await send(studio, '/v1/workflow/run', { workflow_id: WF, parameters: {}, is_async: true });
			const t1 = Date.now();
			const poll = await send(studio, `/v1/workflow/get_run_history?workflow_id=${WF}&execute_id=${String(started.json.execute_id)}`);
			const t2 = Date.now();
			expect(poll.json.data).toBeDefined();
			expect(t1 - t0).toBeGreaterThanOrEqual(45);
			expect(t2 - t1).toBeGreaterThanOrEqual(45);
			studio.queueFaults(WF, [{ kind: 'rateLimit', via: 'http429' }]);
			const t3 = Date.now();
			expect((await run(studio)).status).toBe(429);
			expect(Date.now() - t3).toBeGreaterThanOrEqual(45);

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
});
