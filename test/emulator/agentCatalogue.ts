/**
 * The default agent (bot) catalogue: one agent per behaviour (agentTypes.ts AgentBehaviour) in the
 * Personal workspace, plus an unpublished draft. Ids 7567000000000000001…, 19 digits, strings.
 * UNKNOWN_AGENT_ID is never in the catalogue (for the unknown-bot errors).
 */
import type { AgentOptions, CatalogueAgent } from './agentTypes';
import { PERSONAL_WORKSPACE_ID } from './catalogue';

const AGENT_BASE = 7567000000000000000n;
const agentId = (n: number): string => (AGENT_BASE + BigInt(n)).toString();

export const ECHO_AGENT_ID = agentId(1);
export const TOOL_AGENT_ID = agentId(2);
export const REASONING_AGENT_ID = agentId(3);
export const FAILING_AGENT_ID = agentId(4);
export const SLOW_AGENT_ID = agentId(5);
/** An echo agent that was never published (cloud chats → 4015; listed only for all / unpublished_draft). */
export const DRAFT_AGENT_ID = agentId(6);
export const UNKNOWN_AGENT_ID = '7567999999999999999';

/** The echo agent's follow-up suggestions, in order. */
export const ECHO_FOLLOW_UPS: readonly string[] = Object.freeze(['Tell me more', 'What else can you do?']);
/** The tool agent's function. */
export const WEATHER_TOOL_NAME = 'get_weather';
/** What the tool agent's own tool answers on Studio (no requires_action there). ASSUMPTION: an emulator stand-in. */
export const STUDIO_WEATHER_OUTPUT = 'sunny, 25°C';
/** last_error of the failing agent on cloud [PY:tests/testdata/chat_failed_resp.txt]. */
export const FAILING_AGENT_ERROR = Object.freeze({ code: 5000, msg: 'event interval error' });

const T0 = 1767225600; // 2026-01-01T00:00:00Z

function agent(n: number, name: string, behaviour: CatalogueAgent['behaviour'], description: string, published = true): CatalogueAgent {
	return {
		id: agentId(n),
		name,
		description,
		behaviour,
		workspaceId: PERSONAL_WORKSPACE_ID,
		published,
		iconUrl: `https://coze-emulator.invalid/icon/agent-${n}.png`,
		createdAt: T0 + n * 60,
		updatedAt: T0 + 86400 - n * 60, // newest first in catalogue order
		...(published ? { publishedAt: T0 + 86400 - n * 60 } : {}),
		prompt: `You are ${name}.`,
		prologue: `Hello, I am ${name}.`,
		suggestedQuestions: ['What can you do?'],
	};
}

export const DEFAULT_AGENTS: readonly CatalogueAgent[] = Object.freeze([
	agent(1, 'Support assistant 客服助手', 'echo', 'Echoes what you say, counts the turns'),
	agent(2, 'Weather agent', 'tool', 'Asks the client to run get_weather (cloud), answers with its output'),
	agent(3, 'Reasoning agent 推理助手', 'reasoning', 'Thinks (reasoning_content) before it answers'),
	agent(4, 'Failing agent', 'failing', 'Every chat fails'),
	agent(5, 'Slow agent', 'slow', 'Stays in progress for a while before answering'),
	agent(6, 'Draft agent 草稿', 'echo', 'Never published', false),
]);

export function newDefaultAgents(): CatalogueAgent[] {
	return DEFAULT_AGENTS.map((a) => ({ ...a, suggestedQuestions: [...a.suggestedQuestions] }));
}

export const DEFAULT_AGENT_OPTIONS: Readonly<AgentOptions> = Object.freeze({
	latencyMs: 300,
	slowMs: 2000,
	deltaChars: 3,
	chunking: 'whole',
	delayMs: 0,
	lineEnding: '\n',
	unknownBotCode: 4200,
	studioCancelledStatus: 'conversation.chat.cancelled',
	cloudConversationListTypes: 'all',
});

export function checkAgentOptions(o: AgentOptions): void {
	for (const k of ['latencyMs', 'slowMs', 'delayMs'] as const) {
		if (!(Number.isFinite(o[k]) && o[k] >= 0)) throw new RangeError(`agentOptions.${k} must be a finite number >= 0`);
	}
	if (!(Number.isInteger(o.deltaChars) && o.deltaChars >= 1)) throw new RangeError('agentOptions.deltaChars must be an integer >= 1');
	if (o.unknownBotCode !== 4200 && o.unknownBotCode !== 4015) throw new RangeError('agentOptions.unknownBotCode must be 4200 or 4015');
}
