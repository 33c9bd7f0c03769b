/**
 * The agent chat engine shared by agentChat.ts (JSON endpoints) and agentChatStream.ts (SSE):
 * what a chat produces (`planChat`: a phase of messages and a final status), how it advances on
 * the clock (`advance`: a non-stream chat is `created` when answered, then `in_progress` until
 * `latencyMs` (+ `slowMs`) has passed, then final — ASSUMPTION: the real server's timing is its
 * model's; only the states and their order are documented [DOC:https://docs.coze.cn/developer_guides_chat_v3.md]),
 * and the conversations' message history (core.ts Conversation `messages`).
 *
 * Statuses are kept in cloud spelling [JS:resources/chat/chat.ts ChatStatus]; agentJson.ts renders
 * Studio's `cancelled` [ST:domain/conversation/agentrun/entity/const.go RunStatus].
 */
import {
	ECHO_FOLLOW_UPS,
	FAILING_AGENT_ERROR,
	STUDIO_WEATHER_OUTPUT,
	WEATHER_TOOL_NAME,
} from './agentCatalogue';
import type { AgentOptions, CatalogueAgent, ConversationMessage } from './agentTypes';
import type { Conversation, EmulatorState } from './core';
import { toJson } from './json';
import type { Usage } from './types';

export type ChatStatus = 'created' | 'in_progress' | 'completed' | 'failed' | 'requires_action' | 'canceled';

export interface PlannedMessage {
	id: string;
	type: string;
	content: string;
	contentType: string;
	reasoning?: string;
	/** Sent as deltas before its `message.completed` (answers only). */
	deltas: boolean;
}

export interface ChatPhase {
	/** ms in_progress before the first message. */
	waitMs: number;
	messages: PlannedMessage[];
	final: 'completed' | 'requires_action' | 'failed';
}

export interface ToolCall {
	id: string;
	name: string;
	arguments: string;
}

export interface AgentChat {
	id: string;
	conversationId: string;
	botId: string;
	sectionId: string;
	userId: string;
	behaviour: CatalogueAgent['behaviour'];
	stream: boolean;
	status: ChatStatus;
	createdAt: number;
	completedAt?: number;
	failedAt?: number;
	lastError?: { code: number; msg: string };
	metaData?: Record<string, string>;
	/** Date.now() when the current phase started. */
	phaseStartedAt: number;
	phase: ChatPhase;
	/** `stream`: an SSE writer drives the phase; `clock`: `advance` does. */
	driver: 'stream' | 'clock';
	toolCalls: ToolCall[];
	inputChars: number;
	outputChars: number;
	usage?: Usage;
	/** Called (once) on cancel, to wake a stream waiting in its phase. */
	onCancel: Array<() => void>;
}

export interface AgentState {
	catalogue: CatalogueAgent[];
	options: AgentOptions;
	readonly chats: Map<string, AgentChat>;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function messagesOf(conv: Conversation): ConversationMessage[] {
	conv.messages ??= [];
	return conv.messages;
}

export function isActive(chat: AgentChat): boolean {
	return chat.status === 'created' || chat.status === 'in_progress';
}

/** A user's turn as parsed from additional_messages (agentChat.ts). */
export interface UserTurn {
	/** Text of the last user message (object_string: its text items joined by a space). */
	text: string;
	/** `image:<ref>` / `file:<ref>` of the last user message's object_string items, in order. */
	attachments: string[];
	customVariables?: Record<string, string>;
}

/** Splits into pieces of `n` code points. */
export function pieces(text: string, n: number): string[] {
	const cps = [...text];
	const out: string[] = [];
	for (let i = 0; i < cps.length; i += n) out.push(cps.slice(i, i + n).join(''));
	return out.length > 0 ? out : [''];
}

/** Verbose "all answers done" content: cloud FinData [DOC:third-party capture, coze-api.md §10.1], Studio fin_data [ST:domain/conversation/agentrun/internal/message_builder.go]. */
export function verboseContent(state: EmulatorState): string {
	if (state.dialect === 'cloud') {
		return toJson({ msg_type: 'generate_answer_finish', data: toJson({ finish_reason: 0, FinData: '' }), from_module: null, from_unit: null });
	}
	return toJson({ msg_type: 'generate_answer_finish', data: toJson({ finish_reason: 0, fin_data: '' }), from_unit: '' });
}

/** The echo agent's answer (agentTypes.ts AgentBehaviour). */
export function echoText(turn: UserTurn, n: number): string {
	let s = `Echo: ${turn.text} (turn ${n})`;
	const vars = turn.customVariables;
	if (vars && Object.keys(vars).length > 0) {
		s += ` [vars: ${Object.keys(vars).sort().map((k) => `${k}=${vars[k]}`).join(',')}]`;
	}
	for (const a of turn.attachments) s += ` [${a}]`;
	return s;
}

/** Reasoning agent: what its reasoning_content says (content is the echo text). */
export function reasoningText(turn: UserTurn): string {
	return `The user wrote "${turn.text}"; I will echo it.`;
}

export function weatherAnswer(output: string): string {
	return `The weather: ${output}`;
}

/** User questions in the conversation's current section (the one just added included). */
export function turnNumber(conv: Conversation): number {
	return messagesOf(conv).filter((m) => m.sectionId === conv.sectionId && m.role === 'user' && m.type === 'question').length;
}

/** What this chat will do (first phase). The user's messages are already in the conversation. */
export function planChat(state: EmulatorState, agent: CatalogueAgent, conv: Conversation, turn: UserTurn): { phase: ChatPhase; toolCalls: ToolCall[] } {
	const o = state.agents.options;
	const id = (): string => state.ids.nextId();
	const msg = (type: string, content: string, extra: Partial<PlannedMessage> = {}): PlannedMessage => ({
		id: id(),
		type,
		content,
		contentType: 'text',
		deltas: type === 'answer',
		...extra,
	});
	const verbose = (): PlannedMessage => msg('verbose', verboseContent(state));
	const n = turnNumber(conv);
	switch (agent.behaviour) {
		case 'echo':
		case 'slow':
			return {
				phase: {
					waitMs: o.latencyMs + (agent.behaviour === 'slow' ? o.slowMs : 0),
					// Order answer → verbose → follow_ups: ASSUMPTION (the py capture has no follow_up; the docs list them after the answer).
					messages: [msg('answer', echoText(turn, n)), verbose(), ...ECHO_FOLLOW_UPS.map((f) => msg('follow_up', f))],
					final: 'completed',
				},
				toolCalls: [],
			};
		case 'reasoning':
			return { phase: { waitMs: o.latencyMs, messages: [msg('answer', echoText(turn, n), { reasoning: reasoningText(turn) }), verbose()], final: 'completed' }, toolCalls: [] };
		case 'failing':
			return { phase: { waitMs: o.latencyMs, messages: [], final: 'failed' }, toolCalls: [] };
		case 'tool': {
			const call: ToolCall = { id: `call_${id()}`, name: WEATHER_TOOL_NAME, arguments: toJson({ city: turn.text }) };
			// function_call content = the call as JSON [ST:domain/conversation/agentrun/internal/message_builder.go]; its keys: ASSUMPTION.
			const fc = msg('function_call', toJson({ name: call.name, arguments: { city: turn.text } }));
			if (state.dialect === 'studio') {
				// Studio never hands a tool call to the client (no requires_action, coze-api.md §10.6 item 4): it runs the tool itself.
				return {
					phase: { waitMs: o.latencyMs, messages: [fc, msg('tool_response', STUDIO_WEATHER_OUTPUT), msg('answer', weatherAnswer(STUDIO_WEATHER_OUTPUT)), verbose()], final: 'completed' },
					toolCalls: [],
				};
			}
			return { phase: { waitMs: o.latencyMs, messages: [fc], final: 'requires_action' }, toolCalls: [call] };
		}
	}
}

/** The phase after submit_tool_outputs (cloud): tool_response, the answer, verbose, completed. */
export function toolOutputPhase(state: EmulatorState, outputs: string[]): ChatPhase {
	const id = (): string => state.ids.nextId();
	const out = outputs.join('\n');
	return {
		waitMs: state.agents.options.latencyMs,
		messages: [
			...outputs.map((o): PlannedMessage => ({ id: id(), type: 'tool_response', content: o, contentType: 'text', deltas: false })),
			{ id: id(), type: 'answer', content: weatherAnswer(out), contentType: 'text', deltas: true },
			{ id: id(), type: 'verbose', content: verboseContent(state), contentType: 'text', deltas: false },
		],
		final: 'completed',
	};
}

/** Adds a planned message of the chat to its conversation (once). */
export function appendMessage(state: EmulatorState, chat: AgentChat, m: PlannedMessage): void {
	const conv = state.conversations.get(chat.conversationId);
	if (!conv) return;
	const list = messagesOf(conv);
	if (list.some((x) => x.id === m.id)) return;
	list.push({
		id: m.id,
		conversationId: chat.conversationId,
		botId: chat.botId,
		chatId: chat.id,
		sectionId: chat.sectionId,
		role: 'assistant',
		type: m.type,
		content: m.content,
		contentType: m.contentType,
		...(m.reasoning !== undefined ? { reasoningContent: m.reasoning } : {}),
		metaData: {},
		createdAt: nowSeconds(),
	});
	if (m.type === 'answer') chat.outputChars += [...m.content].length;
}

/** Ends the current phase: every remaining message is added, the final status set. */
export function finishPhase(state: EmulatorState, chat: AgentChat): void {
	if (!isActive(chat)) return;
	for (const m of chat.phase.messages) appendMessage(state, chat, m);
	const now = nowSeconds();
	chat.status = chat.phase.final;
	if (chat.status === 'completed') {
		chat.completedAt = now;
		chat.usage = { input_count: chat.inputChars, output_count: chat.outputChars, token_count: chat.inputChars + chat.outputChars };
	} else if (chat.status === 'failed') {
		chat.completedAt = now;
		chat.failedAt = now;
		chat.lastError = { ...FAILING_AGENT_ERROR };
	}
}

/** A clock-driven chat, advanced to now. */
export function advance(state: EmulatorState, chat: AgentChat): void {
	if (chat.driver !== 'clock' || !isActive(chat)) return;
	if (Date.now() >= chat.phaseStartedAt + chat.phase.waitMs) finishPhase(state, chat);
	else chat.status = 'in_progress';
}

export function cancelChat(chat: AgentChat): void {
	chat.status = 'canceled';
	chat.completedAt = nowSeconds();
	for (const wake of chat.onCancel.splice(0)) wake();
}

/** Studio's errorx text: `code=<errno> message=<msg>\nstack=…` [ST:pkg/errorx/internal/status.go]. */
export function studioErrText(errno: number, message: string): string {
	return `code=${errno} message=${message}\nstack=(stack trace elided by the Coze emulator)`;
}

/** Studio errnos of the conversation domain [ST:types/errno/conversation.go]. */
export const STUDIO_CONV_ERR = {
	invalidParam: 103000000,
	conversationNotFound: 103000002,
	agentRun: 103100001,
	agentNotExists: 103100002,
	recordNotFound: 103200003,
	cannotCancel: 103200005,
} as const;
