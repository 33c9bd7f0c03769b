/**
 * The file endpoints (docs/coze-api.md §3, §10.5): the only place that knows their paths.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { CozeConnection, CozeResponse } from '../transport';
import { cozeApiRequest } from '../transport';
import type { CallLimits } from './workflows';

/** POST /v1/files/upload (§3): one multipart part named "file". */
export async function uploadFile(
	this: IExecuteFunctions,
	connection: CozeConnection,
	multipart: { body: Buffer; contentType: string },
	limits: CallLimits,
): Promise<CozeResponse> {
	return await cozeApiRequest.call(this, connection, {
		method: 'POST',
		path: '/v1/files/upload',
		body: multipart.body,
		headers: { 'Content-Type': multipart.contentType },
		subject: 'file',
		...limits,
	});
}

/** GET /v1/files/retrieve (§10.5): a file's info; Coze cloud only. */
export async function retrieveFile(this: IExecuteFunctions, connection: CozeConnection, fileId: string, limits: CallLimits): Promise<CozeResponse> {
	return await cozeApiRequest.call(this, connection, { method: 'GET', path: '/v1/files/retrieve', qs: { file_id: fileId }, subject: 'file', ...limits });
}
