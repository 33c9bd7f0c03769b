import type { IDataObject } from 'n8n-workflow';

import type { ChatTurn } from './chatStream';

/** A turn as the node outputs it: streamed (ChatTurn) or read back, whose status may be any of Coze's. */
export type AgentTurn = Omit<ChatTurn, 'status'> & { status: string };
import { answerOf, turnIdsOf } from './chatStream';
import { isPlainObject, parseJsonKeepingBigIntegers } from './json';

/** Message types a user sees in a turn; the rest (tool calls, their results, verbose) only on request (§10.1). */
const CONVERSATION_TYPES = new Set(['question', 'answer', 'follow_up']);

/**
 * A chat object's status in cloud's words: Coze Studio writes `cancelled`, and its store records a
 * cancelled run as `conversation.chat.cancelled` (§10.6).
 */
export function chatStatusOf(chat: IDataObject): string {
	const status = String(chat.status ?? '');
	if (status === 'cancelled' || status === 'conversation.chat.cancelled') return 'canceled';
	if (status === 'required_action') return 'requires_action';
	return status;
}

/** Chat statuses after which Coze changes nothing more (§10.2); Studio also ends a chat as expired. */
export const FINAL_CHAT_STATUSES = new Set(['completed', 'failed', 'requires_action', 'canceled', 'expired']);

/**
 * The output of one agent chat turn, whether it was streamed or polled: the answer, the
 * follow-up suggestions, the turn's messages, and what a flow needs to continue (ids, the
 * tool calls the agent waits for).
 */
export function agentTurnOutput(turn: AgentTurn, options: { includeToolMessages: boolean }): IDataObject {
	const { chat, messages } = turn;
	const ids = turnIdsOf(turn);
	// A polled turn's list holds the user's own messages too; a streamed one never does.
	const assistant = messages.filter((message) => message.role === undefined || message.role === 'assistant');
	const output: IDataObject = {
		answer: answerOf(assistant),
		follow_ups: assistant.filter((message) => message.type === 'follow_up').map((message) => String(message.content ?? '')),
		status: turn.status,
		conversation_id: stringOrUndefined(ids.conversationId),
		chat_id: stringOrUndefined(ids.chatId),
	};
	const reasoning = assistant
		.map((message) => (typeof message.reasoning_content === 'string' ? message.reasoning_content : ''))
		.join('');
	if (reasoning) output.reasoning = reasoning;
	if (isPlainObject(chat.usage)) output.usage = chat.usage as IDataObject;
	if (turn.status === 'requires_action') {
		output.tool_calls = toolCallsOf(chat.required_action);
		output.required_action = isPlainObject(chat.required_action) ? (chat.required_action as IDataObject) : {};
	}
	output.messages = options.includeToolMessages
		? assistant
		: assistant.filter((message) => CONVERSATION_TYPES.has(String(message.type ?? 'answer')));
	for (const key of Object.keys(output)) if (output[key] === undefined) delete output[key];
	return output;
}

/**
 * The function calls a requires_action chat waits for, each with its arguments parsed:
 * required_action.submit_tool_outputs.tool_calls[] of {id, type, function: {name, arguments}} (§10.1).
 */
export function toolCallsOf(requiredAction: unknown): IDataObject[] {
	const action = isPlainObject(requiredAction) ? requiredAction : {};
	const submit = isPlainObject(action.submit_tool_outputs) ? action.submit_tool_outputs : {};
	const calls = Array.isArray(submit.tool_calls) ? submit.tool_calls.filter(isPlainObject) : [];
	return calls.map((call) => {
		const fn = isPlainObject(call.function) ? call.function : {};
		return {
			id: String(call.id ?? ''),
			type: String(call.type ?? 'function'),
			name: String(fn.name ?? ''),
			arguments: parsedArguments(fn.arguments),
		};
	});
}

function parsedArguments(value: unknown): IDataObject[string] {
	if (typeof value !== 'string') return (value ?? {}) as IDataObject;
	try {
		return parseJsonKeepingBigIntegers(value) as IDataObject;
	} catch {
		return value;
	}
}

function stringOrUndefined(value: unknown): string | undefined {
	return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** A chat object from /v3/chat, /v3/chat/retrieve or /v3/chat/cancel: the `data` of the answer. */
export function chatObjectOf(body: Record<string, unknown>): IDataObject {
	if (isPlainObject(body.data)) return body.data as IDataObject;
	// Coze Studio's cancel answers {"ChatV3ChatDetail": {…}} (§10.6).
	return isPlainObject(body.ChatV3ChatDetail) ? (body.ChatV3ChatDetail as IDataObject) : {};
}

/** The messages of /v3/chat/message/list (`data` is an array; §10.2), oldest first as Coze sends them. */
export function chatMessagesOf(body: Record<string, unknown>): IDataObject[] {
	// Coze Studio puts the list under "Messages" (§10.6).
	const data = body.data ?? body.Messages;
	if (Array.isArray(data)) return data.filter(isPlainObject) as IDataObject[];
	// ASSUMPTION: some servers wrap a list as {messages: […]} or {data: […]}: accept both.
	if (isPlainObject(data)) {
		const inner = Array.isArray(data.messages) ? data.messages : Array.isArray(data.data) ? data.data : [];
		return inner.filter(isPlainObject) as IDataObject[];
	}
	return [];
}
