/**
 * The knowledge part of the emulator's contract (brief wire18 §1–§7), over real HTTP with plain fetch in
 * both dialects: dataset listing, document create/list/update/delete, processing progress to completion and
 * failure, images and captions, limits, Studio's nginx / envelopes / id types. Sources are named where the
 * emulator serves each behaviour (test/emulator/knowledge*.ts).
 */
import type { CozeEmulator, Dialect } from './emulator';
import {
	FAIL_PROCESSING_MARKER,
	IMAGE_DATASET_ID,
	PERSONAL_WORKSPACE_ID,
	startCozeEmulator,
	TABLE_DATASET_ID,
	TEXT_DATASET_ID,
	UNKNOWN_DATASET_ID,
} from './emulator';

/** Parsed JSON read loosely in assertions, typed as JSON.parse types its result. */
type J = Record<string, ReturnType<typeof JSON.parse>>;
interface Res {
	status: number;
	headers: Headers;
	text: string;
	body: J;
}

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
	for (const e of Object.values(emus)) e.reset();
});
const cloud = (): CozeEmulator => emus.cloud!;
const studio = (): CozeEmulator => emus.studio!;

async function call(emu: CozeEmulator, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
	const r = await fetch(emu.url + path, {
		method,
		headers: { Authorization: 'Bearer test-token', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await r.text();
	let parsed: J = {};
	try {
		parsed = JSON.parse(text) as J;
	} catch {
		/* text */
	}
	return { status: r.status, headers: r.headers, text, body: parsed };
}
const CONV = { 'Agw-Js-Conv': 'str' };
const doc = (emu: CozeEmulator, body: unknown, headers: Record<string, string> = CONV): Promise<Res> =>
	call(emu, 'POST', '/open_api/knowledge/document/create', body, headers);
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const textBase = (name: string, content = 'hello knowledge'): J => ({ name, source_info: { file_base64: b64(content), file_type: 'txt' } });
const poll = (emu: CozeEmulator, ds: string, ids: unknown[]): Promise<Res> => call(emu, 'POST', `/v1/datasets/${ds}/process`, { document_ids: ids });

async function upload(emu: CozeEmulator, name: string, bytes: Buffer): Promise<J> {
	const form = new FormData();
	form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), name);
	const r = await fetch(`${emu.url}/v1/files/upload`, { method: 'POST', headers: { Authorization: 'Bearer test-token' }, body: form });
	return ((await r.json()) as J).data as J;
}

describe('cloud GET /v1/datasets', () => {
	it('lists the default knowledge bases with filters and paging', async () => {
		const r = await call(cloud(), 'GET', `/v1/datasets?space_id=${PERSONAL_WORKSPACE_ID}`);
		expect(r.body).toMatchObject({ code: 0, msg: '', data: { total_count: 3 }, detail: { logid: expect.any(String) } });
		expect(r.body.data.dataset_list.map((d: J) => d.dataset_id)).toEqual([TEXT_DATASET_ID, IMAGE_DATASET_ID, TABLE_DATASET_ID]);
		expect(r.body.data.dataset_list[0]).toMatchObject({ all_file_size: '0', format_type: 0, status: 1, can_edit: true, creator_name: expect.any(String), project_id: '' });
		const images = await call(cloud(), 'GET', `/v1/datasets?space_id=${PERSONAL_WORKSPACE_ID}&format_type=2`);
		expect(images.body.data.dataset_list.map((d: J) => d.dataset_id)).toEqual([IMAGE_DATASET_ID]);
		const named = await call(cloud(), 'GET', `/v1/datasets?space_id=${PERSONAL_WORKSPACE_ID}&name=${encodeURIComponent('price')}`);
		expect(named.body.data.dataset_list.map((d: J) => d.dataset_id)).toEqual([TABLE_DATASET_ID]);
		const page2 = await call(cloud(), 'GET', `/v1/datasets?space_id=${PERSONAL_WORKSPACE_ID}&page_num=2&page_size=2`);
		expect(page2.body.data).toMatchObject({ total_count: 3, dataset_list: [{ dataset_id: TABLE_DATASET_ID }] });
	});
	it('refuses a missing space_id and page_size over 300 with 4000', async () => {
		expect((await call(cloud(), 'GET', '/v1/datasets')).body.code).toBe(4000);
		expect((await call(cloud(), 'GET', `/v1/datasets?space_id=${PERSONAL_WORKSPACE_ID}&page_size=301`)).body.code).toBe(4000);
	});
});

describe('cloud documents', () => {
	it('creates text documents, records them and processes them to completion', async () => {
		cloud().setKnowledgeOptions({ processingPolls: 2 });
		const chunk = { chunk_type: 1, separator: '\n\n', max_tokens: 800 };
		const r = await doc(cloud(), { dataset_id: TEXT_DATASET_ID, format_type: 0, document_bases: [textBase('a.txt', 'abc'), textBase('b.txt')], chunk_strategy: chunk });
		expect(r.body).toMatchObject({ code: 0, msg: '', detail: { logid: expect.any(String) } });
		expect(r.body.data).toBeUndefined(); // top level
		const infos = r.body.document_infos as J[];
		expect(infos).toHaveLength(2);
		expect(infos[0]).toMatchObject({ name: 'a.txt', status: 0, size: 0, document_id: expect.stringMatching(/^\d{19}$/) });
		expect(infos[0].document_id_new).toBe(infos[0].document_id);
		expect(cloud().documentCreations[0]).toMatchObject({ name: 'a.txt', source: 'file_base64', fileType: 'txt', bytes: 3, chunkStrategy: chunk, jsConv: true });
		const ids = infos.map((d) => d.document_id as string);
		const p1 = await poll(cloud(), TEXT_DATASET_ID, ids);
		expect(p1.body.data.data[0]).toMatchObject({ document_id: ids[0], status: 0, progress: 33, document_name: 'a.txt', size: 3, type: 'txt' });
		expect(p1.body.data.data[0].status_descript).toBeUndefined();
		expect((await poll(cloud(), TEXT_DATASET_ID, ids)).body.data.data[0]).toMatchObject({ status: 0, progress: 66 });
		expect((await poll(cloud(), TEXT_DATASET_ID, ids)).body.data.data[1]).toMatchObject({ status: 1, progress: 100, remaining_time: 0 });
		expect(cloud().progressPollsOf(ids[0])).toBe(3);
		const ds = await call(cloud(), 'GET', `/v1/datasets?space_id=${PERSONAL_WORKSPACE_ID}&format_type=0`);
		expect(ds.body.data.dataset_list[0]).toMatchObject({ doc_count: 2, file_list: ['a.txt', 'b.txt'], all_file_size: String(3 + 15) });
	});
	it('fails a document carrying the FAIL_PROCESSING marker (name or content) or failDocument', async () => {
		cloud().setKnowledgeOptions({ processingPolls: 1 });
		const r = await doc(cloud(), { dataset_id: TEXT_DATASET_ID, document_bases: [textBase('ok.txt', `x ${FAIL_PROCESSING_MARKER} y`), textBase('fine.txt'), textBase('c.txt')] });
		const ids = (r.body.document_infos as J[]).map((d) => d.document_id as string);
		cloud().failDocument(ids[2], 'bad scan');
		expect((await poll(cloud(), TEXT_DATASET_ID, ids)).body.data.data.map((d: J) => d.status)).toEqual([0, 0, 0]);
		const done = (await poll(cloud(), TEXT_DATASET_ID, ids)).body.data.data as J[];
		expect(done.map((d) => d.status)).toEqual([9, 1, 9]);
		expect(done[0].status_descript).toContain(FAIL_PROCESSING_MARKER);
		expect(done[2].status_descript).toBe('bad scan');
	});
	it('answers the documented create shape as a variant', async () => {
		cloud().setKnowledgeOptions({ cloudCreateAnswer: 'documented' });
		const r = await doc(cloud(), { dataset_id: TEXT_DATASET_ID, document_bases: [textBase('d.txt', 'abcd')] });
		expect(r.body.document_infos[0]).toMatchObject({ name: 'd.txt', size: 4, type: 'txt', char_count: 4, status: 0, create_time: expect.any(Number) });
	});
	it('enforces the documented limits', async () => {
		const many = Array.from({ length: 11 }, (_, i) => textBase(`${i}.txt`));
		const refused = async (body: J): Promise<number> => (await doc(cloud(), body)).body.code as number;
		expect(await refused({ dataset_id: TEXT_DATASET_ID, document_bases: many })).toBe(4000);
		expect(await refused({ dataset_id: TEXT_DATASET_ID, document_bases: [{ name: 'x.exe', source_info: { file_base64: b64('x'), file_type: 'exe' } }] })).toBe(4000);
		expect(await refused({ dataset_id: TEXT_DATASET_ID, document_bases: [textBase('a.txt'), { name: 'w', source_info: { web_url: 'https://example.com', document_source: 1 } }] })).toBe(4000);
		expect(await refused({ dataset_id: TABLE_DATASET_ID, document_bases: [textBase('t.txt')] })).toBe(4000);
		expect(await refused({ dataset_id: UNKNOWN_DATASET_ID, document_bases: [textBase('t.txt')] })).toBe(4200);
		expect(await refused({ dataset_id: TEXT_DATASET_ID, document_bases: [textBase('t.txt')], chunk_strategy: { chunk_type: 1, max_tokens: 800 } })).toBe(4000);
		expect(await refused({ dataset_id: TEXT_DATASET_ID, document_bases: [{ name: 'w', source_info: { web_url: 'https://e.com', document_source: 1 }, update_rule: { update_type: 1, update_interval: 12 } }] })).toBe(4000);
		cloud().setKnowledgeOptions({ cloudMaxRequestBytes: 100 });
		expect(await refused({ dataset_id: TEXT_DATASET_ID, document_bases: [textBase('big.txt', 'x'.repeat(200))] })).toBe(4000);
		expect(cloud().documents()).toHaveLength(0);
		expect(cloud().documentCreations.every((c) => c.refused !== undefined)).toBe(true);
	});
	it('lists (page / size, total), updates and deletes documents', async () => {
		await doc(cloud(), { dataset_id: TEXT_DATASET_ID, document_bases: [textBase('1.txt'), textBase('2.txt'), textBase('3.txt')] });
		await doc(cloud(), { dataset_id: TEXT_DATASET_ID, document_bases: [{ name: 'web', source_info: { web_url: 'https://example.com/a', document_source: 1 }, update_rule: { update_type: 1, update_interval: 24 } }] });
		const list = (page: number, size: number): Promise<Res> => call(cloud(), 'POST', '/open_api/knowledge/document/list', { dataset_id: TEXT_DATASET_ID, page, size }, CONV);
		const p2 = await list(2, 3);
		expect(p2.body).toMatchObject({ code: 0, total: 4, document_infos: [{ name: 'web', source_type: 1, update_type: 1, update_interval: 24 }] });
		cloud().setKnowledgeOptions({ cloudDocumentListPageBase: 0 });
		expect((await list(1, 3)).body.document_infos[0].name).toBe('web');
		const id = p2.body.document_infos[0].document_id as string;
		expect((await call(cloud(), 'POST', '/open_api/knowledge/document/update', { document_id: id, document_name: 'renamed' }, CONV)).body).toMatchObject({ code: 0, msg: '' });
		expect(cloud().documents(TEXT_DATASET_ID)[3].name).toBe('renamed');
		const del = await call(cloud(), 'POST', '/open_api/knowledge/document/delete', { document_ids: [id, '7569999999999999999'] }, CONV);
		expect(del.body).toMatchObject({ code: 0, msg: '', detail: { logid: expect.any(String) } });
		expect(cloud().documents()).toHaveLength(3);
		expect((await call(cloud(), 'POST', '/open_api/knowledge/document/delete', { document_ids: [] }, CONV)).body.code).toBe(4000);
	});
	it('serves the Agw-Js-Conv variants', async () => {
		cloud().setKnowledgeOptions({ cloudWithoutJsConv: 'numbers' });
		const r = await doc(cloud(), { dataset_id: TEXT_DATASET_ID, document_bases: [textBase('n.txt')] }, {});
		expect(r.text).toMatch(/"document_id":7569\d{15}[,}]/);
		cloud().setKnowledgeOptions({ cloudWithoutJsConv: 'rejectStrings' });
		expect((await doc(cloud(), { dataset_id: TEXT_DATASET_ID, document_bases: [textBase('n.txt')] }, {})).body.code).toBe(4000);
		expect((await doc(cloud(), { dataset_id: TEXT_DATASET_ID, document_bases: [textBase('n.txt')] })).body.code).toBe(0);
	});
});

describe('cloud images', () => {
	it('adds images by file id, lists them, updates captions', async () => {
		const up = await upload(cloud(), 'cat.png', Buffer.from('png-bytes'));
		const noCaptionType = await doc(cloud(), { dataset_id: IMAGE_DATASET_ID, format_type: 2, document_bases: [{ name: 'cat', source_info: { source_file_id: up.id, document_source: 5 } }] });
		expect(noCaptionType.body.code).toBe(4000); // first images of an empty image KB need caption_type [DOC]
		// the doc example sends source_file_id unquoted: the raw digits are read
		const raw = `{"dataset_id":"${IMAGE_DATASET_ID}","format_type":2,"chunk_strategy":{"caption_type":1},"document_bases":[{"name":"cat","source_info":{"source_file_id":${String(up.id)},"document_source":5}}]}`;
		const r = await doc(cloud(), raw);
		expect(r.body.code).toBe(0);
		expect(cloud().documentCreations.at(-1)).toMatchObject({ source: 'source_file_id', sourceFileId: up.id, bytes: 9 });
		const id = r.body.document_infos[0].document_id as string;
		const list = await call(cloud(), 'GET', `/v1/datasets/${IMAGE_DATASET_ID}/images?has_caption=false`);
		expect(list.body.data).toMatchObject({ total_count: 1, photo_infos: [{ document_id: id, name: 'cat', caption: '', type: 'png', size: 9, source_type: 5 }] });
		const put = await call(cloud(), 'PUT', `/v1/datasets/${IMAGE_DATASET_ID}/images/${id}`, { caption: '小猫' });
		expect(put.body).toMatchObject({ code: 0, msg: '' });
		expect((await call(cloud(), 'GET', `/v1/datasets/${IMAGE_DATASET_ID}/images?keyword=${encodeURIComponent('小')}`)).body.data.photo_infos[0].caption).toBe('小猫');
		expect((await call(cloud(), 'GET', `/v1/datasets/${IMAGE_DATASET_ID}/images?page_size=300`)).body.code).toBe(4000);
		expect((await call(cloud(), 'PUT', `/v1/datasets/${IMAGE_DATASET_ID}/images/7569999999999999999`, { caption: 'x' })).body.code).toBe(4200);
		expect((await doc(cloud(), { dataset_id: IMAGE_DATASET_ID, document_bases: [{ name: 'x', source_info: { source_file_id: '7565999999999999999', document_source: 5 } }] })).body.code).toBe(4000);
	});
});

describe('studio knowledge', () => {
	const direct = (): void => studio().setKnowledgeOptions({ studioDocumentRoute: 'direct', processingPolls: 1 });
	it('lists datasets with Studio envelope and fields, all rows without paging', async () => {
		const r = await call(studio(), 'GET', `/v1/datasets?space_id=${PERSONAL_WORKSPACE_ID}`);
		expect(r.body).toMatchObject({ code: 0, msg: 'success', BaseResp: null, data: { total_count: 3 } });
		expect(r.body.detail).toBeUndefined();
		expect(r.headers.get('x-log-id')).toBeTruthy();
		const d = r.body.data.dataset_list[0] as J;
		expect(d).toMatchObject({ project_id: '0', failed_file_list: null, chunk_strategy: null, all_file_size: '0' });
		expect(d.creator_name).toBeUndefined();
		expect((await call(studio(), 'GET', '/v1/datasets')).body.data.total_count).toBe(0); // space 0
		expect((await call(studio(), 'GET', `/v1/datasets?space_id=${PERSONAL_WORKSPACE_ID}&page_size=500`)).body.data.dataset_list).toHaveLength(3);
	});
	it('does not reach /open_api through the default nginx', async () => {
		const r = await doc(studio(), { dataset_id: TEXT_DATASET_ID, document_bases: [textBase('a.txt')] });
		expect(r.status).toBe(405);
		expect(r.text).toContain('405 Not Allowed');
		expect(r.headers.get('x-log-id')).toBeNull();
	});
	it('creates from a Studio upload (tos_uri) and custom_content, ignores base64, processes with numeric or string ids', async () => {
		direct();
		const up = await upload(studio(), 'notes.txt', Buffer.from('studio text'));
		const r = await doc(studio(), {
			dataset_id: TEXT_DATASET_ID,
			document_bases: [{ name: 'notes', source_info: { tos_uri: up.uri } }, { name: 'custom', source_info: { custom_content: 'hi' } }, textBase('b64.txt')],
		});
		expect(r.body).toMatchObject({ code: 0, msg: '', BaseResp: null });
		const infos = r.body.document_infos as J[];
		expect(infos[0]).toMatchObject({ name: 'notes', tos_uri: up.uri, type: 'txt', size: 11, status: 0, create_time: 0, source_type: 0 });
		expect(infos[1]).toMatchObject({ source_type: 2, size: 2 });
		expect(studio().documentCreations.map((c) => c.source)).toEqual(['tos_uri', 'custom_content', 'none']);
		const ids = infos.map((d) => d.document_id as string);
		const numeric = `{"document_ids":[${ids.join(',')}]}`;
		const p1 = await call(studio(), 'POST', `/v1/datasets/${TEXT_DATASET_ID}/process`, numeric);
		expect(p1.body).toMatchObject({ code: 0, msg: 'success', data: { data: [{ document_id: ids[0], status: 0, status_descript: '切片中' }, {}, {}] } });
		expect(p1.body.BaseResp).toBeUndefined();
		const p2 = await poll(studio(), TEXT_DATASET_ID, ids);
		expect(p2.body.data.data.map((d: J) => [d.status, d.status_descript])).toEqual([[1, '生效'], [1, '生效'], [9, expect.any(String)]]);
		studio().setKnowledgeOptions({ studioProcessIds: 'numbers' });
		expect((await poll(studio(), TEXT_DATASET_ID, ids)).status).toBe(400);
	});
	it('answers Studio errors: 500 for unknown KB, 400 for a numeric dataset_id, 105000000 for auto captions', async () => {
		direct();
		expect((await doc(studio(), { dataset_id: UNKNOWN_DATASET_ID, document_bases: [textBase('a')] })).body).toEqual({ code: 500, msg: 'internal server error' });
		expect((await doc(studio(), `{"dataset_id":${TEXT_DATASET_ID},"document_bases":[]}`)).status).toBe(400);
		const img = await doc(studio(), { dataset_id: IMAGE_DATASET_ID, format_type: 2, document_bases: [{ name: 'i', source_info: { tos_uri: 'bot_files/x/i.png' } }] });
		expect(img.body).toEqual({ code: 105000000, msg: 'invalid parameter : auto caption type is not supported' });
		const bad = await call(studio(), 'POST', '/open_api/knowledge/document/list', { dataset_id: 1 });
		expect(bad.status).toBe(400);
		expect(bad.headers.get('content-type')).toContain('text/plain');
		expect((await call(studio(), 'POST', '/open_api/knowledge/document/delete', { document_ids: [] })).status).toBe(500);
	});
	it('lists documents 0-based, updates and deletes them, lists images, has no caption route', async () => {
		direct();
		await doc(studio(), { dataset_id: TEXT_DATASET_ID, document_bases: ['a', 'b', 'c'].map((n) => ({ name: n, source_info: { custom_content: n } })) });
		const l = await call(studio(), 'POST', '/open_api/knowledge/document/list', { dataset_id: TEXT_DATASET_ID, page: 1, size: 2 });
		expect(l.body).toMatchObject({ code: 0, msg: '', BaseResp: null, total: 3, document_infos: [{ name: 'c' }] });
		const all = await call(studio(), 'POST', '/open_api/knowledge/document/list', { dataset_id: TEXT_DATASET_ID });
		expect(all.body.document_infos).toHaveLength(3);
		const id = all.body.document_infos[0].document_id as string;
		expect((await call(studio(), 'POST', '/open_api/knowledge/document/update', { document_id: id, document_name: 'z' })).body).toEqual({ code: 0, msg: '' });
		expect((await call(studio(), 'POST', '/open_api/knowledge/document/delete', { document_ids: [id] })).body).toEqual({ code: 0, msg: '', BaseResp: null });
		const imgs = await call(studio(), 'GET', `/v1/datasets/${IMAGE_DATASET_ID}/images`);
		expect(imgs.body).toMatchObject({ code: 0, msg: 'success', data: { photo_infos: [], total_count: 0 } });
		const put = await call(studio(), 'PUT', `/v1/datasets/${IMAGE_DATASET_ID}/images/${id}`, { caption: 'x' });
		expect(put).toMatchObject({ status: 401, body: { code: 401, msg: 'missing session_key in cookie' } });
		studio().setKnowledgeOptions({ studioMissingRoute: 'notFound404' });
		expect((await call(studio(), 'PUT', `/v1/datasets/${IMAGE_DATASET_ID}/images/${id}`, { caption: 'x' })).status).toBe(404);
	});
});
