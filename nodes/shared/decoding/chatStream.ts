import type { IDataObject } from 'n8n-workflow';

import type { CozeFailure } from './errors';
import { studioErrorOf } from './errors';
import { isPlainObject } from './json';
import type { SseEvent } from './sse';
import { MAX_KEPT_CHARS, parseEventData, WorkflowStreamEndedEarly, WorkflowStreamFailure, WorkflowStreamTooLarge } from './workflowStream';

/** How a chat turn ended: the statuses after which Coze sends nothing more (§10.1). */
export type ChatEnd = 'completed' | 'requires_action' | 'canceled';

/** One chat turn as the stream told it: the last chat object and the turn's messages, in order. */
export interface ChatTurn {
	status: ChatEnd;
	chat: IDataObject;
	messages: IDataObject[];
}

/** The workflow chat's summary of a turn (Coze Workflow → Chat). */
export interface ChatResult {
	answer: string;
	status: string;
	conversation_id?: string;
	chat_id?: string;
	usage?: IDataObject;
	required_action?: IDataObject;
}

/**
 * Follows a chat event stream (the conversation.* family of /v3/chat, /v3/chat/submit_tool_outputs
 * and /v1/workflows/chat: §2.6, §10.1) to its end. Memory holds the turn's completed messages and
 * the deltas of the messages not completed yet, together at most `maxKeptChars` characters.
 * A message that never completes (the stream ended with the chat) is kept from its deltas.
 */
export async function foldChatEvents(
	events: AsyncIterable<SseEvent>,
	maxKeptChars = MAX_KEPT_CHARS,
	options: {
		/** Told each chat object as it comes (the ids, for an error after the stream has started). */
		onChat?: (chat: IDataObject) => void;
		/**
		 * A done without a final chat event is an early end. Agent chats always send one before done
		 * (§10.1, §10.6); a workflow chat's done alone means it completed (§2.6).
		 */
		requireFinalEvent?: boolean;
	} = {},
): Promise<ChatTurn> {
	const messages: IDataObject[] = [];
	// Deltas of messages not completed yet, by message id ('' when Coze sends none).
	const partial = new Map<string, { message: IDataObject; parts: string[]; reasoning: string[]; keptChars: number }>();
	let keptChars = 0;
	let chat: IDataObject = {};
	let status: ChatEnd | undefined;

	const keep = (chars: number) => {
		keptChars += chars;
		if (keptChars > maxKeptChars) throw new WorkflowStreamTooLarge(maxKeptChars, 'chat');
	};
	const noteChat = (data: Record<string, unknown>) => {
		chat = { ...chat, ...(data as IDataObject) };
		options.onChat?.(chat);
	};
	const finish = (end: ChatEnd): ChatTurn => {
		for (const { message, parts, reasoning } of partial.values()) {
			const kept: IDataObject = { ...message, content: parts.join('') };
			if (reasoning.length > 0) kept.reasoning_content = reasoning.join('');
			messages.push(kept);
		}
		partial.clear();
		return { status: end, chat, messages };
	};

	for await (const event of events) {
		const name = event.event.toLowerCase();
		// Coze cloud ends with done ("[DONE]"), Coze Studio's agent chat with conversation.stream.done and no data (§10.1).
		if (name === 'done' || name === 'conversation.stream.done') {
			// done follows the chat's last event; alone, nothing failed (§2.6).
			if (!status && options.requireFinalEvent) throw new WorkflowStreamEndedEarly('The chat stream ended before the chat finished');
			return finish(status ?? 'completed');
		}
		const data = parseEventData(event, { required: name.startsWith('conversation.') });
		switch (name) {
			case 'conversation.chat.created':
			case 'conversation.chat.in_progress':
				noteChat(data);
				break;
			case 'conversation.message.delta': {
				const key = data.id === undefined ? '' : String(data.id);
				let entry = partial.get(key);
				if (!entry) {
					// The first delta's other fields are kept as the message's: counted whole.
					entry = { message: messageFields(data), parts: [], reasoning: [], keptChars: event.data.length };
					partial.set(key, entry);
					keep(event.data.length);
				}
				const text = typeof data.content === 'string' ? data.content : '';
				// Reasoning models stream their thinking in reasoning_content before the answer (§10.1).
				const thought = typeof data.reasoning_content === 'string' ? data.reasoning_content : '';
				keep(text.length + thought.length);
				entry.keptChars += text.length + thought.length;
				entry.parts.push(text);
				if (thought) entry.reasoning.push(thought);
				break;
			}
			case 'conversation.message.completed': {
				const key = data.id === undefined ? '' : String(data.id);
				const before = partial.get(key);
				if (before) keptChars -= before.keptChars;
				partial.delete(key);
				const message = messageFields(data);
				if (typeof data.content !== 'string' && before) message.content = before.parts.join('');
				// The whole message is kept: counted as its event's data (its content may come from the deltas).
				keep(event.data.length + (typeof data.content !== 'string' && before ? String(message.content).length : 0));
				messages.push(message);
				break;
			}
			case 'conversation.chat.completed':
				noteChat(data);
				status = 'completed';
				break;
			case 'conversation.chat.requires_action':
				noteChat(data);
				status = 'requires_action';
				break;
			case 'conversation.chat.canceled':
			case 'conversation.chat.cancelled': // Coze Studio's spelling (§10.6)
				noteChat(data);
				status = 'canceled';
				break;
			case 'conversation.chat.failed':
				throw new WorkflowStreamFailure(chatFailureOf(isPlainObject(data.last_error) ? data.last_error : data));
			case 'error':
				throw new WorkflowStreamFailure(chatFailureOf(data, event.data));
			default:
				// PING heartbeats and audio deltas carry nothing a turn keeps.
				break;
		}
	}
	if (status) return finish(status);
	throw new WorkflowStreamEndedEarly('The chat stream ended before the chat finished');
}

/**
 * Follows a chatflow's event stream to its end and returns the assistant's answer. A question
 * node ends the chat with requires_action: the question is the answer text so far, and the next
 * Chat call carries the user's reply.
 */
export async function foldChatStream(events: AsyncIterable<SseEvent>, maxKeptChars = MAX_KEPT_CHARS): Promise<ChatResult> {
	const turn = await foldChatEvents(events, maxKeptChars);
	const result: ChatResult = { answer: answerOf(turn.messages), status: turn.status };
	const { conversationId, chatId } = turnIdsOf(turn);
	if (conversationId !== undefined) result.conversation_id = String(conversationId);
	if (chatId !== undefined) result.chat_id = String(chatId);
	if (isPlainObject(turn.chat.usage)) result.usage = turn.chat.usage as IDataObject;
	if (turn.status === 'requires_action') result.required_action = isPlainObject(turn.chat.required_action) ? (turn.chat.required_action as IDataObject) : {};
	return result;
}

/** A turn's conversation and chat ids, as Coze sent them: the chat object's, else its messages'. */
export function turnIdsOf(turn: Pick<ChatTurn, 'chat' | 'messages'>): { conversationId: unknown; chatId: unknown } {
	return {
		conversationId: turn.chat.conversation_id ?? turn.messages.find((message) => message.conversation_id !== undefined)?.conversation_id,
		chatId: turn.chat.id ?? turn.messages.find((message) => message.chat_id !== undefined)?.chat_id,
	};
}

/** The assistant's answer in a turn's messages: its answer messages' text, in order. */
export function answerOf(messages: IDataObject[]): string {
	return messages
		.filter(isAnswer)
		.map((message) => (typeof message.content === 'string' ? message.content : ''))
		.join('');
}

export function isAnswer(message: IDataObject): boolean {
	return (message.role === undefined || message.role === 'assistant') && (message.type === undefined || message.type === 'answer');
}

/** A message event's data as the turn keeps it (the delta's own text is not the message's). */
function messageFields(data: Record<string, unknown>): IDataObject {
	return { ...(data as IDataObject) };
}

export function chatFailureOf(data: Record<string, unknown>, text?: string): CozeFailure {
	const studio = studioErrorOf(data.msg);
	if (studio) return studio;
	const code = Number(data.code ?? data.error_code);
	const msg = data.msg ?? data.error_message ?? data.message;
	return {
		code: Number.isFinite(code) ? code : undefined,
		msg: typeof msg === 'string' ? msg : text?.trim() || 'The chat failed',
	};
}
