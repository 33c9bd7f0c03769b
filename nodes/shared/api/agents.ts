/**
 * The agent (bot) chat endpoints of the Coze Open API, one typed function each: the only place
 * that knows their paths, methods and where each id goes (docs/coze-api.md §10).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CozeConnection, CozeResponse, CozeStream } from '../transport';
import { cozeApiRequest, cozeStreamRequest } from '../transport';
import type { CallLimits, StreamLimits } from './workflows';

export interface ChatRef {
	conversationId: string;
	chatId: string;
}

/**
 * POST /v3/chat (§10.1): a message to an agent. The conversation goes in the query
 * (coze-js, coze-py); streamed with `stream: true` in the body, else the chat object at once.
 */
export async function startChat(
	this: IExecuteFunctions,
	connection: CozeConnection,
	body: IDataObject,
	conversationId: string | undefined,
	limits: CallLimits,
): Promise<CozeResponse> {
	return await cozeApiRequest.call(this, connection, {
		method: 'POST',
		path: '/v3/chat',
		qs: conversationId ? { conversation_id: conversationId } : undefined,
		body: { ...body, stream: false },
		sideEffect: 'message',
		subject: 'agent',
		...limits,
	});
}

/** POST /v3/chat with `stream: true` (§10.1). */
export async function streamChat(
	this: IExecuteFunctions,
	connection: CozeConnection,
	body: IDataObject,
	conversationId: string | undefined,
	limits: StreamLimits,
): Promise<CozeStream> {
	return await cozeStreamRequest.call(this, connection, {
		method: 'POST',
		path: '/v3/chat',
		qs: conversationId ? { conversation_id: conversationId } : undefined,
		body: { ...body, stream: true },
		sideEffect: 'message',
		subject: 'agent',
		...limits,
	});
}

/** POST /v3/chat/submit_tool_outputs (§10.3), polled. */
export async function submitToolOutputs(
	this: IExecuteFunctions,
	connection: CozeConnection,
	chat: ChatRef,
	toolOutputs: IDataObject[],
	limits: CallLimits,
): Promise<CozeResponse> {
	return await cozeApiRequest.call(this, connection, {
		method: 'POST',
		path: '/v3/chat/submit_tool_outputs',
		qs: { conversation_id: chat.conversationId, chat_id: chat.chatId },
		body: { tool_outputs: toolOutputs, stream: false },
		sideEffect: 'message',
		subject: 'agent',
		...limits,
	});
}

/** POST /v3/chat/submit_tool_outputs with `stream: true` (§10.3). */
export async function streamSubmitToolOutputs(
	this: IExecuteFunctions,
	connection: CozeConnection,
	chat: ChatRef,
	toolOutputs: IDataObject[],
	limits: StreamLimits,
): Promise<CozeStream> {
	return await cozeStreamRequest.call(this, connection, {
		method: 'POST',
		path: '/v3/chat/submit_tool_outputs',
		qs: { conversation_id: chat.conversationId, chat_id: chat.chatId },
		body: { tool_outputs: toolOutputs, stream: true },
		sideEffect: 'message',
		subject: 'agent',
		...limits,
	});
}

/** GET /v3/chat/retrieve (§10.2): the chat object, for its status. */
export async function retrieveChat(this: IExecuteFunctions, connection: CozeConnection, chat: ChatRef, limits: CallLimits): Promise<CozeResponse> {
	return await cozeApiRequest.call(this, connection, {
		method: 'GET',
		path: '/v3/chat/retrieve',
		qs: { conversation_id: chat.conversationId, chat_id: chat.chatId },
		subject: 'agent',
		...limits,
	});
}

/** GET /v3/chat/message/list (§10.2): the messages of one chat. */
export async function listChatMessages(this: IExecuteFunctions, connection: CozeConnection, chat: ChatRef, limits: CallLimits): Promise<CozeResponse> {
	return await cozeApiRequest.call(this, connection, {
		method: 'GET',
		path: '/v3/chat/message/list',
		qs: { conversation_id: chat.conversationId, chat_id: chat.chatId },
		subject: 'agent',
		...limits,
	});
}

/** POST /v3/chat/cancel (§10.2): ids in the body. */
export async function cancelChat(this: IExecuteFunctions, connection: CozeConnection, chat: ChatRef, limits: CallLimits): Promise<CozeResponse> {
	return await cozeApiRequest.call(this, connection, {
		method: 'POST',
		path: '/v3/chat/cancel',
		body: { conversation_id: chat.conversationId, chat_id: chat.chatId },
		// Coze Studio answers {"ChatV3ChatDetail": {…}} with no code (§10.6).
		resultField: 'ChatV3ChatDetail',
		subject: 'agent',
		...limits,
	});
}
