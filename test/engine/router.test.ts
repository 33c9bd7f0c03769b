/**
 * The router (actions/router.ts) in n8n's execution engine: items one at a time or many in
 * flight, the output in input order and paired, errors paired to their inputs under Continue On
 * Fail, nothing lost or run twice, and what n8n logs. The emulator counts every run it starts.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { capturedLogs } from '../harness/engine';
import { useNodeRuns } from '../harness/nodeRuns';
import { expectPairedInOrder, runParametersFor, useNumberedItems } from '../harness/parameters';

describe('items', () => {
	const TOKEN = 'pat_secret_TOKEN_do_not_leak_0123456789';
	const WF = '7398123456789012345';
	const { emulators, run } = useNodeRuns(TOKEN, { items: [{ city: 'Beijing' }], baseUrlSuffix: '/' });
	const runParameters = (overrides: INodeParameters = {}) => runParametersFor(WF, overrides);

	describe('items', () => {
		it('one item at a time, stops at the first failing item and names it', async () => {
			const outcome = await run(
				'cloud',
				runParameters({ parameters: { parameter: [{ name: '={{ $json.name }}', value: 'x' }] }, options: { maxConcurrency: 1 } }),
				[{ name: 'a' }, { name: '' }, { name: 'c' }],
			);
			expect(outcome.status).toBe('error');
			expect(outcome.error?.message).toBe('Workflow input 1 has no name');
			expect(outcome.error?.context?.itemIndex).toBe(1);
			expect(emulators.cloud.runsOf(WF)).toHaveLength(1);
		});

		it('in parallel, reports the first failing item in input order', async () => {
			const outcome = await run(
				'cloud',
				runParameters({ parameters: { parameter: [{ name: '={{ $json.name }}', value: 'x' }] }, options: { maxConcurrency: 5 } }),
				[{ name: 'a' }, { name: 'b' }, { name: '' }, { name: 'd' }, { name: '' }],
			);
			expect(outcome.error?.message).toBe('Workflow input 1 has no name');
			expect(outcome.error?.context?.itemIndex).toBe(2);
		});

		it('reads per item the parameters that hold expressions, and the same value for all items where none do', async () => {
			const outcome = await run(
				'cloud',
				runParameters({
					workflowId: { __rl: true, mode: 'id', value: '={{ $json.wf }}' },
					options: { maxConcurrency: 3, workflowVersion: '={{ $json.version }}', connectorId: '1024' },
				}),
				[
					{ city: 'a', wf: WF, version: 'v1' },
					{ city: 'b', wf: '7398000000000000099', version: 'v2' },
					{ city: 'c', wf: WF, version: 'v3' },
				],
			);
			expect(outcome.status).toBe('success');
			const bodies = [...emulators.cloud.runsOf(WF), ...emulators.cloud.runsOf('7398000000000000099')].map((r) => r.body as IDataObject);
			expect(bodies.sort((x, y) => String((x.parameters as IDataObject).city).localeCompare(String((y.parameters as IDataObject).city)))).toEqual([
				{ workflow_id: WF, parameters: { city: 'a' }, workflow_version: 'v1', connector_id: '1024' },
				{ workflow_id: '7398000000000000099', parameters: { city: 'b' }, workflow_version: 'v2', connector_id: '1024' },
				{ workflow_id: WF, parameters: { city: 'c' }, workflow_version: 'v3', connector_id: '1024' },
			]);
		});

		it('under Continue On Fail gives one item per input, in order, errors paired to their inputs', async () => {
			const failing = '7398000000000000002';
			emulators.cloud.setRunScenario(failing, { kind: 'error', code: 4200, msg: 'workflow not found' });
			const outcome = await run(
				'cloud',
				runParameters({
					workflowId: { __rl: true, mode: 'id', value: '={{ $json.wf }}' },
					inputMode: 'json',
					parametersJson: '={{ $json.inputs }}',
				}),
				[
					{ wf: WF, inputs: '{"n":0}' },
					{ wf: failing, inputs: '{"n":1}' },
					{ wf: WF, inputs: '{"n":' },
					{ wf: 'not-an-id', inputs: '{}' },
					{ wf: WF, inputs: '{"n":4}' },
				],
				{ continueOnFail: true },
			);
			expect(outcome.status).toBe('success');
			expect(outcome.output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
			expect((outcome.output[0].json.data as Record<string, unknown>).parameters).toEqual({ n: 0 });
			expect(outcome.output[1].json).toMatchObject({
				error: 'Coze could not find the workflow, or it is not published (Coze code 4200)',
				code: 4200,
				msg: 'workflow not found',
			});
			expect(outcome.output[1].json.logid).toEqual(expect.any(String));
			expect(outcome.output[2].json.error).toBe('The value in the "Inputs (JSON)" field is not valid JSON');
			expect(outcome.output[3].json.error).toBe('"not-an-id" is not a Coze workflow ID');
			expect((outcome.output[4].json.data as Record<string, unknown>).parameters).toEqual({ n: 4 });
			expect(emulators.cloud.requests.filter((r) => r.path === '/v1/workflow/run')).toHaveLength(3);
		});
	});

	describe('logs', () => {
		// Each test empties the log and makes the runs it reads: jest runs them in random order.
		it('n8n logs a failed run at debug level, and never the token', async () => {
			capturedLogs.length = 0;
			emulators.cloud.setRunScenario(WF, { kind: 'unpublished' });
			const outcome = await run('cloud', runParameters());
			expect(outcome.status).toBe('error');
			const log = capturedLogs.join('\n');
			expect(log).toMatch(/debug/i);
			expect(log).toContain('Coze could not find the workflow, or it is not published');
			expect(log).not.toContain(TOKEN);
		});

		it('n8n logs a refused token without the token', async () => {
			const wrongToken = 'pat_wrong_but_still_secret_9876543210';
			capturedLogs.length = 0;
			const outcome = await run('cloud', runParameters(), undefined, { accessToken: wrongToken });
			expect(outcome.error?.message).toBe('Coze rejected the access token (Coze code 4100)');
			const log = capturedLogs.join('\n');
			expect(log).toContain('Coze rejected the access token');
			expect(log).not.toContain(wrongToken);
		});
	});
});

describe('many items', () => {
	const TOKEN = 'pat_faults_secret_token_0123456789';
	const WF = '7398123456789012345';
	const { emulators, run, expectEachItemRanOnce } = useNumberedItems(TOKEN, WF);

	describe('Max Concurrent Runs', () => {
		it.each([1, 5, 20])('keeps at most %d runs in flight, and the output in input order', async (concurrency) => {
			// One at a time is proven at any latency; many at a time need the pool to fill within one
			// answer, even on a busy machine: 5 ms per run in flight (100 ms for 20).
			emulators.cloud.latencyMs = concurrency * 5;
			const outcome = await run(40, { maxConcurrency: concurrency });
			expect(outcome.status).toBe('success');
			expect(emulators.cloud.maxConcurrentRuns(WF)).toBe(concurrency);
			expectPairedInOrder(outcome, 40);
			outcome.output.forEach((item, n) => expect((item.json.data as { parameters: unknown }).parameters).toEqual({ request_id: `item-${n}` }));
			expectEachItemRanOnce(40);
		});
	});

	describe('1 000 items with random failures under Continue On Fail', () => {
		it('gives one item per input, in order, with each failure in its place and nothing run twice', async () => {
			emulators.cloud.latencyMs = 2;
			emulators.cloud.setFaultRate(WF, {
				rate: 0.1,
				seed: 42,
				faults: [{ kind: 'rateLimit', via: 'http429' }, { kind: 'html502' }, { kind: 'malformedJson' }],
			});
			const outcome = await run(1000, { maxConcurrency: 20, maxAttempts: 4 }, { continueOnFail: true });
			expect(outcome.status).toBe('success');
			expect(outcome.output).toHaveLength(1000);
			expectPairedInOrder(outcome, 1000);
			const byKey = emulators.cloud.runsByKey(WF);
			let failed = 0;
			outcome.output.forEach((item, n) => {
				const runs = byKey.get(`item-${n}`) ?? 0;
				expect([n, runs]).toEqual([n, expect.any(Number)]);
				expect(runs).toBeLessThanOrEqual(1);
				if (item.json.error) {
					failed++;
					expect(item.pairedItem).toEqual({ item: n });
				} else {
					expect(runs).toBe(1);
					expect((item.json.data as { parameters: unknown }).parameters).toEqual({ request_id: `item-${n}` });
				}
			});
			expect(failed).toBeGreaterThan(50);
			expect(failed).toBeLessThan(200);
		}, 60_000);
	});
});
