import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { CozeRunOutcome } from './engine';
import { useNodeRuns } from './nodeRuns';

/** What an item may take beyond its Timeout: n8n's start-up of the node and the watchdog's step. */
export const MARGIN_MS = 2500;

/** The Workflow field set By ID. */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** Run with one input, city = {{ $json.city }}; `overrides` sets the mode, the options and the rest. */
export function runParametersFor(workflowId: string, overrides: INodeParameters = {}): INodeParameters {
	return {
		operation: 'run',
		workflowId: byId(workflowId),
		inputMode: 'keyValue',
		parameters: { parameter: [{ name: 'city', value: '={{ $json.city }}' }] },
		options: {},
		...overrides,
	};
}

/**
 * Runs of numbered items on the cloud emulator: each item has its own request_id (item-0,
 * item-1 …), so that the emulator's run counts tell which item ran and how often.
 */
export function useNumberedItems(token: string, workflowId: string) {
	const { emulators, run: runNode } = useNodeRuns(token);
	async function run(count: number, options: INodeParameters = {}, extra: { continueOnFail?: boolean; mode?: string; cancelAfterMs?: number } = {}): Promise<CozeRunOutcome> {
		const parameters: INodeParameters = {
			operation: 'run',
			workflowId: byId(workflowId),
			runMode: extra.mode ?? 'sync',
			inputMode: 'keyValue',
			parameters: { parameter: [{ name: 'request_id', value: '={{ "item-" + $json.n }}' }] },
			options: { retryWait: 0.02, ...options },
		};
		return await runNode('cloud', parameters, Array.from({ length: count }, (_, n) => ({ n })), { continueOnFail: extra.continueOnFail, cancelAfterMs: extra.cancelAfterMs });
	}
	/** Every numbered item ran exactly once, and nothing else ran. */
	function expectEachItemRanOnce(count: number): void {
		const byKey = emulators.cloud.runsByKey(workflowId);
		for (let n = 0; n < count; n++) expect([n, byKey.get(`item-${n}`)]).toEqual([n, 1]);
		expect(emulators.cloud.runCount(workflowId)).toBe(count);
	}
	return { emulators, run, expectEachItemRanOnce };
}

export function expectPairedInOrder(outcome: CozeRunOutcome, count: number): void {
	expect(outcome.output.map((item) => item.pairedItem)).toEqual(Array.from({ length: count }, (_, item) => ({ item })));
}

/** An input item with files as n8n's binary data, by property name. */
export function binaryItem(json: IDataObject, files: Record<string, { name: string; mime: string; bytes: Buffer }>): INodeExecutionData {
	return {
		json,
		binary: Object.fromEntries(
			Object.entries(files).map(([property, file]) => [property, { data: file.bytes.toString('base64'), mimeType: file.mime, fileName: file.name }]),
		),
	};
}
