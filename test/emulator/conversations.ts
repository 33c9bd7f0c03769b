/**
 * Agent conversations (coze-api.md §10.4, §10.6 "Studio conversations"): one store with the
 * workflow chat's (core.ts Conversation; agentModel.ts keeps their message history).
 *
 * - `POST /v1/conversation/create` body {bot_id?, messages?, meta_data?} → data {id, created_at,
 *   meta_data, last_section_id} [JS:resources/conversations/index.ts] [PY:conversations/__init__.py];
 *   cloud stores `messages` as history; Studio ignores them and adds connector_id
 *   [ST:api/model/conversation/conversation/conversation.go CreateConversationRequest/ConversationData]
 *   (ASSUMPTION: connector_id "1024", Studio's API connector).
 * - `GET /v1/conversation/retrieve?conversation_id=` → cloud `data`, Studio `ConversationData` [ST:…/conversation.go RetrieveConversationApiResponse].
 * - `POST /v1/conversation/message/list?conversation_id=` body {order desc|asc (default desc), chat_id,
 *   before_id, after_id, limit (default 50)} → top-level `{code,msg,data:[…],first_id,last_id,has_more}`
 *   [JS:conversations/messages/messages.ts] [ST:application/conversation/openapi_message.go]; Studio lists
 *   only question/answer; cloud AgentOptions.cloudConversationListTypes (ASSUMPTION). Cursors as Studio's
 *   code has them [ST:application/conversation/openapi_message.go, domain/conversation/message/internal/dal/message.go
 *   List, service/message_impl.go ListWithoutPair]: `before_id` → the messages newer than it, oldest first;
 *   `after_id` (or no cursor) → the messages older than it, newest first; `order` is ignored; a page is the first
 *   `limit`, has_more when more are left; first_id / last_id = the page's first / last id ("" when empty). So
 *   after_id = last_id pages on, as coze-py's LastIDPaged does [PY:model.py]. Cloud: ASSUMPTION the same, except
 *   that with no cursor `order: "asc"` lists oldest first (the docs' parameter).
 * - `POST /v1/conversations/{id}/clear` → data {id: new section id, conversation_id} [JS:conversations/index.ts clear]
 *   [ST:api/handler/coze/conversation_service.go ClearConversationApi]; messages stay listed, later chats no longer
 *   see them (turn count restarts).
 * - `GET /v1/conversations?bot_id=&page_num=&page_size=` → data {conversations, has_more} [JS:conversations/index.ts].
 * ASSUMPTIONS: unknown conversation → cloud 4002 "conversation not found", Studio HTTP 200 {code:103000002,msg};
 * missing conversation_id → cloud 4000, Studio HTTP 400 {code:400}.
 */
import { listedMessageJson } from './agentJson';
import { messagesOf, nowSeconds, STUDIO_CONV_ERR } from './agentModel';
import type { ConversationMessage } from './agentTypes';
import type { Conversation, EmulatorState, Reply, RequestContext } from './core';
import { json } from './core';
import { cloudBadRequest, cloudBody, cloudError, cloudOk, studioPlain } from './dialect';
import { isJsonObject } from './json';

export const CONVERSATION_CREATE_PATH = '/v1/conversation/create';
export const CONVERSATION_RETRIEVE_PATH = '/v1/conversation/retrieve';
export const CONVERSATION_MESSAGES_PATH = '/v1/conversation/message/list';
export const CONVERSATIONS_LIST_PATH = '/v1/conversations';
export const CONVERSATION_CLEAR_PATH = /^\/v1\/conversations\/(?<conversation_id>[0-9]+)\/clear$/;

const STUDIO_CONNECTOR_ID = '1024';

export function newAgentConversation(state: EmulatorState, botId?: string, metaData: Record<string, string> = {}): Conversation {
	const id = state.ids.nextId();
	const conv: Conversation = { id, sectionId: state.ids.nextId(), createdAt: nowSeconds(), metaData, botId, messages: [] };
	state.conversations.set(id, conv);
	return conv;
}

function conversationJson(state: EmulatorState, c: Conversation): Record<string, unknown> {
	const base = { id: c.id, created_at: c.createdAt ?? 0, meta_data: { ...(c.metaData ?? {}) }, last_section_id: c.sectionId };
	return state.dialect === 'cloud' ? base : { ...base, connector_id: STUDIO_CONNECTOR_ID };
}

const studioOk = (fields: Record<string, unknown>): Reply => json(200, { code: 0, msg: '', ...fields, BaseResp: null });

function notFound(ctx: RequestContext): Reply {
	return ctx.state.dialect === 'cloud'
		? cloudError(ctx.logId, 4002, 'conversation not found')
		: studioPlain(200, STUDIO_CONV_ERR.conversationNotFound, 'conversation not found');
}

function missing(ctx: RequestContext): Reply {
	return ctx.state.dialect === 'cloud' ? cloudBadRequest(ctx.logId) : studioPlain(400, 400, "'conversation_id' is a required parameter");
}

function strMap(v: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (isJsonObject(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
	return out;
}

export function conversationCreateHandler(ctx: RequestContext): Reply {
	const { state } = ctx;
	const b = isJsonObject(ctx.recorded.body) ? ctx.recorded.body : {};
	if (b.messages !== undefined && b.messages !== null && !Array.isArray(b.messages) && state.dialect === 'cloud') return cloudBadRequest(ctx.logId);
	const conv = newAgentConversation(state, typeof b.bot_id === 'string' ? b.bot_id : undefined, strMap(b.meta_data));
	if (state.dialect === 'cloud' && Array.isArray(b.messages)) {
		const now = nowSeconds();
		for (const m of b.messages) {
			if (!isJsonObject(m) || (m.role !== 'user' && m.role !== 'assistant')) continue;
			messagesOf(conv).push({
				id: state.ids.nextId(),
				conversationId: conv.id,
				botId: conv.botId ?? '',
				chatId: '',
				sectionId: conv.sectionId,
				role: m.role,
				type: typeof m.type === 'string' ? m.type : m.role === 'user' ? 'question' : 'answer',
				content: typeof m.content === 'string' ? m.content : '',
				contentType: typeof m.content_type === 'string' ? m.content_type : 'text',
				metaData: strMap(m.meta_data),
				createdAt: now,
			});
		}
	}
	const data = conversationJson(state, conv);
	return state.dialect === 'cloud' ? cloudOk(ctx.logId, { data }) : json(200, { code: 0, msg: '', data });
}

export function conversationRetrieveHandler(ctx: RequestContext): Reply {
	const id = ctx.recorded.query.conversation_id;
	if (id === undefined || id === '') return missing(ctx);
	const conv = ctx.state.conversations.get(id);
	if (!conv) return notFound(ctx);
	const data = conversationJson(ctx.state, conv);
	return ctx.state.dialect === 'cloud' ? cloudOk(ctx.logId, { data }) : json(200, { ConversationData: data, code: 0, msg: '', BaseResp: null });
}

export function conversationClearHandler(ctx: RequestContext): Reply {
	const conv = ctx.state.conversations.get(ctx.params.conversation_id ?? '');
	if (!conv) return notFound(ctx);
	conv.sectionId = ctx.state.ids.nextId();
	const data = { id: conv.sectionId, conversation_id: conv.id };
	return ctx.state.dialect === 'cloud' ? cloudOk(ctx.logId, { data }) : studioOk({ data });
}

export function conversationMessagesHandler(ctx: RequestContext): Reply {
	const { state } = ctx;
	const id = ctx.recorded.query.conversation_id;
	if (id === undefined || id === '') return missing(ctx);
	const conv = state.conversations.get(id);
	if (!conv) return notFound(ctx);
	const b = isJsonObject(ctx.recorded.body) ? ctx.recorded.body : {};
	const order = b.order === 'asc' ? 'asc' : 'desc';
	const limit = typeof b.limit === 'number' && Number.isInteger(b.limit) && b.limit > 0 ? b.limit : 50;
	const onlyQA = state.dialect === 'studio' || state.agents.options.cloudConversationListTypes === 'questionAnswer';
	let list: ConversationMessage[] = messagesOf(conv).filter((m) => !onlyQA || m.type === 'question' || m.type === 'answer');
	if (typeof b.chat_id === 'string' && b.chat_id !== '') list = list.filter((m) => m.chatId === b.chat_id);
	const big = (s: string): bigint => BigInt(s);
	const cursor = (value: unknown) => (typeof value === 'string' && /^\d+$/.test(value) ? big(value) : undefined);
	const before = cursor(b.before_id);
	const after = cursor(b.after_id);
	let ordered: ConversationMessage[];
	if (before !== undefined) ordered = list.filter((m) => big(m.id) > before);
	else if (after !== undefined) ordered = list.filter((m) => big(m.id) < after).reverse();
	else ordered = order === 'asc' && state.dialect === 'cloud' ? list : [...list].reverse();
	const page = ordered.slice(0, limit);
	const fields = {
		data: page.map((m) => listedMessageJson(state, m, 'conversation')),
		first_id: page[0]?.id ?? '',
		last_id: page[page.length - 1]?.id ?? '',
		has_more: page.length < ordered.length,
	};
	if (state.dialect === 'cloud') return json(200, cloudBody(ctx.logId, { code: 0, msg: '', ...fields }));
	return json(200, { ...fields, code: 0, msg: '' });
}

export function conversationsListHandler(ctx: RequestContext): Reply {
	const { state } = ctx;
	const q = ctx.recorded.query;
	const botId = q.bot_id;
	if (botId === undefined || botId === '') return state.dialect === 'cloud' ? cloudBadRequest(ctx.logId) : studioPlain(400, 400, "'bot_id' is a required parameter");
	const pageNum = Math.max(1, Number.parseInt(q.page_num ?? '1', 10) || 1);
	const pageSize = Math.max(1, Number.parseInt(q.page_size ?? '50', 10) || 50);
	const all = [...state.conversations.values()].filter((c) => c.botId === botId).reverse(); // newest first (ASSUMPTION)
	const page = all.slice((pageNum - 1) * pageSize, pageNum * pageSize).map((c) => conversationJson(state, c));
	const data = { conversations: page, has_more: pageNum * pageSize < all.length };
	return state.dialect === 'cloud' ? cloudOk(ctx.logId, { data }) : json(200, { code: 0, msg: '', data });
}
