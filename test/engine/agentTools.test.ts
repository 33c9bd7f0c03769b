/**
 * The Coze node's Agent → Submit Tool Outputs, Get Chat and Cancel Chat in n8n's engine, against
 * the emulator: a chat that waits for a client-side tool, a chat looked at and stopped while the
 * agent is still answering, on both dialects where the endpoints exist.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Dialect } from '../emulator';
import { ECHO_AGENT_ID, SLOW_AGENT_ID, TOOL_AGENT_ID, WEATHER_TOOL_NAME } from '../emulator/agentCatalogue';
import { chatParameters, COZE_ID, cozeParameters } from '../harness/agents';
import { DIALECTS, useNodeRuns } from '../harness/nodeRuns';

const TOKEN = 'pat_agent_tools_secret_token_0123456789';

describe('Coze → Agent: tool outputs, Get Chat, Cancel Chat', () => {
	const { emulators, run } = useNodeRuns(TOKEN);

	describe.each(['stream', 'poll'])('on Coze cloud (%s)', (responseMode) => {
		it('comes out with the tool calls the agent waits for, and continues the chat with their outputs', async () => {
			const asked = await run('cloud', chatParameters(TOOL_AGENT_ID, '杭州', { responseMode, pollInterval: 0.1 }));
			expect(asked.error).toBeUndefined();
			const json = asked.output[0].json;
			expect(json).toMatchObject({
				status: 'requires_action',
				tool_calls: [{ id: expect.any(String), type: 'function', name: WEATHER_TOOL_NAME, arguments: { city: '杭州' } }],
				conversation_id: expect.stringMatching(COZE_ID),
				chat_id: expect.stringMatching(COZE_ID),
			});
			const call = (json.tool_calls as IDataObject[])[0];
			const done = await run(
				'cloud',
				cozeParameters(
					'agent',
					'submitToolOutputs',
					{
						conversationId: json.conversation_id as string,
						chatId: json.chat_id as string,
						toolOutputs: { output: [{ toolCallId: call.id as string, output: 'sunny, 25°C' }] },
					},
					{ responseMode, pollInterval: 0.1, includeToolMessages: true },
				),
			);
			expect(done.error).toBeUndefined();
			expect(done.output[0].json).toMatchObject({ status: 'completed', answer: expect.stringContaining('sunny, 25°C'), chat_id: json.chat_id });
			const sent = emulators.cloud.toolOutputRequestsOf(TOOL_AGENT_ID);
			expect(sent).toHaveLength(1);
			expect(sent[0].query).toMatchObject({ conversation_id: json.conversation_id, chat_id: json.chat_id });
			expect(sent[0].body).toEqual({ tool_outputs: [{ tool_call_id: call.id, output: 'sunny, 25°C' }], stream: responseMode === 'stream' });
		});
	});

	it('on Coze Studio, says that tool outputs cannot be sent, before sending anything', async () => {
		const before = emulators.studio.requests.length;
		const outcome = await run('studio', cozeParameters('agent', 'submitToolOutputs', { conversationId: '7431040978805850000', chatId: '7431040978805850001', toolOutputs: { output: [{ toolCallId: 'call_1', output: 'x' }] } }));
		expect(outcome.error?.message).toBe('Coze Studio cannot take tool outputs');
		expect(emulators.studio.requests.length).toBe(before);
	});

	it('refuses tool outputs without a tool call ID', async () => {
		const outcome = await run('cloud', cozeParameters('agent', 'submitToolOutputs', { conversationId: '7431040978805850000', chatId: '7431040978805850001', toolOutputs: { output: [{ toolCallId: '', output: 'x' }] } }));
		expect(outcome.error?.message).toBe('A tool output has no tool call ID');
	});

	describe.each<Dialect>(DIALECTS)('%s dialect', (dialect) => {
		it('a chat still answering after Timeout: the error names it, Get Chat sees it running, Cancel Chat stops it, Get Chat then says canceled', async () => {
			emulators[dialect].setAgentOptions({ slowMs: 5000 });
			const waited = await run(dialect, chatParameters(SLOW_AGENT_ID, 'take your time', { responseMode: 'poll', pollInterval: 0.2, timeout: 1 }));
			expect(waited.error?.message).toBe('The agent was still answering after 1 s');
			const [, conversationId, chatId] = /conversation (\d+), chat (\d+)/.exec(String(waited.error?.description)) ?? [];
			expect(chatId).toMatch(COZE_ID);
			const ref = { conversationId, chatId };

			const running = await run(dialect, cozeParameters('agent', 'getChat', ref));
			expect(running.output[0].json).toMatchObject({ status: 'in_progress', chat_id: chatId, conversation_id: conversationId, messages: [] });

			const cancelled = await run(dialect, cozeParameters('agent', 'cancelChat', ref));
			expect(cancelled.error).toBeUndefined();
			// Studio spells it cancelled, and its store records conversation.chat.cancelled (§10.6): read as canceled.
			expect(cancelled.output[0].json).toMatchObject({ status: 'canceled', chat_id: chatId, conversation_id: conversationId });

			const after = await run(dialect, cozeParameters('agent', 'getChat', ref));
			expect(after.output[0].json.status).toBe('canceled');

			const again = await run(dialect, cozeParameters('agent', 'cancelChat', ref));
			expect(again.status).toBe('error');
			expect(`${again.error?.message} ${again.error?.description}`).not.toContain('stack=');
		});

		it('Get Chat returns the answer and messages of a chat that has ended', async () => {
			const chat = await run(dialect, chatParameters(ECHO_AGENT_ID, 'hello'));
			const ref = { conversationId: chat.output[0].json.conversation_id as string, chatId: chat.output[0].json.chat_id as string };
			const looked = await run(dialect, cozeParameters('agent', 'getChat', ref));
			expect(looked.output[0].json).toMatchObject({ status: 'completed', answer: 'Echo: hello (turn 1)', chat_id: ref.chatId });
		});
	});

	it('a stream that is cut before the chat ends is an error that says the message was not resent', async () => {
		emulators.cloud.queueFaults(ECHO_AGENT_ID, [{ kind: 'resetMidResponse' }]);
		const outcome = await run('cloud', chatParameters(ECHO_AGENT_ID, 'hi'));
		expect(outcome.status).toBe('error');
		expect(outcome.error?.description).toContain('not resent');
		expect(emulators.cloud.chatRequestsOf(ECHO_AGENT_ID)).toHaveLength(1);
	});
});
