/**
 * Chat and message objects of both dialects (coze-api.md §10.1, §10.6).
 *
 * cloud chat [PY:tests/testdata/chat_text_stream_resp.txt, chat_failed_resp.txt] [JS:resources/chat/chat.ts CreateChatData]:
 *   `{id, conversation_id, bot_id, created_at, completed_at?, failed_at?, meta_data?, last_error{code,msg}, status,
 *   usage{token_count,output_count,input_count}, section_id, required_action?}` — last_error `{0,""}` and usage
 *   zeros until the chat ends; `required_action` only while requires_action.
 * Studio chat (ChatV3ChatDetail) [ST:api/model/conversation/run/run.go] [ST:application/conversation/openapi_agent_run.go]:
 *   ids strings, `created_at`/`completed_at`/`failed_at` always present (0 when unset), never last_error /
 *   meta_data / required_action, `usage` once completed; status `cancelled` (API answers: AgentOptions.studioCancelledStatus).
 * cloud message [PY:tests/testdata/chat_text_stream_resp.txt] [JS:chat.ts ChatV3Message]: deltas
 *   `{id, conversation_id, bot_id, role, type, content, content_type, chat_id, section_id}`; completed and listed
 *   messages add meta_data, created_at, updated_at (ASSUMPTION: a third-party capture, §10.1);
 *   `reasoning_content` only for reasoning messages.
 * Studio message (ChatV3MessageDetail) [ST:application/conversation/openapi_agent_run.go buildARSM2ApiMessage]:
 *   ids strings, meta_data, created_at, reasoning_content, NO updated_at; the conversation message list
 *   (OpenMessageApi [ST:api/model/conversation/message/message.go]) has updated_at.
 */
import type { AgentChat, PlannedMessage } from './agentModel';
import type { ConversationMessage } from './agentTypes';
import type { EmulatorState } from './core';

export type ChatView = 'stream' | 'api';

export function chatJson(state: EmulatorState, chat: AgentChat, view: ChatView = 'api'): Record<string, unknown> {
	const usage = chat.usage ?? { token_count: 0, output_count: 0, input_count: 0 };
	const u = { token_count: usage.token_count, output_count: usage.output_count, input_count: usage.input_count };
	if (state.dialect === 'cloud') {
		const out: Record<string, unknown> = { id: chat.id, conversation_id: chat.conversationId, bot_id: chat.botId, created_at: chat.createdAt };
		if (chat.completedAt !== undefined) out.completed_at = chat.completedAt;
		if (chat.failedAt !== undefined) out.failed_at = chat.failedAt;
		if (chat.metaData && Object.keys(chat.metaData).length > 0) out.meta_data = { ...chat.metaData };
		out.last_error = chat.lastError ?? { code: 0, msg: '' };
		out.status = chat.status;
		out.usage = u;
		out.section_id = chat.sectionId;
		if (chat.status === 'requires_action') {
			out.required_action = {
				type: 'submit_tool_outputs',
				submit_tool_outputs: { tool_calls: chat.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) },
			};
		}
		return out;
	}
	let status: string = chat.status;
	if (status === 'canceled') status = view === 'stream' ? 'cancelled' : state.agents.options.studioCancelledStatus;
	return {
		id: chat.id,
		conversation_id: chat.conversationId,
		bot_id: chat.botId,
		created_at: chat.createdAt,
		completed_at: chat.completedAt ?? 0,
		failed_at: chat.failedAt ?? 0,
		status,
		...(chat.usage ? { usage: u } : {}),
		section_id: chat.sectionId,
	};
}

/** A stored message as /v3/chat/message/list (`chat`) or /v1/conversation/message/list (`conversation`) lists it. */
export function listedMessageJson(state: EmulatorState, m: ConversationMessage, list: 'chat' | 'conversation'): Record<string, unknown> {
	const reasoning = m.reasoningContent !== undefined ? { reasoning_content: m.reasoningContent } : {};
	if (state.dialect === 'cloud') {
		return {
			id: m.id,
			conversation_id: m.conversationId,
			bot_id: m.botId,
			chat_id: m.chatId,
			meta_data: { ...m.metaData },
			role: m.role,
			content: m.content,
			content_type: m.contentType,
			created_at: m.createdAt,
			updated_at: m.createdAt,
			type: m.type,
			section_id: m.sectionId,
			...reasoning,
		};
	}
	return {
		id: m.id,
		conversation_id: m.conversationId,
		bot_id: m.botId,
		role: m.role,
		type: m.type,
		content: m.content,
		content_type: m.contentType,
		meta_data: { ...m.metaData },
		chat_id: m.chatId,
		section_id: m.sectionId,
		created_at: m.createdAt,
		...(list === 'conversation' ? { updated_at: m.createdAt } : {}),
		reasoning_content: m.reasoningContent ?? '',
	};
}

/** A planned message as a stream event's data: a delta piece, or the whole message (`completed`). */
export function streamMessageJson(
	state: EmulatorState,
	chat: AgentChat,
	m: PlannedMessage,
	piece?: { content: string; reasoning?: string },
): Record<string, unknown> {
	const now = Math.floor(Date.now() / 1000);
	const content = piece ? piece.content : m.content;
	const reasoning = piece ? piece.reasoning : m.reasoning;
	if (state.dialect === 'cloud') {
		const out: Record<string, unknown> = {
			id: m.id,
			conversation_id: chat.conversationId,
			bot_id: chat.botId,
			role: 'assistant',
			type: m.type,
			content,
			content_type: m.contentType,
			chat_id: chat.id,
			section_id: chat.sectionId,
		};
		if (m.reasoning !== undefined) out.reasoning_content = reasoning ?? '';
		if (!piece) Object.assign(out, { meta_data: {}, created_at: now, updated_at: now });
		return out;
	}
	return {
		id: m.id,
		conversation_id: chat.conversationId,
		bot_id: chat.botId,
		role: 'assistant',
		type: m.type,
		content,
		content_type: m.contentType,
		meta_data: {},
		chat_id: chat.id,
		section_id: chat.sectionId,
		created_at: now,
		reasoning_content: reasoning ?? '',
	};
}
