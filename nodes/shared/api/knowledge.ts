/**
 * The knowledge base endpoints (docs/coze-api.md §11): the only place that knows their paths,
 * body shapes and how the two dialects differ in them.
 */
import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { asNodeError, cozeApiError, failureOf } from '../decoding/errors';
import { isPlainObject } from '../decoding/json';
import type { CozeConnection, CozeRequest, CozeResponse } from '../transport';
import { cozeApiRequest } from '../transport';
import type { CallLimits } from './workflows';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

/**
 * The document endpoints under /open_api/ turn 64-bit ids into JSON strings only when asked to
 * (§11); both SDKs send this on those four calls.
 */
const STRING_IDS = { 'Agw-Js-Conv': 'str' };

/**
 * A request to the document endpoints under /open_api/. Coze Studio's own nginx passes only
 * /api, /v1 to /v3 and /admin on to its server (docker/nginx/conf.d/default.conf, §11.7): behind
 * it these paths end at the static files, as HTTP 404 or 405, which says nothing of the cause.
 */
async function documentsRequest(this: IExecuteFunctions, connection: CozeConnection, request: CozeRequest): Promise<CozeResponse> {
	try {
		return await cozeApiRequest.call(this, connection, { ...request, headers: { ...STRING_IDS, ...request.headers } });
	} catch (error) {
		const httpStatus = error instanceof NodeApiError ? failureOf(error).httpStatus : undefined;
		if (connection.region !== 'studio' || (httpStatus !== 404 && httpStatus !== 405)) throw asNodeError(this.getNode(), error, request.itemIndex);
		throw cozeApiError(this.getNode(), { httpStatus }, request.itemIndex, {
			summary: `The knowledge base's document endpoint ${request.path} did not answer`,
			hint:
				"Coze Studio's nginx passes only /api, /v1 to /v3 and /admin on to Coze Studio, and the document endpoints are under /open_api/. " +
				'Add /open_api to its API location in docker/nginx/conf.d/default.conf, i.e. location ~ ^/(api|v[1-3]|admin|open_api)(/|$), and restart nginx; or set Base URL to the coze-server container itself.',
		});
	}
}

const entries = (list: unknown): IDataObject[] => (Array.isArray(list) ? (list.filter(isPlainObject) as IDataObject[]) : []);

/** GET /v1/datasets (§11.1): one page of a workspace's knowledge bases; both dialects. */
export async function listKnowledgeBasesPage(
	this: Context,
	connection: CozeConnection,
	query: { workspaceId: string; page: number; pageSize: number; name?: string; formatType?: number },
	limits: CallLimits,
): Promise<{ knowledgeBases: IDataObject[]; total: number }> {
	const qs: IDataObject = { space_id: query.workspaceId, page_num: query.page, page_size: query.pageSize };
	if (query.name) qs.name = query.name;
	if (query.formatType !== undefined) qs.format_type = query.formatType;
	const { body } = await cozeApiRequest.call(this, connection, { method: 'GET', path: '/v1/datasets', qs, subject: 'knowledge', ...limits });
	const data = isPlainObject(body.data) ? body.data : {};
	return { knowledgeBases: entries(data.dataset_list), total: Number(data.total_count ?? 0) };
}

/**
 * POST /open_api/knowledge/document/create (§11.2): `body` is the JSON already written (the files'
 * base64 inside it). Adds documents, so it is never resent after it may have reached Coze.
 */
export async function createDocuments(this: IExecuteFunctions, connection: CozeConnection, body: Buffer, limits: CallLimits): Promise<IDataObject[]> {
	const response = await documentsRequest.call(this, connection, {
		method: 'POST',
		path: '/open_api/knowledge/document/create',
		body,
		headers: { 'Content-Type': 'application/json' },
		resultField: 'document_infos',
		sideEffect: 'document',
		subject: 'knowledge',
		...limits,
	});
	return entries(response.body.document_infos);
}

/**
 * POST /open_api/knowledge/document/list (§11.3), `page` counted from 1. Coze cloud counts pages
 * from 1 (coze-py); Coze Studio skips page × size documents, so its first page is 0.
 */
export async function listDocumentsPage(
	this: IExecuteFunctions,
	connection: CozeConnection,
	query: { knowledgeBaseId: string; page: number; size: number },
	limits: CallLimits,
): Promise<{ documents: IDataObject[]; total: number }> {
	const page = connection.region === 'studio' ? query.page - 1 : query.page;
	const { body } = await documentsRequest.call(this, connection, {
		method: 'POST',
		path: '/open_api/knowledge/document/list',
		body: { dataset_id: query.knowledgeBaseId, page, size: query.size },
		readOnly: true,
		resultField: 'document_infos',
		subject: 'knowledge',
		...limits,
	});
	return { documents: entries(body.document_infos), total: Number(body.total ?? 0) };
}

/**
 * POST /v1/datasets/{id}/process (§11.5): the processing status of documents. Coze cloud takes
 * the ids as strings; Coze Studio declares them as a list of int64, which Go reads only from
 * JSON numbers, so they go as numbers there, and as strings once more if Studio refuses those.
 */
export async function documentProgress(
	this: IExecuteFunctions,
	connection: CozeConnection,
	knowledgeBaseId: string,
	documentIds: string[],
	limits: CallLimits,
): Promise<IDataObject[]> {
	const send = async (body: IDataObject | Buffer) =>
		await cozeApiRequest.call(this, connection, {
			method: 'POST',
			path: `/v1/datasets/${encodeURIComponent(knowledgeBaseId)}/process`,
			body,
			headers: Buffer.isBuffer(body) ? { 'Content-Type': 'application/json' } : undefined,
			readOnly: true,
			subject: 'knowledge',
			...limits,
		});
	let response;
	if (connection.region === 'studio' && documentIds.every((id) => /^\d{1,20}$/.test(id))) {
		try {
			// Written by hand: JSON.stringify cannot write a 19-digit number without losing digits.
			response = await send(Buffer.from(`{"document_ids":[${documentIds.join(',')}]}`));
		} catch (error) {
			if (!(error instanceof NodeApiError) || failureOf(error).httpStatus !== 400) throw asNodeError(this.getNode(), error, limits.itemIndex);
			response = await send({ document_ids: documentIds });
		}
	} else {
		response = await send({ document_ids: documentIds });
	}
	const data = isPlainObject(response.body.data) ? response.body.data : {};
	return entries(data.data);
}

/** POST /open_api/knowledge/document/update (§11.3): a new name, and on Coze cloud a web page's update rule. */
export async function updateDocument(
	this: IExecuteFunctions,
	connection: CozeConnection,
	update: { documentId: string; name?: string; updateRule?: { update_type: number; update_interval?: number } },
	limits: CallLimits,
): Promise<void> {
	const body: IDataObject = { document_id: update.documentId };
	if (update.name !== undefined) body.document_name = update.name;
	if (update.updateRule) body.update_rule = update.updateRule;
	await documentsRequest.call(this, connection, {
		method: 'POST',
		path: '/open_api/knowledge/document/update',
		body,
		// Setting the same name or rule again changes nothing: safe to resend.
		readOnly: true,
		subject: 'knowledge',
		...limits,
	});
}

/** POST /open_api/knowledge/document/delete (§11.3): at most 100 ids at once. Deleting twice deletes nothing more. */
export async function deleteDocuments(this: IExecuteFunctions, connection: CozeConnection, documentIds: string[], limits: CallLimits): Promise<void> {
	await documentsRequest.call(this, connection, {
		method: 'POST',
		path: '/open_api/knowledge/document/delete',
		body: { document_ids: documentIds },
		readOnly: true,
		subject: 'knowledge',
		...limits,
	});
}

/** GET /v1/datasets/{id}/images (§11.4): one page of an image knowledge base's images with their captions. */
export async function listImagesPage(
	this: IExecuteFunctions,
	connection: CozeConnection,
	knowledgeBaseId: string,
	query: { page: number; pageSize: number; keyword?: string; hasCaption?: boolean },
	limits: CallLimits,
): Promise<{ images: IDataObject[]; total: number }> {
	const qs: IDataObject = { page_num: query.page, page_size: query.pageSize };
	if (query.keyword) qs.keyword = query.keyword;
	if (query.hasCaption !== undefined) qs.has_caption = query.hasCaption;
	const { body } = await cozeApiRequest.call(this, connection, {
		method: 'GET',
		path: `/v1/datasets/${encodeURIComponent(knowledgeBaseId)}/images`,
		qs,
		subject: 'knowledge',
		...limits,
	});
	const data = isPlainObject(body.data) ? body.data : {};
	return { images: entries(data.photo_infos), total: Number(data.total_count ?? 0) };
}

/** PUT /v1/datasets/{id}/images/{document_id} (§11.4): an image's caption; Coze cloud only. */
export async function updateImageCaption(
	this: IExecuteFunctions,
	connection: CozeConnection,
	target: { knowledgeBaseId: string; documentId: string; caption: string },
	limits: CallLimits,
): Promise<void> {
	await cozeApiRequest.call(this, connection, {
		method: 'PUT',
		path: `/v1/datasets/${encodeURIComponent(target.knowledgeBaseId)}/images/${encodeURIComponent(target.documentId)}`,
		body: { caption: target.caption },
		readOnly: true,
		subject: 'knowledge',
		...limits,
	});
}
