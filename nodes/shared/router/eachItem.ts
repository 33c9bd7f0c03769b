import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { asNodeError, failureDetails, failureOf } from '../decoding/errors';
import { maxConcurrencyOf, runScrubber } from '../transport';

/** An output item that carries a file (speech audio) beside its JSON. */
export class WithBinary {
	constructor(
		readonly json: IDataObject,
		readonly binary: IBinaryKeyData,
	) {}
}

/**
 * One operation of a node: the output JSON of one input item, or a list of them (a listing
 * gives one output item per entry, all paired to the input item that asked for it), or JSON
 * with binary data.
 */
export type ItemOperation = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[] | WithBinary>;

/**
 * Runs the chosen operation once per input item, up to Max Concurrent Runs items at a time
 * (fewer requests leave at once while Coze rate limits them: transport/pacing.ts).
 * Every output item is paired to its input and the output keeps input order; under Continue
 * On Fail a failed item becomes one error item in its place. Without it, the first failure
 * (in input order) stops the node once the items already under way have finished.
 */
export async function runEachItem(this: IExecuteFunctions, operation: ItemOperation | undefined, operationName: string): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not supported`);
	}
	const concurrency = maxConcurrencyOf(this);
	const continueOnFail = this.continueOnFail();

	const output: INodeExecutionData[][] = new Array(items.length);
	const failures = new Map<number, NodeApiError | NodeOperationError>();
	const takeTurn = turnTaker();
	let next = 0;
	const worker = async () => {
		while (next < items.length && (continueOnFail || failures.size === 0)) {
			const itemIndex = next++;
			if (concurrency > 1) await takeTurn();
			try {
				const result = await operation.call(this, itemIndex);
				output[itemIndex] =
					result instanceof WithBinary
						? [{ json: result.json, binary: result.binary, pairedItem: { item: itemIndex } }]
						: (Array.isArray(result) ? result : [result]).map((entry) => ({ json: entry, pairedItem: { item: itemIndex } }));
			} catch (error) {
				// The last net: whatever an error quotes, no secret of the run leaves the node in it.
				const nodeError = runScrubber(this).error(asNodeError(this.getNode(), error, itemIndex));
				if (continueOnFail) output[itemIndex] = [{ json: errorItemJson(nodeError), pairedItem: { item: itemIndex } }];
				else failures.set(itemIndex, nodeError);
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
	if (failures.size > 0) throw failures.get(Math.min(...failures.keys()));
	return [output.flat()];
}

/**
 * Lets parallel items start one per turn of the event loop. n8n's HTTP helper opens a new
 * connection for every request, and a request goes out only once a later turn has seen its
 * connection open. Items whose answers arrive together would otherwise all start in the same
 * turn, leave together, come back together and keep waiting for each other's processing: at
 * 20 parallel runs that made a run take a fifth longer. Spaced, each request leaves at once.
 */
function turnTaker(): () => Promise<void> {
	let previous: Promise<void> = Promise.resolve();
	return async () => {
		const mine = previous;
		let done: () => void = () => undefined;
		previous = new Promise<void>((resolve) => (done = resolve));
		await mine;
		void sleep(0).then(done);
	};
}

function errorItemJson(error: NodeApiError | NodeOperationError): IDataObject {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	return Object.assign(json, failureDetails(failureOf(error)));
}
