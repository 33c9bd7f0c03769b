/**
 * Agent chat endpoints (coze-api.md §10.1–§10.3, §10.6): `POST /v3/chat` (stream: agentChatStream.ts),
 * `/v3/chat/retrieve` (cloud GET and POST — the SDKs POST it [JS:resources/chat/chat.ts retrieve]
 * [PY:chat/__init__.py retrieve]; Studio GET only [ST:api/router/coze/api.go]), `GET /v3/chat/message/list`,
 * `POST /v3/chat/cancel`, `POST /v3/chat/submit_tool_outputs` (cloud only).
 *
 * ASSUMPTIONS (sources silent): cloud unknown conversation → 4002 "conversation not found"; a second chat
 * while one is created / in_progress → 4016 [PY:chat/__init__.py docstring] (Studio: app errno 103000000
 * "conversation has a chat in progress", ASSUMPTION); unknown chat → cloud 4200, Studio retrieve HTTP 500 plain
 * text (its handler does c.String(500, err.Error()) [ST:api/handler/coze/agent_run_service.go RetrieveChatOpen])
 * with 103200003 record not found, Studio cancel HTTP 400; a draft agent → cloud 4015, Studio agent not exists;
 * cloud's /v3/chat/message/list lists what the chat produced (no user question), Studio's all messages of the
 * run, question included [ST:application/conversation/openapi_agent_run.go GetByRunIDs]; cancel of a finished
 * chat → cloud 4104 [PY:chat/__init__.py create_and_poll], Studio HTTP 400 103200005
 * [ST:application/conversation/openapi_agent_run.go CancelRun]; submit_tool_outputs: chat not in
 * requires_action, no outputs or an unknown tool_call_id → 4000, and the continued chat streams no `created`.
 */
import { agentStreamReply, studioStreamError } from './agentChatStream';
import type { AgentChat } from './agentModel';
import { advance, cancelChat, isActive, messagesOf, nowSeconds, planChat, STUDIO_CONV_ERR, studioErrText, toolOutputPhase } from './agentModel';
import { chatJson, listedMessageJson } from './agentJson';
import type { ChatError } from './agentRequest';
import { parseChatRequest } from './agentRequest';
import { newAgentConversation } from './conversations';
import type { Conversation, Reply, RequestContext } from './core';
import { json } from './core';
import { cloudBadRequest, cloudError, cloudOk, studioPlain } from './dialect';
import { isJsonObject } from './json';

export const AGENT_CHAT_PATH = '/v3/chat';
export const CHAT_RETRIEVE_PATH = '/v3/chat/retrieve';
export const CHAT_MESSAGES_PATH = '/v3/chat/message/list';
export const CHAT_CANCEL_PATH = '/v3/chat/cancel';
export const SUBMIT_TOOL_OUTPUTS_PATH = '/v3/chat/submit_tool_outputs';

/** Studio's `{data,code:0,msg:"",BaseResp:null}` (RetrieveChatOpenResponse) [ST:api/model/conversation/run/run.go]. */
const studioData = (data: unknown): Reply => json(200, { data, code: 0, msg: '', BaseResp: null });

function chatError(ctx: RequestContext, e: ChatError, stream: boolean): Reply {
	if (ctx.state.dialect === 'cloud') return cloudError(ctx.logId, e.cloudCode, e.msg);
	if (e.level === 'bind') return studioPlain(400, 400, e.msg);
	if (stream) return studioStreamError(ctx.state, STUDIO_CONV_ERR.agentRun, studioErrText(e.errno, e.msg));
	return studioPlain(400, 400, studioErrText(e.errno, e.msg));
}

/** The bot id (or the chat's bot for submit_tool_outputs) a run-type agent request names: faults.ts keys faults / in-flight counts by it. */
export function agentRunSubject(ctx: RequestContext, path: string): string | undefined {
	if (path === AGENT_CHAT_PATH) {
		const b = ctx.recorded.body;
		return isJsonObject(b) && typeof b.bot_id === 'string' ? b.bot_id : undefined;
	}
	if (path === SUBMIT_TOOL_OUTPUTS_PATH) return ctx.state.agents.chats.get(ctx.recorded.query.chat_id ?? '')?.botId;
	return undefined;
}

export function agentChatHandler(ctx: RequestContext): Reply {
	const { state } = ctx;
	const studio = state.dialect === 'studio';
	const p = parseChatRequest(ctx);
	const streamAsked = isJsonObject(ctx.recorded.body) && typeof ctx.recorded.body.stream === 'boolean' ? ctx.recorded.body.stream : studio;
	if ('error' in p) return chatError(ctx, p.error, streamAsked);
	const r = p.req;
	const fail = (cloudCode: number, errno: number, msg: string): Reply => chatError(ctx, { level: 'app', cloudCode, errno, msg }, r.stream);
	const agent = state.agents.catalogue.find((a) => a.id === r.botId);
	if (!agent || (studio && !agent.published)) {
		return fail(state.agents.options.unknownBotCode, STUDIO_CONV_ERR.agentNotExists, studio ? 'agent not exists' : `bot ${r.botId} not found`);
	}
	if (!agent.published) return fail(4015, STUDIO_CONV_ERR.agentNotExists, `The bot_id ${r.botId} has not been published to the channel Agent As API.`);
	let conv: Conversation;
	if (r.conversationId !== undefined) {
		const known = state.conversations.get(r.conversationId);
		if (!known) return fail(4002, STUDIO_CONV_ERR.conversationNotFound, 'conversation not found');
		conv = known;
		for (const c of state.agents.chats.values()) {
			if (c.conversationId !== conv.id) continue;
			advance(state, c);
			if (isActive(c)) return fail(4016, STUDIO_CONV_ERR.invalidParam, 'conversation has a chat in progress');
		}
	} else {
		conv = newAgentConversation(state, agent.id);
	}
	const chatId = state.ids.nextId();
	const now = nowSeconds();
	for (const m of r.messages) {
		messagesOf(conv).push({
			id: state.ids.nextId(),
			conversationId: conv.id,
			botId: agent.id,
			chatId,
			sectionId: conv.sectionId,
			role: m.role,
			type: m.type,
			content: m.content,
			contentType: m.contentType,
			metaData: m.metaData,
			createdAt: now,
		});
	}
	const { phase, toolCalls } = planChat(state, agent, conv, r.turn);
	const chat: AgentChat = {
		id: chatId,
		conversationId: conv.id,
		botId: agent.id,
		sectionId: conv.sectionId,
		userId: r.userId,
		behaviour: agent.behaviour,
		stream: r.stream,
		status: 'created',
		createdAt: now,
		metaData: r.metaData,
		phaseStartedAt: Date.now(),
		phase,
		driver: r.stream ? 'stream' : 'clock',
		toolCalls,
		inputChars: [...r.turn.text].length,
		outputChars: 0,
		onCancel: [],
	};
	state.agents.chats.set(chatId, chat);
	if (r.stream) return agentStreamReply(state, chat, false);
	// Non-stream: answered at once with status created; the run goes on [ST:application/conversation/openapi_agent_run.go OpenapiAgentRunSync] [DOC:https://docs.coze.cn/developer_guides_chat_v3.md].
	const data = chatJson(state, chat);
	return studio ? studioData(data) : cloudOk(ctx.logId, { data });
}

/** The chat named by conversation_id + chat_id (query or body), advanced to now. */
function findChat(ctx: RequestContext, src: Record<string, unknown>): AgentChat | 'missing' | undefined {
	const conversationId = src.conversation_id;
	const chatId = src.chat_id;
	if (typeof conversationId !== 'string' || conversationId === '' || typeof chatId !== 'string' || chatId === '') return 'missing';
	const chat = ctx.state.agents.chats.get(chatId);
	if (!chat || chat.conversationId !== conversationId) return undefined;
	advance(ctx.state, chat);
	return chat;
}

export function chatRetrieveHandler(ctx: RequestContext): Reply {
	const chat = findChat(ctx, ctx.recorded.query);
	if (ctx.state.dialect === 'cloud') {
		if (chat === 'missing') return cloudBadRequest(ctx.logId);
		if (!chat) return cloudError(ctx.logId, 4200, 'chat not found');
		return cloudOk(ctx.logId, { data: chatJson(ctx.state, chat) });
	}
	if (chat === 'missing') return studioPlain(400, 400, "'conversation_id' and 'chat_id' are required parameters"); // ASSUMPTION: bind text
	if (!chat) return { kind: 'raw', status: 500, body: studioErrText(STUDIO_CONV_ERR.recordNotFound, 'record not found'), contentType: 'text/plain; charset=utf-8' };
	return studioData(chatJson(ctx.state, chat));
}

export function chatMessagesHandler(ctx: RequestContext): Reply {
	const { state } = ctx;
	const chat = findChat(ctx, ctx.recorded.query);
	if (state.dialect === 'cloud') {
		if (chat === 'missing') return cloudBadRequest(ctx.logId);
		if (!chat) return cloudError(ctx.logId, 4200, 'chat not found');
	} else {
		if (chat === 'missing') return studioPlain(400, 400, "'conversation_id' and 'chat_id' are required parameters");
		if (!chat) return studioPlain(200, STUDIO_CONV_ERR.recordNotFound, 'record not found'); // ASSUMPTION: errorx → HTTP 200 {code,msg}
	}
	const conv = state.conversations.get(chat.conversationId);
	const all = conv ? messagesOf(conv).filter((m) => m.chatId === chat.id) : [];
	if (state.dialect === 'cloud') {
		return cloudOk(ctx.logId, { data: all.filter((m) => m.role !== 'user').map((m) => listedMessageJson(state, m, 'chat')) });
	}
	// Key `Messages` (ListChatMessageApiResponse) [ST:api/model/conversation/message/message.go].
	return json(200, { Messages: all.map((m) => listedMessageJson(state, m, 'chat')), code: 0, msg: '', BaseResp: null });
}

export function chatCancelHandler(ctx: RequestContext): Reply {
	const { state } = ctx;
	const body = isJsonObject(ctx.recorded.body) ? ctx.recorded.body : {};
	const chat = findChat(ctx, body); // body, not query [JS:resources/chat/chat.ts cancel] [ST:api/model/conversation/run/run.go CancelChatApiRequest]
	if (state.dialect === 'cloud') {
		if (chat === 'missing') return cloudBadRequest(ctx.logId);
		if (!chat) return cloudError(ctx.logId, 4200, 'chat not found');
		if (!isActive(chat)) return cloudError(ctx.logId, 4104, 'The chat cannot be canceled in its current status.'); // msg ASSUMPTION
		cancelChat(chat);
		return cloudOk(ctx.logId, { data: chatJson(state, chat) });
	}
	if (chat === 'missing') return studioPlain(400, 400, "'conversation_id' and 'chat_id' are required parameters");
	if (!chat) return studioPlain(400, 400, studioErrText(STUDIO_CONV_ERR.recordNotFound, 'record not found'));
	if (!isActive(chat)) return studioPlain(400, 400, studioErrText(STUDIO_CONV_ERR.cannotCancel, 'in progress can not be cancelled'));
	cancelChat(chat);
	// No code, no data: `{"ChatV3ChatDetail":{…},"BaseResp":null}` [ST:api/model/conversation/run/run.go CancelChatApiResponse].
	return json(200, { ChatV3ChatDetail: chatJson(state, chat), BaseResp: null });
}

export function submitToolOutputsHandler(ctx: RequestContext): Reply {
	const { state, logId } = ctx;
	const chat = findChat(ctx, ctx.recorded.query); // ids in the QUERY [JS:resources/chat/chat.ts submitToolOutputs]
	if (chat === 'missing') return cloudBadRequest(logId);
	if (!chat) return cloudError(logId, 4200, 'chat not found');
	const b = ctx.recorded.body;
	if (!isJsonObject(b) || !Array.isArray(b.tool_outputs) || b.tool_outputs.length === 0) return cloudBadRequest(logId);
	if (chat.status !== 'requires_action') return cloudError(logId, 4000, 'The chat does not require tool outputs.');
	const outputs: string[] = [];
	for (const o of b.tool_outputs) {
		if (!isJsonObject(o) || typeof o.tool_call_id !== 'string' || typeof o.output !== 'string') return cloudBadRequest(logId);
		if (!chat.toolCalls.some((c) => c.id === o.tool_call_id)) return cloudError(logId, 4000, `Unknown tool_call_id: ${o.tool_call_id}`);
		outputs.push(o.output);
	}
	const stream = b.stream === true;
	chat.phase = toolOutputPhase(state, outputs);
	chat.toolCalls = [];
	chat.status = 'in_progress';
	chat.stream = stream;
	chat.driver = stream ? 'stream' : 'clock';
	chat.phaseStartedAt = Date.now();
	if (stream) return agentStreamReply(state, chat, true);
	return cloudOk(logId, { data: chatJson(state, chat) });
}
