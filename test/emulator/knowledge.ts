/**
 * Knowledge bases: `GET /v1/datasets`, `POST /v1/datasets/{id}/process`, `GET /v1/datasets/{id}/images`
 * and (cloud only) `PUT /v1/datasets/{id}/images/{document_id}`, plus the helpers knowledgeDocuments.ts
 * shares (processing state, id rendering). Wire facts: docs/coze-api.md §11 (brief wire18 §1, §5, §6).
 *
 * cloud [DOC:list_dataset, get_dataset_progress, get_images, update_image_caption]
 * [JS:resources/datasets/index.ts, datasets/images/images.ts] [PY:cozepy/datasets/__init__.py]:
 * - list: space_id required, name (fuzzy; ASSUMPTION case-insensitive substring), format_type 0/1/2,
 *   page_num ≥ 1 (1), page_size 1–300 (10) → data {total_count, dataset_list}; all_file_size a string.
 * - process: body {document_ids:[string]} → data {data:[{document_id, document_name, status, progress,
 *   remaining_time, size, type, url, update_type, update_interval, status_descript (failed only)}]}.
 * - images: page_num ≥ 1, page_size 1–299 (10), keyword (captions), has_caption → data {total_count, photo_infos}.
 * - caption: body {caption} → {code:0,msg:"",detail}.
 * ASSUMPTIONS (sources silent): bad parameters → 4000; unknown dataset / document → 4200; errors HTTP 200 (§5.3).
 *
 * Studio [ST:api/model/data/knowledge/knowledge.go, common.go; application/knowledge/knowledge.go
 * ListKnowledgeAPI, GetDocumentProgressAPI, ListPhotoAPI; api/router/coze/api.go]:
 * - list: space_id not required (int64, missing → 0 → nothing listed); paging only when page_num > 0 AND
 *   page_size > 0, no cap; sorted by update time desc; msg "success", BaseResp null; no creator_name /
 *   avatar_url, failed_file_list null, project_id "0". Bind failure → HTTP 400 {code:400,msg}.
 * - process: document_ids `[]int64` with `,string` (KnowledgeOptions.studioProcessIds); status_descript
 *   always (切片中 / 生效 / the failure reason); data {data:[…]}, msg "success", no BaseResp.
 * - images: keyword accepted but not applied; page_size omitted → all; source_type 0.
 * - no caption PUT route (not allow-listed → session 401, dispatch.ts / KnowledgeOptions.studioMissingRoute).
 * ASSUMPTIONS: unknown dataset 105000011 "knowledge not exist", unknown document 105000012 "document not exist".
 */
import type { Reply, RequestContext } from './core';
import { json } from './core';
import { cloudBadRequest, cloudError, cloudOk, studioPlain } from './dialect';
import { USER_ID } from './ids';
import { isJsonObject } from './json';
import type { CatalogueDataset, KnowledgeDocument } from './knowledgeCatalogue';

export const DATASETS_PATH = '/v1/datasets';
export const DATASET_PROCESS_PATH = /^\/v1\/datasets\/(?<dataset_id>[0-9]+)\/process$/;
export const DATASET_IMAGES_PATH = /^\/v1\/datasets\/(?<dataset_id>[0-9]+)\/images$/;
export const IMAGE_CAPTION_PATH = /^\/v1\/datasets\/(?<dataset_id>[0-9]+)\/images\/(?<document_id>[0-9]+)$/;

/** Studio knowledge errnos [ST:types/errno/knowledge.go]. */
export const STUDIO_KNOWLEDGE_ERR = {
	invalidParam: 105000000,
	permission: 105000001,
	knowledgeNotExist: 105000011,
	documentNotExist: 105000012,
} as const;

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

// ---------------------------------------------------------------- processing state

export interface Progress {
	status: 0 | 1 | 9;
	progress: number;
	remainingTime: number;
}

/** A document's state after `polls` progress polls: status 0 for the first `processingPolls` polls, then done or failed. */
export function progressOf(ctx: RequestContext, d: KnowledgeDocument): Progress {
	const p = ctx.state.knowledge.options.processingPolls;
	if (d.polls > p) return d.failReason !== undefined ? { status: 9, progress: 100, remainingTime: 0 } : { status: 1, progress: 100, remainingTime: 0 };
	return { status: 0, progress: Math.floor((d.polls * 100) / (p + 1)), remainingTime: (p + 1 - d.polls) * 2 }; // ASSUMPTION: 2 s per poll
}

export function sliceCount(d: KnowledgeDocument): number {
	return d.formatType === 2 ? 1 : Math.max(1, Math.ceil(d.charCount / 800));
}

export function docsOf(ctx: RequestContext, datasetId: string): KnowledgeDocument[] {
	return [...ctx.state.knowledge.documents.values()].filter((d) => d.datasetId === datasetId);
}

export function findDataset(ctx: RequestContext, id: unknown): CatalogueDataset | undefined {
	return typeof id === 'string' ? ctx.state.knowledge.datasets.find((d) => d.id === id) : undefined;
}

export const studioOk = (fields: Record<string, unknown>, msg = '', baseResp = true): Reply =>
	json(200, { ...fields, code: 0, msg, ...(baseResp ? { BaseResp: null } : {}) });

// ---------------------------------------------------------------- GET /v1/datasets

function datasetJson(ctx: RequestContext, ds: CatalogueDataset): Record<string, unknown> {
	const docs = docsOf(ctx, ds.id);
	const withStatus = docs.map((d) => ({ d, s: progressOf(ctx, d).status }));
	const done = withStatus.filter((x) => x.s === 1).map((x) => x.d);
	const processing = withStatus.filter((x) => x.s === 0).map((x) => x.d);
	const failed = withStatus.filter((x) => x.s === 9).map((x) => x.d);
	const size = String(docs.reduce((n, d) => n + d.size, 0));
	const slices = done.reduce((n, d) => n + sliceCount(d), 0);
	if (ctx.state.dialect === 'cloud') {
		return {
			dataset_id: ds.id,
			name: ds.name,
			description: ds.description,
			space_id: ds.spaceId,
			status: ds.status,
			format_type: ds.formatType,
			can_edit: true,
			icon_uri: ds.iconUri,
			icon_url: ds.iconUrl,
			doc_count: docs.length,
			slice_count: slices,
			hit_count: 0,
			bot_used_count: 0,
			all_file_size: size,
			file_list: done.map((d) => d.name),
			failed_file_list: failed.map((d) => d.name),
			processing_file_list: processing.map((d) => d.name),
			processing_file_id_list: processing.map((d) => d.id),
			creator_id: USER_ID,
			creator_name: 'Emulator user',
			avatar_url: 'https://coze-emulator.invalid/avatar/user.png',
			create_time: ds.createdAt,
			update_time: ds.updatedAt,
			chunk_strategy: {},
			project_id: '',
		};
	}
	return {
		dataset_id: ds.id,
		name: ds.name,
		file_list: done.map((d) => d.name),
		all_file_size: size,
		bot_used_count: 0,
		status: ds.status,
		processing_file_list: processing.map((d) => d.name),
		update_time: ds.updatedAt,
		icon_url: ds.iconUrl,
		description: ds.description,
		icon_uri: ds.iconUri,
		can_edit: true,
		create_time: ds.createdAt,
		creator_id: USER_ID,
		space_id: ds.spaceId,
		failed_file_list: null,
		format_type: ds.formatType,
		slice_count: slices,
		hit_count: 0,
		doc_count: docs.length,
		chunk_strategy: null,
		processing_file_id_list: processing.map((d) => d.id),
		project_id: '0',
	};
}

/** An integer query value: undefined when absent, NaN when not an integer. */
function intQuery(v: string | undefined): number | undefined {
	if (v === undefined || v === '') return undefined;
	return /^-?\d+$/.test(v) ? Number(v) : NaN;
}

export function datasetsListHandler(ctx: RequestContext): Reply {
	const q = ctx.recorded.query;
	const cloud = ctx.state.dialect === 'cloud';
	const pageNum = intQuery(q.page_num);
	const pageSize = intQuery(q.page_size);
	const formatType = intQuery(q.format_type);
	if (cloud) {
		const bad =
			!q.space_id ||
			(pageNum !== undefined && !(pageNum >= 1)) ||
			(pageSize !== undefined && !(pageSize >= 1 && pageSize <= 300)) ||
			(formatType !== undefined && ![0, 1, 2].includes(formatType));
		if (bad) return cloudBadRequest(ctx.logId);
	} else if ([pageNum, pageSize, formatType].some((n) => Number.isNaN(n)) || (q.space_id !== undefined && !/^\d+$/.test(q.space_id))) {
		return studioPlain(400, 400, 'bind query failed: invalid integer parameter');
	}
	const name = (q.name ?? '').toLowerCase();
	let all = ctx.state.knowledge.datasets.filter(
		(d) => d.spaceId === (q.space_id ?? '0') && (name === '' || d.name.toLowerCase().includes(name)) && (formatType === undefined || d.formatType === formatType),
	);
	if (!cloud) all = [...all].sort((a, b) => b.updatedAt - a.updatedAt);
	let page = all;
	if (cloud) page = all.slice(((pageNum ?? 1) - 1) * (pageSize ?? 10), (pageNum ?? 1) * (pageSize ?? 10));
	else if ((pageNum ?? 0) > 0 && (pageSize ?? 0) > 0) page = all.slice((pageNum! - 1) * pageSize!, pageNum! * pageSize!);
	const dataset_list = page.map((d) => datasetJson(ctx, d));
	if (cloud) return cloudOk(ctx.logId, { data: { total_count: all.length, dataset_list } });
	return studioOk({ data: { dataset_list, total_count: all.length } }, 'success');
}

// ---------------------------------------------------------------- POST /v1/datasets/{id}/process

const STUDIO_STATUS_WORD: Record<0 | 1, string> = { 0: '切片中', 1: '生效' };

export function processHandler(ctx: RequestContext): Reply {
	const cloud = ctx.state.dialect === 'cloud';
	const b = ctx.recorded.body;
	const ids = isJsonObject(b) ? b.document_ids : undefined;
	const accepts = ctx.state.knowledge.options.studioProcessIds;
	const okType = (x: unknown): boolean =>
		cloud ? typeof x === 'string' : (accepts !== 'numbers' && typeof x === 'string' && /^\d+$/.test(x)) || (accepts !== 'strings' && typeof x === 'number');
	if (!Array.isArray(ids) || ids.length === 0 || !ids.every(okType)) {
		if (cloud) return cloudBadRequest(ctx.logId);
		return studioPlain(400, 400, 'json: cannot unmarshal document_ids into Go struct field GetDocumentProgressOpenApiRequest.document_ids of type int64');
	}
	// Studio: a JSON number above 2^53 loses precision in JS; the emulator reads the raw digits from the body instead.
	const raw = ctx.recorded.rawBody.match(/"document_ids"\s*:\s*\[([^\]]*)\]/)?.[1] ?? '';
	const rawIds = raw.split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
	const wanted = ids.map((x, i) => (typeof x === 'number' ? rawIds[i] ?? String(x) : String(x)));
	const docs: KnowledgeDocument[] = [];
	for (const id of wanted) {
		const d = ctx.state.knowledge.documents.get(id);
		if (!d || (cloud && d.datasetId !== ctx.params.dataset_id)) {
			return cloud ? cloudError(ctx.logId, 4200, 'document not found') : studioPlain(200, STUDIO_KNOWLEDGE_ERR.documentNotExist, 'document not exist');
		}
		docs.push(d);
	}
	const data = docs.map((d) => {
		d.polls++;
		const p = progressOf(ctx, d);
		const failed = p.status === 9;
		if (cloud) {
			return {
				document_id: d.id,
				document_name: d.name,
				status: p.status,
				progress: p.progress,
				remaining_time: p.remainingTime,
				size: d.size,
				type: d.type,
				url: d.url,
				update_type: d.updateType,
				update_interval: d.updateInterval,
				...(failed ? { status_descript: d.failReason } : {}),
			};
		}
		return {
			document_id: d.id,
			progress: p.progress,
			status: p.status,
			status_descript: failed ? d.failReason : STUDIO_STATUS_WORD[p.status as 0 | 1],
			document_name: d.name,
			remaining_time: p.remainingTime,
			size: d.size,
			type: d.type,
			url: d.url,
		};
	});
	return cloud ? cloudOk(ctx.logId, { data: { data } }) : studioOk({ data: { data } }, 'success', false);
}

// ---------------------------------------------------------------- images

export function imagesListHandler(ctx: RequestContext): Reply {
	const cloud = ctx.state.dialect === 'cloud';
	const q = ctx.recorded.query;
	const pageNum = intQuery(q.page_num);
	const pageSize = intQuery(q.page_size);
	const hasCaption = q.has_caption === undefined ? undefined : q.has_caption === 'true';
	if (cloud && ((pageNum !== undefined && !(pageNum >= 1)) || (pageSize !== undefined && !(pageSize >= 1 && pageSize <= 299)))) return cloudBadRequest(ctx.logId);
	if (!cloud && (Number.isNaN(pageNum) || Number.isNaN(pageSize))) return studioPlain(400, 400, 'bind query failed: invalid integer parameter');
	const ds = findDataset(ctx, ctx.params.dataset_id);
	if (!ds) return cloud ? cloudError(ctx.logId, 4200, 'dataset not found') : studioPlain(200, STUDIO_KNOWLEDGE_ERR.knowledgeNotExist, 'knowledge not exist');
	const keyword = cloud ? (q.keyword ?? '') : ''; // Studio: accepted, not applied
	const all = docsOf(ctx, ds.id)
		.filter((d) => d.formatType === 2)
		.filter((d) => hasCaption === undefined || (d.caption !== '') === hasCaption)
		.filter((d) => keyword === '' || d.caption.includes(keyword))
		.sort((a, b) => b.updatedAt - a.updatedAt);
	const num = pageNum !== undefined && pageNum > 0 ? pageNum : 1;
	const size = cloud ? (pageSize ?? 10) : pageSize !== undefined && pageSize > 0 ? pageSize : all.length;
	const photo_infos = all.slice((num - 1) * size, num * size).map((d) => ({
		document_id: d.id,
		name: d.name,
		url: d.url,
		caption: d.caption,
		type: d.type,
		size: d.size,
		status: progressOf(ctx, d).status,
		source_type: cloud ? d.sourceType : 0,
		creator_id: USER_ID,
		create_time: d.createdAt,
		update_time: d.updatedAt,
	}));
	if (cloud) return cloudOk(ctx.logId, { data: { total_count: all.length, photo_infos } });
	return studioOk({ data: { photo_infos, total_count: all.length } }, 'success');
}

/** cloud only [DOC:update_image_caption] [JS:datasets/images/images.ts update]. */
export function imageCaptionHandler(ctx: RequestContext): Reply {
	const b = ctx.recorded.body;
	if (!isJsonObject(b) || typeof b.caption !== 'string') return cloudBadRequest(ctx.logId);
	const d = ctx.state.knowledge.documents.get(ctx.params.document_id);
	if (!d || d.datasetId !== ctx.params.dataset_id || d.formatType !== 2) return cloudError(ctx.logId, 4200, 'document not found');
	d.caption = b.caption;
	d.updatedAt = nowSeconds();
	return cloudOk(ctx.logId, {});
}
