/**
 * The agent part of the public CozeEmulator object (agentTypes.ts AgentEmulatorApi), attached by
 * index.ts; `resetAgents` is what `reset()` does for it.
 */
import { checkAgentOptions, DEFAULT_AGENT_OPTIONS, newDefaultAgents } from './agentCatalogue';
import { AGENT_CHAT_PATH, SUBMIT_TOOL_OUTPUTS_PATH } from './agentChat';
import type { AgentState } from './agentModel';
import { advance } from './agentModel';
import type { AgentChatSnapshot, AgentEmulatorApi, AgentOptions, CatalogueAgent } from './agentTypes';
import { clone } from './catalogue';
import type { EmulatorState } from './core';
import { routedPath } from './core';
import { isJsonObject } from './json';
import type { StartOptions } from './types';

function startOptions(opts: StartOptions): AgentOptions {
	const o: AgentOptions = { ...DEFAULT_AGENT_OPTIONS, ...clone(opts.agentOptions ?? {}) };
	checkAgentOptions(o);
	return o;
}

export function newAgentState(opts: StartOptions): AgentState {
	return { catalogue: opts.agents ? clone(opts.agents) : newDefaultAgents(), options: startOptions(opts), chats: new Map() };
}

export function resetAgents(state: EmulatorState, opts: StartOptions): void {
	const a = state.agents;
	a.catalogue = opts.agents ? clone(opts.agents) : newDefaultAgents();
	a.options = startOptions(opts);
	for (const c of a.chats.values()) for (const wake of c.onCancel.splice(0)) wake();
	a.chats.clear();
}

/** Defines the AgentEmulatorApi members on `target` (getters stay live). */
export function attachAgentApi<T extends object>(target: T, state: EmulatorState): T & AgentEmulatorApi {
	const posts = (path: string): Array<EmulatorState['requests'][number]> =>
		state.requests.filter((r) => r.method === 'POST' && routedPath(state.dialect, r.path) === path);
	const api: Omit<AgentEmulatorApi, 'agents' | 'agentOptions'> = {
		setAgents: (agents: CatalogueAgent[]) => void (state.agents.catalogue = clone(agents)),
		setAgentOptions: (o: Partial<AgentOptions>) => {
			const next = { ...state.agents.options, ...clone(o) };
			checkAgentOptions(next);
			state.agents.options = next;
		},
		setAgentLatency: (ms: number) => api.setAgentOptions({ latencyMs: ms }),
		conversationMessages: (id: string) => clone(state.conversations.get(id)?.messages ?? []),
		chatRequestsOf: (botId: string) => posts(AGENT_CHAT_PATH).filter((r) => isJsonObject(r.body) && r.body.bot_id === botId),
		toolOutputRequestsOf: (botId: string) =>
			posts(SUBMIT_TOOL_OUTPUTS_PATH).filter((r) => state.agents.chats.get(r.query.chat_id ?? '')?.botId === botId),
		agentChat: (chatId: string): AgentChatSnapshot | undefined => {
			const c = state.agents.chats.get(chatId);
			if (!c) return undefined;
			advance(state, c);
			return {
				id: c.id,
				conversationId: c.conversationId,
				botId: c.botId,
				sectionId: c.sectionId,
				userId: c.userId,
				status: state.dialect === 'studio' && c.status === 'canceled' ? 'cancelled' : c.status,
				stream: c.stream,
				createdAt: c.createdAt,
				...(c.completedAt !== undefined ? { completedAt: c.completedAt } : {}),
				...(c.failedAt !== undefined ? { failedAt: c.failedAt } : {}),
				toolCallIds: c.toolCalls.map((t) => t.id),
			};
		},
	};
	Object.assign(target, api);
	Object.defineProperty(target, 'agents', { enumerable: true, get: () => clone(state.agents.catalogue) });
	Object.defineProperty(target, 'agentOptions', { enumerable: true, get: () => clone(state.agents.options) });
	return target as T & AgentEmulatorApi;
}
