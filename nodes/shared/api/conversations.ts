/**
 * The conversation endpoints of the Coze Open API (docs/coze-api.md §10.4): the only place that
 * knows their paths and where each id goes.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CozeConnection, CozeResponse } from '../transport';
import { cozeApiRequest } from '../transport';
import type { CallLimits } from './workflows';

/** POST /v1/conversation/create: {bot_id?, messages?, meta_data?}. */
export async function createConversation(this: IExecuteFunctions, connection: CozeConnection, body: IDataObject, limits: CallLimits): Promise<CozeResponse> {
	return await cozeApiRequest.call(this, connection, { method: 'POST', path: '/v1/conversation/create', body, subject: 'agent', ...limits });
}

/** POST /v1/conversation/message/list?conversation_id=…: one page, {order, chat_id?, before_id?, after_id?, limit}. */
export async function listConversationMessages(
	this: IExecuteFunctions,
	connection: CozeConnection,
	conversationId: string,
	page: IDataObject,
	limits: CallLimits,
): Promise<CozeResponse> {
	return await cozeApiRequest.call(this, connection, {
		method: 'POST',
		path: '/v1/conversation/message/list',
		qs: { conversation_id: conversationId },
		body: page,
		readOnly: true,
		subject: 'agent',
		...limits,
	});
}

/** POST /v1/conversations/{id}/clear: starts a new context (section) in the conversation. */
export async function clearConversation(this: IExecuteFunctions, connection: CozeConnection, conversationId: string, limits: CallLimits): Promise<CozeResponse> {
	return await cozeApiRequest.call(this, connection, {
		method: 'POST',
		path: `/v1/conversations/${encodeURIComponent(conversationId)}/clear`,
		subject: 'agent',
		...limits,
	});
}
