/**
 * Stream and Async modes, Get Run Result, Resume and Chat inside n8n's execution engine,
 * against the Coze emulator over real HTTP, in both dialects.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { Dialect } from './emulator';
import type { CozeRunOutcome } from './harness/engine';
import { capturedLogs, runCozeNode } from './harness/engine';
import { useEmulators } from './harness/emulators';

const TOKEN = 'pat_modes_secret_token_0123456789';
const WF = '7398123456789012345';
const emulators = useEmulators(TOKEN);

async function run(
	dialect: Dialect,
	parameters: INodeParameters,
	items: Array<Record<string, unknown>> = [{ city: '杭州' }],
	extra: { continueOnFail?: boolean; cancelAfterMs?: number } = {},
): Promise<CozeRunOutcome> {
	const outcome = await runCozeNode({
		items: items as never,
		parameters,
		credentials: { region: dialect === 'studio' ? 'studio' : 'custom', baseUrl: emulators[dialect].url, accessToken: TOKEN },
		...extra,
	});
	expect(JSON.stringify(outcome.run) + JSON.stringify(outcome.error ?? null) + capturedLogs.join('\n')).not.toContain(TOKEN);
	return outcome;
}

const workflow = { __rl: true, mode: 'id', value: WF };

function runWith(mode: string, options: INodeParameters = {}, extra: INodeParameters = {}): INodeParameters {
	return {
		operation: 'run',
		workflowId: workflow,
		mode,
		inputMode: 'keyValue',
		parameters: { parameter: [{ name: 'city', value: '={{ $json.city }}' }] },
		options,
		...extra,
	};
}

describe.each<Dialect>(['cloud', 'studio'])('%s dialect', (dialect) => {
	describe('Run in Stream mode', () => {
		it('returns the End node output in the same shape as a waited-for run, with the messages when asked', async () => {
			const outcome = await run(dialect, runWith('stream', { includeMessages: true }));
			expect(outcome.status).toBe('success');
			const json = outcome.output[0].json;
			expect(json.data).toMatchObject({ parameters: { city: '杭州' } });
			expect(JSON.parse(json.raw as string)).toEqual(json.data);
			expect(json.logid).toEqual(expect.any(String));
			const messages = json.messages as Array<{ node_title: string; content: string }>;
			expect(messages.map((m) => m.content).join('')).toContain('工作流');
			expect(messages.at(-1)?.content).toBe(json.raw);
			expect(emulators[dialect].streamsOf(WF)).toHaveLength(1);
		});

		it.each([
			['byte by byte, CRLF, with PINGs', { chunking: 'byte', lineEnding: '\r\n', pingBetween: true, delayMs: 0 }],
			['in random cuts', { chunking: 'random', seed: 7 }],
		] as const)('reads a stream written %s', async (_name, options) => {
			emulators[dialect].setStreamScenario(WF, {
				kind: 'result',
				output: { answer: '多云转晴，气温 26°C' },
				messages: [{ node_title: 'Message', chunks: ['正在', '查询'] }],
				...options,
			});
			const outcome = await run(dialect, runWith('stream'));
			expect(outcome.output[0].json.data).toEqual({ answer: '多云转晴，气温 26°C' });
		});

		it('turns an Error event into an error naming the code', async () => {
			emulators[dialect].setStreamScenario(WF, { kind: 'errorEvent', code: 4000, message: 'Request parameter error', afterMessages: 2 });
			const outcome = await run(dialect, runWith('stream'));
			expect(outcome.error?.message).toBe('Coze rejected the request parameters (Coze code 4000)');
			expect(outcome.error?.description).toContain('Coze says: Request parameter error');
		});

		it.each(['not json {', '"a JSON string, not an object"', ''])(
			'calls a Message event whose data is %j a garbled stream, not an empty success',
			async (data) => {
				emulators[dialect].setStreamScenario(WF, { kind: 'garbledMessage', data });
				const outcome = await run(dialect, runWith('stream'));
				expect(outcome.status).toBe('error');
				expect(outcome.error?.message).toBe('Coze sent a Message event whose data is not valid JSON');
				expect(outcome.error?.description).toContain('not resent automatically');
				expect(emulators[dialect].streamsOf(WF)).toHaveLength(1);
			},
		);

		it('recognises a JSON refusal in place of the stream', async () => {
			emulators[dialect].setStreamScenario(WF, { kind: 'unpublished' });
			const outcome = await run(dialect, runWith('stream'));
			expect(outcome.status).toBe('error');
			expect(outcome.error?.message).toMatch(dialect === 'cloud' ? /Coze code 4200\)$/ : /^The workflow is not published in Coze Studio \(Coze code 720702011\)$/);
		});

		it('reports a stream that ends without Done, and one that goes silent', async () => {
			emulators[dialect].setStreamScenario(WF, { kind: 'truncated', afterEvents: 3 });
			let outcome = await run(dialect, runWith('stream'));
			expect(outcome.error?.message).toBe('The stream from Coze ended before the workflow finished');
			expect(outcome.error?.description).toContain('not resent');

			emulators[dialect].setStreamScenario(WF, { kind: 'stall', afterEvents: 2 });
			const started = Date.now();
			outcome = await run(dialect, runWith('stream', { idleTimeout: 1 }));
			expect(Date.now() - started).toBeLessThan(6000);
			expect(outcome.error?.message).toBe('Coze sent nothing for 1 s');
			expect(emulators[dialect].streamsOf(WF)).toHaveLength(2);
		});
	});

	describe('questions and Resume', () => {
		it('pauses at a question node, and Resume answers it until the workflow finishes', async () => {
			emulators[dialect].setStreamScenario(WF, { kind: 'questions', questions: ['Which city?', 'Which day?'] });
			const first = await run(dialect, runWith('stream'));
			const interrupt = first.output[0].json.interrupt as Record<string, unknown>;
			expect(interrupt).toMatchObject({ type: 2, paused_in: 'stream', question: expect.stringContaining('Which city?') });
			expect(interrupt.event_id).toMatch(/^\d+\/\d+$/);

			const resume = (eventId: unknown, answer: string) =>
				run(dialect, {
					operation: 'resume',
					workflowId: workflow,
					eventId: '={{ $json.interrupt.event_id }}',
					interruptType: 2,
					resumeData: answer,
					pausedIn: 'stream',
					options: {},
				}, [{ interrupt: { event_id: eventId } }]);
			const second = await resume(interrupt.event_id, 'Hangzhou');
			const secondInterrupt = second.output[0].json.interrupt as Record<string, unknown>;
			expect(secondInterrupt.question).toContain('Which day?');
			const third = await resume(secondInterrupt.event_id, 'tomorrow');
			expect(third.status).toBe('success');
			expect(third.output[0].json.interrupt).toBeUndefined();
			expect(third.output[0].json.data).toEqual({ answers: ['Hangzhou', 'tomorrow'] });
			const resumes = emulators[dialect].runRequestsOf(WF).filter((r) => r.path === '/v1/workflow/stream_resume');
			expect(resumes.map((r) => (r.body as Record<string, unknown>).resume_data)).toEqual(['Hangzhou', 'tomorrow']);
		});
	});

	describe('Run in Async mode', () => {
		it('polls the run history until the run succeeds', async () => {
			emulators[dialect].setAsyncScenario(WF, { kind: 'complete', pollsUntilDone: 2, output: { result: '完成' } });
			const outcome = await run(dialect, runWith('async', { pollInterval: 0.2 }));
			expect(outcome.status).toBe('success');
			const json = outcome.output[0].json;
			expect(json).toMatchObject({ status: 'Success', data: { result: '完成' } });
			expect(json.execute_id).toMatch(/^\d{19}$/);
			expect(emulators[dialect].historyPollsOf(json.execute_id as string)).toBe(3);
			expect(emulators[dialect].runsOf(WF)).toHaveLength(1);
		});

		it('returns the execute_id at once when not waiting, and Get Run Result finds the run', async () => {
			emulators[dialect].setAsyncScenario(WF, { kind: 'complete', pollsUntilDone: 0, output: 'plain text result', textMode: true });
			const started = await run(dialect, runWith('async', {}, { waitForCompletion: false }));
			expect(started.output[0].json).toMatchObject({ status: 'Running', execute_id: expect.stringMatching(/^\d{19}$/) });
			const executeId = started.output[0].json.execute_id as string;
			const result = await run(dialect, { operation: 'getRunResult', workflowId: workflow, executeId: '={{ $json.id }}', options: {} }, [{ id: executeId }]);
			// Studio's history keeps a text End node's output map (coze-api.md §9.5); Unwrap Output Variable gives the text.
			const stored = dialect === 'studio' ? { output: 'plain text result' } : 'plain text result';
			expect(result.output[0].json).toMatchObject({ status: 'Success', execute_id: executeId, data: stored });
			const unwrapped = await run(dialect, { operation: 'getRunResult', workflowId: workflow, executeId, options: { unwrapOutputVariable: true } });
			expect(unwrapped.output[0].json.data).toBe('plain text result');
		});

		it('turns a failed run into an error with its code and message', async () => {
			emulators[dialect].setAsyncScenario(WF, { kind: 'fail', pollsUntilDone: 1, errorCode: 720701013, errorMessage: 'node 代码 failed' });
			const outcome = await run(dialect, runWith('async', { pollInterval: 0.2 }));
			expect(outcome.error?.message).toBe('The workflow failed while running (Coze code 720701013)');
			expect(outcome.error?.description).toContain('Coze says: node 代码 failed');
		});

		it('gives up waiting after Max Wait and says how to fetch the result later', async () => {
			emulators[dialect].setAsyncScenario(WF, { kind: 'neverFinishes' });
			const outcome = await run(dialect, runWith('async', { pollInterval: 0.2, maxWait: 1 }));
			expect(outcome.error?.message).toBe('The workflow was still running after 1 s');
			expect(outcome.error?.description).toContain('Get Run Result');
		});

		it('stops polling as soon as n8n cancels the execution', async () => {
			emulators[dialect].setAsyncScenario(WF, { kind: 'neverFinishes' });
			const started = Date.now();
			const outcome = await run(dialect, runWith('async', { pollInterval: 0.5, maxWait: 60 }), undefined, { cancelAfterMs: 1200 });
			expect(Date.now() - started).toBeLessThan(4000);
			expect(outcome.status).not.toBe('success');
			expect(outcome.error?.message ?? '').not.toContain('still running');
			const polls = () => emulators[dialect].requests.filter((r) => /run_histor/.test(r.path)).length;
			const pollsAtCancel = polls();
			expect(pollsAtCancel).toBeGreaterThan(0);
			await new Promise((resolve) => setTimeout(resolve, 1500));
			expect(polls()).toBe(pollsAtCancel);
		});
	});

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

describe('long streams', () => {
	it('follows a stream of 20 000 messages and keeps only the result', async () => {
		emulators.cloud.setStreamScenario(WF, { kind: 'many', count: 20_000, chunking: { every: 65_536 } });
		const outcome = await run('cloud', runWith('stream'));
		expect(outcome.status).toBe('success');
		expect(outcome.output[0].json.data).toEqual({ count: 20_000 });
		expect(outcome.output[0].json.messages).toBeUndefined();
	});
});

describe('cloud only', () => {
	it('resumes a Wait for Result run through /v1/workflows/resume', async () => {
		emulators.cloud.setRunScenario(WF, {
			kind: 'interrupt',
			eventId: '7404831988202520614/6302059919516746633',
			type: 2,
			data: '{"question":"Which city?"}',
			then: { kind: 'json', data: { city: 'Hangzhou' } },
		});
		const paused = await run('cloud', runWith('sync'));
		expect(paused.output[0].json.interrupt).toMatchObject({ paused_in: 'sync', data: { question: 'Which city?' } });
		const resumed = await run(
			'cloud',
			{
				operation: 'resume',
				workflowId: workflow,
				eventId: '={{ $json.interrupt.event_id }}',
				interruptType: 2,
				resumeData: 'Hangzhou',
				pausedIn: 'sync',
				options: {},
			},
			[paused.output[0].json as Record<string, unknown>],
		);
		expect(resumed.output[0].json.data).toEqual({ city: 'Hangzhou' });
	});

	it('explains that async runs need a paid plan (6003)', async () => {
		emulators.cloud.setAsyncScenario(WF, { kind: 'premiumRequired' });
		const outcome = await run('cloud', runWith('async'));
		expect(outcome.error?.message).toBe('Async runs need a paid Coze plan (Coze code 6003)');
	});

	it('keeps 19-digit execute IDs exact although Coze Studio sends them as numbers', async () => {
		emulators.studio.setAsyncScenario(WF, { kind: 'complete', pollsUntilDone: 0, output: { ok: true } });
		const outcome = await run('studio', runWith('async', { pollInterval: 0.2 }));
		const executeId = outcome.output[0].json.execute_id as string;
		expect(executeId).toMatch(/^\d{19}$/);
		const history = emulators.studio.requests.find((r) => r.path === '/v1/workflow/get_run_history');
		expect(history?.query.execute_id).toBe(executeId);
	});
});
