/**
 * `POST /open_api/knowledge/document/{create,list,update,delete}` of both dialects (brief wire18 §2–§4;
 * docs/coze-api.md §11). These answer at TOP LEVEL (`document_infos`, `total`), not under `data`.
 *
 * cloud [DOC:create_knowledge_files, list_knowledge_files, modify_knowledge_files, delete_knowdge_files] [OAS]
 * [JS:resources/datasets/documents/documents.ts] [PY:cozepy/datasets/documents/__init__.py]:
 * - create: dataset_id, format_type (0 text / 2 image; table KBs cannot be filled by the API), document_bases
 *   (≤ 10) of {name, source_info, update_rule?, caption?}; one method per request: file_base64 + file_type
 *   (pdf, txt, doc, docx; text KB), web_url + document_source 1 (text KB), source_file_id + document_source 5
 *   (image KB; an id of POST /v1/files/upload — a number is read from the raw body, the doc example sends one);
 *   chunk_strategy chunk_type 1 needs separator and max_tokens 100–2000; update_interval ≥ 24; the first
 *   images of an empty image KB need chunk_strategy.caption_type. Answer per KnowledgeOptions.cloudCreateAnswer.
 * - list: {dataset_id, page (KnowledgeOptions.cloudDocumentListPageBase), size (10)}; coze-js's `page_size` is ignored.
 * - update {document_id, document_name?, update_rule?}; delete {document_ids ≤ 100} (unknown ids skipped, ASSUMPTION).
 * - `Agw-Js-Conv: str` (both SDKs send it): without it, KnowledgeOptions.cloudWithoutJsConv.
 * ASSUMPTIONS: refusals are HTTP 200 code 4000 (msg names the rule); unknown dataset / document 4200; a body
 * over cloudMaxRequestBytes (15 MB, coze-api.md §5.4) → 4000.
 *
 * Studio [ST:api/handler/coze/knowledge_service.go; api/model/data/knowledge/document.go; application/knowledge/knowledge.go;
 * domain/knowledge/service/knowledge.go]: only reachable past nginx with KnowledgeOptions.studioDocumentRoute `direct`
 * (dispatch.ts). create reads only source_info.tos_uri (a Studio upload's `data.uri`) or custom_content — file_base64,
 * web_url, source_file_id, update_rule, caption are ignored (KnowledgeOptions.studioContentlessDocument); image KB with
 * caption_type 0 (or none) → 105000000 unless studioVisionModel; unknown KB / empty document_bases → HTTP 500; dataset_id
 * must be a JSON string (`,string`) else HTTP 400 JSON. list: offset = page × size (0-based), size 0 → all, document_ids
 * filter. update/delete/list bind failures → HTTP 400 PLAIN TEXT. delete [] → HTTP 500.
 */
import type { Reply, RequestContext } from './core';
import { json } from './core';
import { cloudBadRequest, cloudError, cloudOk, studioPlain } from './dialect';
import { USER_ID } from './ids';
import { isJsonObject } from './json';
import { docsOf, findDataset, nowSeconds, progressOf, sliceCount, STUDIO_KNOWLEDGE_ERR, studioOk } from './knowledge';
import type { KnowledgeDocument } from './knowledgeCatalogue';
import { cloudPlan, jsConv, rawNumbers, recordOf, studioPlan } from './knowledgePlan';

export const DOCUMENT_CREATE_PATH = '/open_api/knowledge/document/create';
export const DOCUMENT_LIST_PATH = '/open_api/knowledge/document/list';
export const DOCUMENT_UPDATE_PATH = '/open_api/knowledge/document/update';
export const DOCUMENT_DELETE_PATH = '/open_api/knowledge/document/delete';
export const KNOWLEDGE_DOCUMENT_PATHS = new Set([DOCUMENT_CREATE_PATH, DOCUMENT_LIST_PATH, DOCUMENT_UPDATE_PATH, DOCUMENT_DELETE_PATH]);

type J = Record<string, unknown>;


/** An id as the answer renders it (cloud without Agw-Js-Conv and `numbers`: a JSON number). */
function idOut(ctx: RequestContext, id: string): string | bigint {
	const numbers = ctx.state.dialect === 'cloud' && !jsConv(ctx) && ctx.state.knowledge.options.cloudWithoutJsConv === 'numbers';
	return numbers ? BigInt(id) : id;
}

const internalError = (): Reply => json(500, { code: 500, msg: 'internal server error' });
const plain400 = (msg: string): Reply => ({ kind: 'raw', status: 400, body: msg, contentType: 'text/plain; charset=utf-8' });
const bad = (ctx: RequestContext, why: string): Reply => cloudError(ctx.logId, 4000, `Request parameter error: ${why}`);


function docInfo(ctx: RequestContext, d: KnowledgeDocument, answer: 'list' | 'captured' | 'documented'): J {
	if (ctx.state.dialect === 'studio') {
		const p = progressOf(ctx, d);
		const created = answer === 'list';
		return {
			name: d.name,
			document_id: d.id,
			tos_uri: d.tosUri,
			create_time: created ? d.createdAt : 0,
			update_time: created ? d.updatedAt : 0,
			creator_id: USER_ID,
			slice_count: p.status === 1 ? sliceCount(d) : 0,
			type: d.type,
			size: d.size,
			char_count: d.charCount,
			status: p.status,
			hit_count: 0,
			source_type: d.sourceType,
			format_type: d.formatType,
			web_url: '',
			status_descript: p.status === 9 ? (d.failReason ?? '') : '',
			space_id: findDataset(ctx, d.datasetId)?.spaceId ?? '0',
			chunk_strategy: d.chunkStrategy,
			preview_tos_url: d.url,
		};
	}
	if (answer === 'captured') {
		const id = idOut(ctx, d.id);
		return { document_id: id, document_id_new: id, name: d.name, type: '', size: 0, status: 0, format_type: d.formatType, source_type: d.sourceType,
			char_count: 0, slice_count: 0, hit_count: 0, create_time: 0, update_time: 0, update_type: 0, update_interval: 0, tos_uri: '', chunk_strategy: {} };
	}
	const p = progressOf(ctx, d);
	return {
		document_id: idOut(ctx, d.id),
		name: d.name,
		type: d.type,
		size: d.size,
		status: p.status,
		format_type: d.formatType,
		source_type: d.sourceType,
		char_count: d.charCount,
		slice_count: p.status === 1 ? sliceCount(d) : 0,
		hit_count: 0,
		create_time: d.createdAt,
		update_time: d.updatedAt,
		update_type: d.updateType,
		update_interval: d.updateInterval,
		tos_uri: d.tosUri || `FileBizType.BIZ_BOT_DATASET/emulator_${d.id}.${d.type || 'html'}`,
		chunk_strategy: d.chunkStrategy ?? {},
		...(d.webUrl !== '' ? { web_url: d.webUrl } : {}),
	};
}

/** cloud `rejectStrings` variant: string ids without Agw-Js-Conv are refused. */
function refusesStrings(ctx: RequestContext): boolean {
	return ctx.state.dialect === 'cloud' && !jsConv(ctx) && ctx.state.knowledge.options.cloudWithoutJsConv === 'rejectStrings';
}

export function documentCreateHandler(ctx: RequestContext): Reply {
	const { state } = ctx;
	const k = state.knowledge;
	const cloud = state.dialect === 'cloud';
	const b = ctx.recorded.body;
	if (!isJsonObject(b)) return cloud ? cloudBadRequest(ctx.logId) : studioPlain(400, 400, 'invalid JSON body');
	const bases = Array.isArray(b.document_bases) ? b.document_bases.filter(isJsonObject) : [];
	const datasetId = typeof b.dataset_id === 'string' ? b.dataset_id : undefined;
	const refuse = (r: Reply, code: number, msg: string): Reply => {
		for (const base of bases) k.creations.push({ ...recordOf(ctx, datasetId ?? '', base, b.format_type, b.chunk_strategy), refused: { code, msg } });
		return r;
	};
	if (!cloud) {
		if (typeof b.dataset_id === 'number') return studioPlain(400, 400, 'json: invalid use of ,string struct tag, trying to unmarshal unquoted value into int64');
		const ds = findDataset(ctx, datasetId);
		if (!ds || bases.length === 0) return refuse(internalError(), 500, 'internal server error');
		const caption = isJsonObject(b.chunk_strategy) ? b.chunk_strategy.caption_type : undefined;
		if (ds.formatType === 2 && (caption ?? 0) === 0 && !k.options.studioVisionModel) {
			const msg = 'invalid parameter : auto caption type is not supported';
			return refuse(studioPlain(200, STUDIO_KNOWLEDGE_ERR.invalidParam, msg), STUDIO_KNOWLEDGE_ERR.invalidParam, msg);
		}
		const planned = studioPlan(ctx, b, ds.id, ds.formatType, bases);
		for (const p of planned) {
			k.documents.set(p.doc.id, p.doc);
			k.creations.push(p.rec);
		}
		return studioOk({ document_infos: planned.map((p) => docInfo(ctx, p.doc, 'captured')) });
	}
	const fail = (why: string, code = 4000): Reply => {
		const r = code === 4000 ? bad(ctx, why) : cloudError(ctx.logId, code, why);
		return refuse(r, code, r.kind === 'json' ? String((r.body as J).msg) : why);
	};
	if (ctx.bodyBytes.length > k.options.cloudMaxRequestBytes) return fail(`request body exceeds ${k.options.cloudMaxRequestBytes} bytes`);
	if (datasetId === undefined || refusesStrings(ctx)) return fail('dataset_id must be a string id (send Agw-Js-Conv: str)');
	const ds = findDataset(ctx, datasetId);
	if (!ds) return fail('dataset not found', 4200);
	if (ds.formatType === 1) return fail('table knowledge bases cannot be filled through the API');
	if (b.format_type !== undefined && b.format_type !== null && b.format_type !== ds.formatType) return fail(`format_type ${String(b.format_type)} does not match the knowledge base (${ds.formatType})`);
	if (bases.length === 0) return fail('document_bases is required');
	if (bases.length > k.options.maxDocumentsPerRequest) return fail(`at most ${k.options.maxDocumentsPerRequest} documents per request`);
	const planned = cloudPlan(ctx, b, ds.id, ds.formatType, bases, rawNumbers(ctx.recorded.rawBody, 'source_file_id'));
	if (typeof planned === 'string') return fail(planned);
	for (const p of planned) {
		k.documents.set(p.doc.id, p.doc);
		k.creations.push(p.rec);
	}
	return cloudOk(ctx.logId, { document_infos: planned.map((p) => docInfo(ctx, p.doc, k.options.cloudCreateAnswer)) });
}

export function documentListHandler(ctx: RequestContext): Reply {
	const cloud = ctx.state.dialect === 'cloud';
	const b = isJsonObject(ctx.recorded.body) ? ctx.recorded.body : undefined;
	const num = (v: unknown, d: number): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : d);
	if (cloud) {
		if (!b || typeof b.dataset_id !== 'string' || refusesStrings(ctx)) return cloudBadRequest(ctx.logId);
		if (!findDataset(ctx, b.dataset_id)) return cloudError(ctx.logId, 4200, 'dataset not found');
		const base = ctx.state.knowledge.options.cloudDocumentListPageBase;
		const size = num(b.size, 10) || 10;
		const page = Math.max(num(b.page, base) - base, 0); // base 1: page 0 reads as the first page (ASSUMPTION)
		const all = docsOf(ctx, b.dataset_id);
		const document_infos = all.slice(page * size, (page + 1) * size).map((d) => docInfo(ctx, d, 'documented'));
		return cloudOk(ctx.logId, { document_infos, total: all.length });
	}
	if (!b || typeof b.dataset_id !== 'string') return plain400('json: invalid use of ,string struct tag, trying to unmarshal unquoted value into int64');
	const ids = Array.isArray(b.document_ids) ? b.document_ids.map(String) : undefined;
	const all = docsOf(ctx, b.dataset_id).filter((d) => ids === undefined || ids.includes(d.id));
	const size = num(b.size, 0);
	const page = num(b.page, 0);
	const rows = size === 0 ? all.slice(page * size) : all.slice(page * size, (page + 1) * size);
	return studioOk({ document_infos: rows.map((d) => docInfo(ctx, d, 'list')), total: all.length });
}

export function documentUpdateHandler(ctx: RequestContext): Reply {
	const cloud = ctx.state.dialect === 'cloud';
	const b = isJsonObject(ctx.recorded.body) ? ctx.recorded.body : undefined;
	if (!b || typeof b.document_id !== 'string' || (b.document_name !== undefined && typeof b.document_name !== 'string')) {
		return cloud ? cloudBadRequest(ctx.logId) : plain400('json: cannot unmarshal into Go struct UpdateDocumentRequest');
	}
	const rule = cloud && isJsonObject(b.update_rule) ? b.update_rule : undefined; // Studio has no update_rule
	if (rule && rule.update_interval !== undefined && !(typeof rule.update_interval === 'number' && rule.update_interval >= 24)) return bad(ctx, 'update_rule.update_interval must be >= 24');
	if (cloud && refusesStrings(ctx)) return cloudBadRequest(ctx.logId);
	const d = ctx.state.knowledge.documents.get(b.document_id);
	if (!d) return cloud ? cloudError(ctx.logId, 4200, 'document not found') : studioPlain(200, STUDIO_KNOWLEDGE_ERR.documentNotExist, 'document not exist');
	if (typeof b.document_name === 'string' && b.document_name !== '') d.name = b.document_name;
	if (rule) {
		if (rule.update_type === 0 || rule.update_type === 1) d.updateType = rule.update_type;
		if (typeof rule.update_interval === 'number') d.updateInterval = rule.update_interval;
	}
	d.updatedAt = nowSeconds();
	return cloud ? cloudOk(ctx.logId, {}) : json(200, { code: 0, msg: '' });
}

export function documentDeleteHandler(ctx: RequestContext): Reply {
	const cloud = ctx.state.dialect === 'cloud';
	const b = isJsonObject(ctx.recorded.body) ? ctx.recorded.body : undefined;
	const ids = b?.document_ids;
	if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) {
		return cloud ? cloudBadRequest(ctx.logId) : plain400('json: cannot unmarshal into Go struct field DeleteDocumentRequest.document_ids');
	}
	if (cloud && (ids.length === 0 || ids.length > 100 || refusesStrings(ctx))) return bad(ctx, 'document_ids must hold 1-100 ids');
	if (!cloud && ids.length === 0) return internalError();
	for (const id of ids as string[]) ctx.state.knowledge.documents.delete(id); // unknown ids: skipped
	return cloud ? cloudOk(ctx.logId, {}) : studioOk({});
}
