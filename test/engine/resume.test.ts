/**
 * The Resume operation in n8n's execution engine, against the emulator over real HTTP: a run
 * paused at a question node in Stream, Wait for Result or Async mode, answered until it ends,
 * on both dialects; a resume that hangs or echoes the token.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { Dialect } from '../emulator';
import { DIALECTS, useNodeRuns } from '../harness/nodeRuns';
import { byId, MARGIN_MS, runParametersFor } from '../harness/parameters';

describe('a run paused in Stream or Wait for Result mode', () => {
	const WF = '7398123456789012345';
	const { emulators, run } = useNodeRuns('pat_modes_secret_token_0123456789');
	const workflow = byId(WF);

	const runWith = (mode: string, options: INodeParameters = {}, extra: INodeParameters = {}) => runParametersFor(WF, { runMode: mode, options, ...extra });

	describe.each<Dialect>(DIALECTS)('%s dialect', (dialect) => {
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
	});

	describe('on Coze cloud', () => {
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
	});
});

describe('a run paused in Async mode', () => {
	const TOKEN = 'pat_real_servers_secret_token_0123456789';
	const WF = '7398123456789012399';
	const { emulators, run } = useNodeRuns(TOKEN);
	const workflow = byId(WF);

	const asyncRun = runParametersFor(WF, { runMode: 'async', options: { pollInterval: 0.05 } });

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
						options: { pollInterval: 0.05 },
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
});

describe('a hostile server', () => {
	const TOKEN = 'pat_deadlines_secret_token_0123456789';
	const WF = '7398123456789012377';
	const { emulators, timedRun } = useNodeRuns(TOKEN);

	describe('deadlines', () => {
		it('ends a resume whose server never sends headers within Timeout, and does not resend it', async () => {
			emulators.cloud.queueFaults(WF, [{ kind: 'stall' }]);
			const { outcome, ms } = await timedRun({
				operation: 'resume',
				workflowId: { __rl: true, mode: 'id', value: WF },
				eventId: '7560000000000000001/7560000000000000002',
				interruptType: 2,
				resumeData: 'Hangzhou',
				pausedIn: 'stream',
				options: { timeout: 0.2, idleTimeout: 120 },
			});
			expect(outcome.error?.message).toBe('The workflow did not finish within 0.2 s');
			expect(ms).toBeLessThan(200 + MARGIN_MS);
			expect(emulators.cloud.requests.filter((request) => request.path.includes('resume'))).toHaveLength(1);
		});
	});

	describe('a server that echoes the token in a resume', () => {
		it.each(['stream', 'sync'] as const)('keeps it out of a resume of a run paused in a %s run', async (pausedIn) => {
			emulators.cloud.queueFaults(WF, [{ kind: 'echoToken' }]);
			const { outcome } = await timedRun({
				operation: 'resume',
				workflowId: { __rl: true, mode: 'id', value: WF },
				eventId: '7560000000000000001/7560000000000000002',
				interruptType: 2,
				resumeData: 'Hangzhou',
				pausedIn,
				options: {},
			});
			// Whatever the resume made of the echo (a result or an error), timedRun proved the token is in none of it.
			expect(JSON.stringify(outcome.run)).toContain('***');
			expect(emulators.cloud.requests.filter((request) => request.path.includes('resume'))).toHaveLength(1);
		});
	});
});
