/**
 * The Get Run Result operation in n8n's execution engine, against the emulator over real HTTP:
 * a run looked up once, finished, paused or failed, on both dialects; a lookup that trickles or
 * is answered by a plain-text 404.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { Dialect } from '../emulator';
import { runCozeNode } from '../harness/engine';
import { DIALECTS, useNodeRuns } from '../harness/nodeRuns';
import { byId, MARGIN_MS, runParametersFor } from '../harness/parameters';

describe('a run started without waiting', () => {
	const WF = '7398123456789012345';
	const { emulators, run } = useNodeRuns('pat_modes_secret_token_0123456789');
	const workflow = byId(WF);

	const runWith = (mode: string, options: INodeParameters = {}, extra: INodeParameters = {}) => runParametersFor(WF, { runMode: mode, options, ...extra });

	describe.each<Dialect>(DIALECTS)('%s dialect', (dialect) => {
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
	});
});

describe('what the real servers do', () => {
	const TOKEN = 'pat_real_servers_secret_token_0123456789';
	const WF = '7398123456789012399';
	const { emulators, run } = useNodeRuns(TOKEN);
	const workflow = byId(WF);

	const asyncRun = runParametersFor(WF, { runMode: 'async', options: { pollInterval: 0.05 } });

	describe('an async run that pauses at a question node', () => {
		it('shows as Paused in Get Run Result on both dialects', async () => {
			for (const dialect of ['cloud', 'studio'] as const) {
				emulators[dialect].setAsyncScenario(WF, { kind: 'pause', pollsUntilDone: 0 });
				const started = await run(dialect, { ...asyncRun, waitForCompletion: false });
				const executeId = String(started.output[0].json.execute_id);
				const looked = await run(dialect, { operation: 'getRunResult', workflowId: workflow, executeId, options: {} });
				expect([dialect, looked.output[0].json.status]).toEqual([dialect, 'Paused']);
			}
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
});

describe('a hostile server', () => {
	const TOKEN = 'pat_deadlines_secret_token_0123456789';
	const WF = '7398123456789012377';
	const { emulators, timedRun } = useNodeRuns(TOKEN);

	describe('deadlines', () => {
		it('ends a Get Run Result whose answer trickles in within Timeout, retries included', async () => {
			emulators.cloud.queueHistoryFaults(WF, [{ kind: 'trickle', intervalMs: 50 }, { kind: 'trickle', intervalMs: 50 }]);
			const { outcome, ms } = await timedRun({
				operation: 'getRunResult',
				workflowId: { __rl: true, mode: 'id', value: WF },
				executeId: '7560000000000000123',
				options: { timeout: 0.2 },
			});
			expect(outcome.error?.message).toBe('Coze did not answer within 0.2 s');
			expect(ms).toBeGreaterThanOrEqual(200);
			expect(ms).toBeLessThan(200 + MARGIN_MS);
		});
	});
});
