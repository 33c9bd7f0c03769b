import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { streamFailure } from '../../../shared/actions/streamFailure';
import type { ChatRef } from '../../../shared/api/agents';
import type { CallLimits, StreamLimits } from '../../../shared/api/workflows';
import { idleTimeoutMsOf } from '../../../shared/descriptions/options';
import { listChatMessages, retrieveChat } from '../../../shared/api/agents';
import { agentTurnOutput, chatMessagesOf, chatObjectOf, chatStatusOf, FINAL_CHAT_STATUSES } from '../../../shared/decoding/agentChat';
import { foldChatEvents } from '../../../shared/decoding/chatStream';
import { cozeApiError } from '../../../shared/decoding/errors';
import type { CozeConnection, CozeResponse, CozeStream } from '../../../shared/transport';
import { msToSecondsLabel } from '../../../shared/utils/values';
import { waitUnlessCancelled } from '../../../shared/utils/wait';

/** How an operation that sends a message waits for the agent's answer. */
export interface ChatWait {
	itemIndex: number;
	/** The whole wait, from the message's send to the answer's last message. */
	timeoutMs: number;
	pollIntervalMs: number;
	includeToolMessages: boolean;
}

const MAY_HAVE_ANSWERED =
	'The message was not resent automatically, because the agent may have received it; look at the chat with Get Chat before sending it again.';

/** The two ways of sending a message: with `stream: false` (then polled) or as a stream. */
export interface ChatSend {
	polled: (limits: CallLimits) => Promise<CozeResponse>;
	streamed: (limits: StreamLimits) => Promise<CozeStream>;
}

/**
 * Sends the message the way Response Mode says and follows it to the end of the agent's answer,
 * all within Timeout from the send.
 */
export async function sendAndFollow(
	this: IExecuteFunctions,
	connection: CozeConnection,
	send: ChatSend,
	options: { responseMode?: string; idleTimeout?: number },
	wait: ChatWait,
): Promise<IDataObject> {
	const startedAt = Date.now();
	const limits = { itemIndex: wait.itemIndex, timeoutMs: wait.timeoutMs };
	if (options.responseMode === 'poll') return await polledTurn.call(this, connection, await send.polled(limits), wait, startedAt);
	const stream = await send.streamed({ ...limits, idleTimeoutMs: idleTimeoutMsOf(options.idleTimeout, connection.region) });
	return await streamedTurn.call(this, stream, wait);
}

/** Folds a streamed chat turn into the node's output. */
export async function streamedTurn(this: IExecuteFunctions, stream: CozeStream, wait: ChatWait): Promise<IDataObject> {
	let seen: IDataObject = {};
	let turn;
	try {
		turn = await foldChatEvents(stream.events, stream.maxKeptChars, { onChat: (chat) => (seen = chat), requireFinalEvent: true });
	} catch (error) {
		const nodeError = streamFailure(
			this.getNode(),
			error,
			stream.logid,
			wait.itemIndex,
			{ summary: 'The chat stream from Coze ended before the agent finished answering', hint: `The connection closed without a final event. ${MAY_HAVE_ANSWERED}` },
			MAY_HAVE_ANSWERED,
			'agent',
		);
		throw withChatIds(nodeError, refOf(seen));
	}
	return withLogid(agentTurnOutput(turn, wait), stream.logid);
}

/**
 * Follows a chat started without a stream: polls its status (GET /v3/chat/retrieve, §10.2) until
 * it ends or Timeout passes, then reads its messages. Coze Studio answers the start at status
 * "created", so the first answer is never taken for the end (§10.6).
 */
export async function polledTurn(this: IExecuteFunctions, connection: CozeConnection, started: CozeResponse, wait: ChatWait, startedAt: number): Promise<IDataObject> {
	const node = this.getNode();
	const signal = this.getExecutionCancelSignal();
	const deadline = startedAt + wait.timeoutMs;
	let chat = chatObjectOf(started.body);
	const ref = refOf(chat);
	if (!ref.conversationId || !ref.chatId) {
		throw cozeApiError(node, { logid: started.logid, subject: 'agent' }, wait.itemIndex, {
			summary: 'Coze accepted the message but sent back no conversation or chat ID',
			hint: `The answer cannot be followed. ${MAY_HAVE_ANSWERED}`,
		});
	}
	const remaining = () => deadline - Date.now();
	// A Poll Interval mapped to 0 or to no number must not turn the wait into a busy loop.
	const intervalMs = Number.isFinite(wait.pollIntervalMs) ? Math.max(MIN_POLL_INTERVAL_MS, wait.pollIntervalMs) : MIN_POLL_INTERVAL_MS;
	while (!FINAL_CHAT_STATUSES.has(chatStatusOf(chat))) {
		if (remaining() <= 0) throw stillAnswering(this, ref, wait);
		if (!(await waitUnlessCancelled(Math.min(intervalMs, remaining()), signal))) {
			throw cozeApiError(node, {}, wait.itemIndex, {
				summary: 'Stopped waiting for the agent because the execution stopped',
				hint: `The chat goes on in Coze: conversation ${ref.conversationId}, chat ${ref.chatId}.`,
			});
		}
		if (remaining() <= 0) throw stillAnswering(this, ref, wait);
		const looked = await lookUp(retrieveChat.call(this, connection, ref, { itemIndex: wait.itemIndex, timeoutMs: remaining() }), ref);
		chat = { ...chat, ...chatObjectOf(looked.body) };
	}
	const status = chatStatusOf(chat);
	if (status === 'failed' || status === 'expired') throw chatFailed(this, chat, wait.itemIndex, started.logid);
	if (remaining() <= 0) {
		throw cozeApiError(node, {}, wait.itemIndex, {
			summary: `The agent answered, but Timeout (${msToSecondsLabel(wait.timeoutMs)}) ran out before its messages were read`,
			hint: `Read them with Get Chat (conversation ${ref.conversationId}, chat ${ref.chatId}), or raise Timeout.`,
		});
	}
	const listed = await lookUp(listChatMessages.call(this, connection, ref, { itemIndex: wait.itemIndex, timeoutMs: remaining() }), ref);
	return withLogid(agentTurnOutput({ status, chat, messages: chatMessagesOf(listed.body) }, wait), started.logid);
}

const MIN_POLL_INTERVAL_MS = 100;

/** A lookup of a chat that Coze has taken: its failure says which chat, for Get Chat. */
async function lookUp(request: Promise<CozeResponse>, ref: ChatRef): Promise<CozeResponse> {
	try {
		return await request;
	} catch (error) {
		throw withChatIds(error, ref);
	}
}

function refOf(chat: IDataObject): ChatRef {
	return { conversationId: String(chat.conversation_id ?? ''), chatId: String(chat.id ?? '') };
}

/** Adds which chat an error is about, when it is known, so that Get Chat can look at it. */
function withChatIds<T>(error: T, ref: ChatRef): T {
	if (error instanceof NodeApiError && ref.conversationId && ref.chatId) {
		error.description = `${error.description ?? ''}\nThe chat: conversation ${ref.conversationId}, chat ${ref.chatId}.`.trim();
	}
	return error;
}

/** A failed chat as an error: Coze's last_error when it gives one (Coze Studio never does, §10.6). */
export function chatFailed(context: IExecuteFunctions, chat: IDataObject, itemIndex: number, logid?: string) {
	const lastError = (chat.last_error ?? {}) as { code?: unknown; msg?: unknown };
	const code = Number(lastError.code);
	if (Number.isFinite(code) && code !== 0) {
		return cozeApiError(context.getNode(), { code, msg: String(lastError.msg ?? ''), logid, subject: 'agent' }, itemIndex);
	}
	return cozeApiError(context.getNode(), { logid, subject: 'agent' }, itemIndex, {
		summary: `The agent's chat ended with status ${chatStatusOf(chat)}`,
		hint: "Coze gave no reason. Open the agent in Coze and try the message there; check its model, plugins and the account's balance.",
	});
}

function stillAnswering(context: IExecuteFunctions, ref: ChatRef, wait: ChatWait) {
	return cozeApiError(context.getNode(), {}, wait.itemIndex, {
		summary: `The agent was still answering after ${msToSecondsLabel(wait.timeoutMs)}`,
		hint: `It goes on in Coze: read the answer later with Get Chat (conversation ${ref.conversationId}, chat ${ref.chatId}), or raise Timeout.`,
	});
}

function withLogid(output: IDataObject, logid: string | undefined): IDataObject {
	if (logid) output.logid = logid;
	return output;
}
