/**
 * Public types of the agent (bot) part of the emulator: the agent catalogue, the options of the
 * chat engine and what tests can read back (conversation messages, chats). See agentCatalogue.ts
 * for the default agents and agentModel.ts for the engine; coze-api.md §10 for the wire facts.
 */
import type { Chunking, RecordedRequest } from './types';

/**
 * What an agent does with a chat (agentModel.ts `planChat`):
 * - `echo`: `Echo: <user text> (turn N)[ [vars: k=v,…]][ [image:…]…]`, 2 follow_up messages and a verbose
 *   generate_answer_finish message after the answer;
 * - `tool`: cloud → requires_action (get_weather) until submit_tool_outputs; Studio → answers itself;
 * - `reasoning`: deltas carry `reasoning_content` first, then `content`;
 * - `failing`: cloud `conversation.chat.failed` (last_error 5000), Studio `event:error` without done;
 * - `slow`: stays in_progress for `AgentOptions.slowMs` before answering like `echo`.
 */
export type AgentBehaviour = 'echo' | 'tool' | 'reasoning' | 'failing' | 'slow';

export interface CatalogueAgent {
	/** 19-digit id (a string, as both dialects send ids). */
	id: string;
	name: string;
	description: string;
	behaviour: AgentBehaviour;
	/** The workspace (space) it lives in. */
	workspaceId: string;
	/** false: a draft, never published (listed only with publish_status all / unpublished_draft; chats → 4015 on cloud). */
	published: boolean;
	iconUrl: string;
	/** Unix seconds. */
	createdAt: number;
	updatedAt: number;
	publishedAt?: number;
	prompt: string;
	prologue: string;
	suggestedQuestions: string[];
}

export interface AgentOptions {
	/** Time (ms) a chat stays in_progress before its answer (both stream and non-stream). Default 300. */
	latencyMs: number;
	/** Extra time (ms) the `slow` agent stays in_progress. Default 2000. */
	slowMs: number;
	/** Characters (code points) per answer delta. Default 3. */
	deltaChars: number;
	/** SSE write chunking of the chat streams (as the workflow streams' `chunking`). Default `whole`. */
	chunking: Chunking;
	/** Pause between two SSE writes (ms). Default 0. */
	delayMs: number;
	/** Line ending of the SSE lines. Default `\n`. */
	lineEnding: '\n' | '\r\n';
	/** cloud: code for a bot id the account does not know. ASSUMPTION (sources silent): default 4200; 4015 also plausible. */
	unknownBotCode: 4200 | 4015;
	/**
	 * Studio: status of a cancelled chat in retrieve / cancel answers. Default
	 * `conversation.chat.cancelled` (the DAO bug, coze-api.md §10.6 item 2); `cancelled` is the intended value.
	 */
	studioCancelledStatus: 'conversation.chat.cancelled' | 'cancelled';
	/**
	 * cloud `POST /v1/conversation/message/list`: which message types it lists. ASSUMPTION (cloud docs silent):
	 * default `all`; `questionAnswer` = only question/answer, as Studio does.
	 */
	cloudConversationListTypes: 'all' | 'questionAnswer';
}

/** A message the emulator holds in a conversation (conversationMessages). */
export interface ConversationMessage {
	id: string;
	conversationId: string;
	botId: string;
	/** '' for messages added by conversation/create or with no chat. */
	chatId: string;
	sectionId: string;
	role: 'user' | 'assistant';
	type: string;
	content: string;
	contentType: string;
	reasoningContent?: string;
	metaData: Record<string, string>;
	/** Unix seconds. */
	createdAt: number;
}

/** A chat as the emulator holds it (agentChat). */
export interface AgentChatSnapshot {
	id: string;
	conversationId: string;
	botId: string;
	sectionId: string;
	userId: string;
	/** Dialect spelling (cloud `canceled`, Studio `cancelled`). */
	status: string;
	stream: boolean;
	createdAt: number;
	completedAt?: number;
	failedAt?: number;
	/** Open tool calls (cloud requires_action). */
	toolCallIds: string[];
}

/** The agent part of CozeEmulator (index.ts attaches it). */
export interface AgentEmulatorApi {
	/** The agent catalogue (a copy). Default DEFAULT_AGENTS. */
	readonly agents: CatalogueAgent[];
	setAgents(agents: CatalogueAgent[]): void;
	/** Current options (a copy). */
	readonly agentOptions: AgentOptions;
	/** Changes some options (the others stay); `reset()` restores the defaults / StartOptions.agentOptions. */
	setAgentOptions(opts: Partial<AgentOptions>): void;
	/** Shorthand for `setAgentOptions({ latencyMs })`. */
	setAgentLatency(ms: number): void;
	/** Every message the emulator holds in that conversation, oldest first ([] if unknown). */
	conversationMessages(conversationId: string): ConversationMessage[];
	/** `POST /v3/chat` requests received whose body named this bot_id, in arrival order. */
	chatRequestsOf(botId: string): RecordedRequest[];
	/** `POST /v3/chat/submit_tool_outputs` requests received for chats of this bot. */
	toolOutputRequestsOf(botId: string): RecordedRequest[];
	/** The chat (advanced to now), or undefined. */
	agentChat(chatId: string): AgentChatSnapshot | undefined;
}
