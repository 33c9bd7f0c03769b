/**
 * What a hostile review found in the Coze node, kept fixed: waits within Timeout (a retry too),
 * a Poll Interval of 0, IDs mapped as numbers, the chat named in errors after Coze took the
 * message, Coze Studio's plain-text errors.
 */
import { ECHO_AGENT_ID, SLOW_AGENT_ID } from '../emulator/agentCatalogue';
import { chatParameters, cozeParameters } from '../harness/agents';
import { useNodeRuns } from '../harness/nodeRuns';
import { MARGIN_MS, runParametersFor } from '../harness/parameters';

const TOKEN = 'pat_agent_limits_secret_token_0123456789';

describe('Coze node limits', () => {
	const { emulators, run } = useNodeRuns(TOKEN);

	it('a retry runs only for what is left of Timeout, not for a Timeout of its own', async () => {
		const WF = '7398123456789012301';
		// Refused at once with Retry-After 3 s, then a server that never answers: 4 s in all, not 3 + 4.
		emulators.cloud.queueFaults(WF, [{ kind: 'rateLimit', via: 'http429', retryAfterSeconds: 3 }, { kind: 'stall' }]);
		const started = Date.now();
		const outcome = await run('cloud', runParametersFor(WF, { options: { timeout: 4, retryWait: 0.02 } }));
		const took = Date.now() - started;
		expect(outcome.error?.message).toBe('Coze did not answer within 4 s');
		expect(took).toBeLessThan(4000 + MARGIN_MS);
		expect(emulators.cloud.requests.filter((request) => request.path === '/v1/workflow/run')).toHaveLength(2);
	});

	it('a Poll Interval of 0 still polls, at a pace, to the answer', async () => {
		const outcome = await run('cloud', chatParameters(ECHO_AGENT_ID, 'hi', { responseMode: 'poll', pollInterval: 0 }));
		expect(outcome.error).toBeUndefined();
		expect(outcome.output[0].json.answer).toBe('Echo: hi (turn 1)');
		const polls = emulators.cloud.requests.filter((request) => request.path === '/v3/chat/retrieve').length;
		// 300 ms of latency at one look per 100 ms at the most.
		expect(polls).toBeLessThanOrEqual(5);
	});

	it('refuses a conversation ID that arrived as a number, before sending anything', async () => {
		const before = emulators.cloud.requests.length;
		const outcome = await run('cloud', chatParameters(ECHO_AGENT_ID, 'hi', { conversationId: 7431040978805850001 }));
		expect(outcome.error?.message).toBe('The conversation ID arrived as a number, which cannot hold all its digits');
		expect(emulators.cloud.requests.length).toBe(before);
	});

	it('a stream stopped at Timeout after Coze took the message names the conversation and chat for Get Chat', async () => {
		emulators.cloud.setAgentOptions({ slowMs: 5000 });
		const outcome = await run('cloud', chatParameters(SLOW_AGENT_ID, 'hi', { timeout: 1 }));
		expect(outcome.error?.message).toBe('The agent did not finish answering within 1 s');
		expect(outcome.error?.description).toMatch(/conversation \d{19}, chat \d{19}/);
		expect(outcome.error?.description).not.toContain('workflow');
	});

	it("quotes Coze Studio's plain-text error for an unknown chat, and speaks of the chat, not of a workflow", async () => {
		const outcome = await run('studio', cozeParameters('agent', 'getChat', { conversationId: '7431040978805850000', chatId: '7431040978805850001' }));
		expect(outcome.status).toBe('error');
		const said = `${outcome.error?.message}\n${outcome.error?.description}`;
		expect(said).toContain('record not found');
		expect(said).not.toMatch(/workflow|run history/);
	});
});
