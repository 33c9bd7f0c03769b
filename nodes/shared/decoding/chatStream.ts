import type { IDataObject } from 'n8n-workflow';

import type { CozeFailure } from './errors';
import { isPlainObject } from './json';
import type { SseEvent } from './sse';
import { MAX_KEPT_CHARS, parseEventData, WorkflowStreamEndedEarly, WorkflowStreamFailure, WorkflowStreamTooLarge } from './workflowStream';

export interface ChatResult {
	answer: string;
	status: string;
	conversation_id?: string;
	chat_id?: string;
	usage?: IDataObject;
	required_action?: IDataObject;
}

/**
 * Follows a chatflow's event stream (the conversation.* event family) to its end and returns
 * the assistant's answer. A question node ends the chat with requires_action: the question is
 * the answer text so far, and the next Chat call carries the user's reply.
 */
export async function foldChatStream(events: AsyncIterable<SseEvent>, maxKeptChars = MAX_KEPT_CHARS): Promise<ChatResult> {
	const deltas: string[] = [];
	let keptChars = 0;
	let completedAnswer: string | undefined;
	const result: ChatResult = { answer: '', status: '' };

	const noteChat = (data: Record<string, unknown>) => {
		if (data.conversation_id !== undefined) result.conversation_id = String(data.conversation_id);
		const chatId = data.chat_id ?? (data.status !== undefined ? data.id : undefined);
		if (chatId !== undefined) result.chat_id = String(chatId);
		if (isPlainObject(data.usage)) result.usage = data.usage as IDataObject;
	};
	const finish = (status: string): ChatResult => {
		result.status = status;
		result.answer = completedAnswer ?? deltas.join('');
		return result;
	};

	for await (const event of events) {
		const name = event.event.toLowerCase();
		if (name === 'done') return finish(result.status || 'completed');
		const data = parseEventData(event, { required: name.startsWith('conversation.') });
		switch (name) {
			case 'conversation.chat.created':
			case 'conversation.chat.in_progress':
				noteChat(data);
				break;
			case 'conversation.message.delta':
				noteChat(data);
				if (isAnswer(data) && typeof data.content === 'string') {
					// The answer's deltas are kept until the chat completes: bounded like a workflow's output.
					keptChars += data.content.length;
					if (keptChars > maxKeptChars) throw new WorkflowStreamTooLarge(maxKeptChars, 'chat');
					deltas.push(data.content);
				}
				break;
			case 'conversation.message.completed':
				noteChat(data);
				if (isAnswer(data) && typeof data.content === 'string') completedAnswer = data.content;
				break;
			case 'conversation.chat.completed':
				noteChat(data);
				result.status = 'completed';
				break;
			case 'conversation.chat.requires_action':
				noteChat(data);
				result.status = 'requires_action';
				result.required_action = isPlainObject(data.required_action) ? (data.required_action as IDataObject) : {};
				break;
			case 'conversation.chat.failed':
				throw new WorkflowStreamFailure(failureOf(isPlainObject(data.last_error) ? data.last_error : data));
			case 'error':
				throw new WorkflowStreamFailure(failureOf(data, event.data));
			default:
				// PING heartbeats, verbose and follow-up messages carry nothing the answer needs.
				break;
		}
	}
	if (result.status === 'completed' || result.status === 'requires_action') return finish(result.status);
	throw new WorkflowStreamEndedEarly('The chat stream ended before the chat finished');
}

function isAnswer(data: Record<string, unknown>): boolean {
	return (data.role === undefined || data.role === 'assistant') && (data.type === undefined || data.type === 'answer');
}

function failureOf(data: Record<string, unknown>, text?: string): CozeFailure {
	const code = Number(data.code ?? data.error_code);
	const msg = data.msg ?? data.error_message ?? data.message;
	return {
		code: Number.isFinite(code) ? code : undefined,
		msg: typeof msg === 'string' ? msg : text?.trim() || 'The chat failed',
	};
}
