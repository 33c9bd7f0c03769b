/**
 * Wire-level tests of the emulator's catalogue and file endpoints (test/emulator/workspaces.ts,
 * workflows.ts, files.ts, multipart.ts), both dialects, over real HTTP on 127.0.0.1 with Node's
 * global fetch / FormData / Blob.
 */
import { createHash } from 'node:crypto';

import type { CatalogueWorkflow, CozeEmulator, Workspace, WorkflowParameter } from './emulator';
import {
	APP_ID,
	CHATFLOW_ID,
	DEFAULT_CATALOGUE_SIZE,
	DEFAULT_WORKFLOW_CATALOGUE,
	defaultUploadLimits,
	DRAFT_WORKFLOW_ID,
	PERSONAL_WORKSPACE_ID,
	SCHEMA_WORKFLOW_ID,
	SCHEMA_WORKFLOW_INPUT,
	startCozeEmulator,
	TEAM_WORKSPACE,
	TEAM_WORKSPACE_ID,
	WORKSPACES_WITH_TEAM,
} from './emulator';
import type { Answer } from './harness/answer';
import { readAnswer } from './harness/answer';

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
