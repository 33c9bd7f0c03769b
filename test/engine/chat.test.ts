/**
 * The Chat operation in n8n's execution engine, against the emulator over real HTTP: a chat
 * flow's answer, its questions, earlier turns and failures, on both dialects; a chat that hangs.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { Dialect } from '../emulator';
import { DIALECTS, useNodeRuns } from '../harness/nodeRuns';
import { byId, MARGIN_MS } from '../harness/parameters';

describe('a chat flow', () => {
	const WF = '7398123456789012345';
	const { emulators, run } = useNodeRuns('pat_modes_secret_token_0123456789');
	const workflow = byId(WF);

	describe.each<Dialect>(DIALECTS)('%s dialect', (dialect) => {
		describe('Chat', () => {
			const chat = (message: string, extra: INodeParameters = {}) =>
				({
					operation: 'chat',
					workflowId: workflow,
					message,
					chatOwner: 'app',
					appId: '7400000000000000002',
					options: { parametersJson: '{"CONVERSATION_NAME":"support"}', ...extra },
				}) as INodeParameters;

			it('returns the answer, the conversation and the chat IDs', async () => {
				emulators[dialect].setChatScenario(WF, { kind: 'answer', text: '明天杭州多云', chunks: 4 });
				const outcome = await run(dialect, chat('明天天气？'));
				expect(outcome.status).toBe('success');
				expect(outcome.output[0].json).toMatchObject({
					answer: '明天杭州多云',
					status: 'completed',
					conversation_id: expect.stringMatching(/^\d+$/),
					chat_id: expect.stringMatching(/^\d+$/),
				});
			});

			it('reports a question as requires_action, and continues the conversation with the reply', async () => {
				emulators[dialect].setChatScenario(WF, { kind: 'question', question: 'Which city?', then: 'Sunny in {{answer}}' });
				const first = await run(dialect, chat('Weather?'));
				expect(first.output[0].json).toMatchObject({
					status: 'requires_action',
					answer: 'Which city?',
					interrupt: { question: 'Which city?', paused_in: 'chat' },
				});
				const conversationId = first.output[0].json.conversation_id as string;
				const second = await run(dialect, chat('Hangzhou', { conversationId }));
				expect(second.output[0].json).toMatchObject({ status: 'completed', answer: 'Sunny in Hangzhou', conversation_id: conversationId });
			});

			it('turns a failed chat into an error', async () => {
				emulators[dialect].setChatScenario(WF, { kind: 'failed', code: 4011, msg: 'insufficient balance' });
				const outcome = await run(dialect, chat('hi'));
				expect(outcome.status).toBe('error');
				expect(outcome.error?.message).toContain('Coze code 4011');
				expect(outcome.error?.description).toContain('insufficient balance');
			});
		});
	});
});

describe('what the real servers do', () => {
	const TOKEN = 'pat_real_servers_secret_token_0123456789';
	const WF = '7398123456789012399';
	const { emulators, run } = useNodeRuns(TOKEN);
	const workflow = byId(WF);

	describe('Chat with earlier messages', () => {
		it.each<Dialect>(['cloud', 'studio'])('sends an assistant turn as an answer on %s', async (dialect) => {
			const outcome = await run(dialect, {
				operation: 'chat',
				workflowId: workflow,
				message: '明天呢？',
				chatOwner: 'app',
				appId: '7400000000000000002',
				options: {
					// Coze Studio binds a chatflow run to a named conversation.
					parametersJson: dialect === 'studio' ? '{"CONVERSATION_NAME":"n8n"}' : '{}',
					history: {
						message: [
							{ role: 'user', content: '杭州今天天气？' },
							{ role: 'assistant', content: '晴，25 度。' },
						],
					},
				},
			});
			expect(outcome.error).toBeUndefined();
			const chat = emulators[dialect].requests.find((r) => r.path === '/v1/workflows/chat');
			const messages = (chat?.body as { additional_messages: Array<Record<string, unknown>> }).additional_messages;
			expect(messages.map((m) => [m.role, m.type])).toEqual([
				['user', undefined],
				['assistant', 'answer'],
				['user', undefined],
			]);
		});
	});
});

describe('a hostile server', () => {
	const TOKEN = 'pat_deadlines_secret_token_0123456789';
	const WF = '7398123456789012377';
	const { emulators, timedRun } = useNodeRuns(TOKEN);

	describe('deadlines', () => {
		it('ends a chat whose server never sends headers within Timeout', async () => {
			emulators.cloud.queueFaults(WF, [{ kind: 'stall' }]);
			const { outcome, ms } = await timedRun({
				operation: 'chat',
				workflowId: { __rl: true, mode: 'id', value: WF },
				message: '明天天气？',
				chatOwner: 'app',
				appId: '7400000000000000002',
				options: { timeout: 0.2, idleTimeout: 120 },
			});
			expect(outcome.error?.message).toBe('The workflow did not finish within 0.2 s');
			expect(ms).toBeLessThan(200 + MARGIN_MS);
		});
	});
});
