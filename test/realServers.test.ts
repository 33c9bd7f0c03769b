/**
 * What the real servers do that the emulator and the node once both got wrong (coze-api.md §9):
 * paused async runs and their resume, Studio's internal codes, chat history turns. Each test
 * runs the node inside n8n's engine against the emulator serving the behaviour as the cited
 * sources describe it, in both dialects (and, where the source is silent, in every plausible
 * variant).
 */
import type { INodeParameters } from 'n8n-workflow';

import type { Dialect } from './emulator';
import type { CozeRunOutcome } from './harness/engine';
import { capturedLogs, runCozeNode } from './harness/engine';
import { useEmulators } from './harness/emulators';

const TOKEN = 'pat_real_servers_secret_token_0123456789';
const WF = '7398123456789012399';
const emulators = useEmulators(TOKEN);
const workflow = { __rl: true, mode: 'id', value: WF };

async function run(dialect: Dialect, parameters: INodeParameters, items: Array<Record<string, unknown>> = [{ city: '杭州' }]): Promise<CozeRunOutcome> {
	const outcome = await runCozeNode({
		items: items as never,
		parameters,
		credentials: { region: dialect === 'studio' ? 'studio' : 'custom', baseUrl: emulators[dialect].url, accessToken: TOKEN },
	});
	expect(JSON.stringify(outcome.run) + JSON.stringify(outcome.error ?? null) + capturedLogs.join('\n')).not.toContain(TOKEN);
	return outcome;
}

const asyncRun: INodeParameters = {
	operation: 'run',
	workflowId: workflow,
	mode: 'async',
	inputMode: 'keyValue',
	parameters: { parameter: [{ name: 'city', value: '={{ $json.city }}' }] },
	options: { pollInterval: 0.5 },
};

describe('an async run that pauses at a question node', () => {
	it.each(['Running', 'Interrupt', 'Success'] as const)(
		'comes out on Coze cloud as an interrupt, whatever the status says (%s), and Resume through workflows/resume completes it',
		async (cloudStatus) => {
			const emulator = emulators.cloud;
			emulator.setAsyncScenario(WF, { kind: 'pause', pollsUntilDone: 1, question: 'Which day?', cloudStatus });
			const started = Date.now();
			const paused = await run('cloud', asyncRun);
			expect(paused.status).toBe('success');
			expect(Date.now() - started).toBeLessThan(10_000);
			const json = paused.output[0].json;
			expect(json.status).toBe('Paused');
			const interrupt = json.interrupt as { event_id: string; type: number; data: unknown; paused_in: string };
			expect(interrupt).toMatchObject({ type: 2, data: 'Which day?', paused_in: 'async' });
			expect(interrupt.event_id).toMatch(/^\d+\/\d+$/);

			const resumed = await run(
				'cloud',
				{
					operation: 'resume',
					workflowId: workflow,
					eventId: '={{ $json.interrupt.event_id }}',
					interruptType: 2,
					resumeData: 'tomorrow',
					pausedIn: '={{ $json.interrupt.paused_in }}',
					options: { pollInterval: 0.5 },
				},
				[json],
			);
			expect(resumed.error).toBeUndefined();
			expect(resumed.output[0].json.status).toBe('Success');
			expect(resumed.output[0].json.data).toEqual({ parameters: { city: '杭州' }, resume_data: 'tomorrow' });
			expect(emulator.requests.filter((r) => r.path === '/v1/workflows/resume')).toHaveLength(1);
			expect(emulator.requests.filter((r) => r.path === '/v1/workflow/stream_resume')).toHaveLength(0);
		},
	);

	it('is an error on Coze Studio, whose history says "<UNSET>" and not which question, never an empty success', async () => {
		emulators.studio.setAsyncScenario(WF, { kind: 'pause', pollsUntilDone: 1 });
		const outcome = await run('studio', asyncRun);
		expect(outcome.status).toBe('error');
		expect(outcome.error?.message).toBe('The workflow paused at a question or input node');
		expect(outcome.error?.description).toContain('Run the workflow in Stream mode');
	});

	it('shows as Paused in Get Run Result on both dialects', async () => {
		for (const dialect of ['cloud', 'studio'] as const) {
			emulators[dialect].setAsyncScenario(WF, { kind: 'pause', pollsUntilDone: 0 });
			const started = await run(dialect, { ...asyncRun, waitForCompletion: false });
			const executeId = String(started.output[0].json.execute_id);
			const looked = await run(dialect, { operation: 'getRunResult', workflowId: workflow, executeId, options: {} });
			expect([dialect, looked.output[0].json.status]).toEqual([dialect, 'Paused']);
		}
	});

	it('cannot be resumed on Coze Studio, which has no workflows/resume, and says what to do instead', async () => {
		const outcome = await run('studio', {
			operation: 'resume',
			workflowId: workflow,
			eventId: '7560000000000000001/7560000000000000002',
			interruptType: 2,
			resumeData: 'tomorrow',
			pausedIn: 'async',
			options: {},
		});
		expect(outcome.error?.message).toBe('Coze Studio cannot resume an Async run');
		expect(emulators.studio.requests.filter((r) => r.path.includes('resume'))).toHaveLength(0);
	});
});

describe("Coze Studio's internal codes", () => {
	it('explains a stream refused as not published (720702011) like the Open API code 6031', async () => {
		emulators.studio.setStreamScenario(WF, { kind: 'unpublished' });
		const outcome = await run('studio', { ...asyncRun, mode: 'stream', options: {} });
		expect(outcome.error?.message).toBe('The workflow is not published in Coze Studio (Coze code 720702011)');
		expect(outcome.error?.description).toContain('Publish the workflow in Coze Studio');
	});
});

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

describe('a lookup answered with a plain-text 404', () => {
	it('is explained as a wrong address and not retried, within its Timeout', async () => {
		const started = Date.now();
		const outcome = await runCozeNode({
			items: [{}] as never,
			parameters: { operation: 'getRunResult', workflowId: workflow, executeId: '7560000000000000123', options: { timeout: 2 } },
			// A path in front of the API's own: every route is unknown there, and cloud answers `404 page not found` as text.
			credentials: { region: 'custom', baseUrl: `${emulators.cloud.url}/not-the-api`, accessToken: TOKEN },
		});
		expect(outcome.error?.message).toBe('No Coze API answered at this address (HTTP 404)');
		expect(emulators.cloud.requests.filter((r) => r.path.startsWith('/not-the-api'))).toHaveLength(1);
		expect(Date.now() - started).toBeLessThan(2000);
	});
});
