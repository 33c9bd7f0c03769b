import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../helpers/errors';
import * as chat from './chat.operation';
import * as getRunResult from './getRunResult.operation';
import * as resume from './resume.operation';
import * as run from './run.operation';

type Operation = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject>;

const operations: Record<string, Operation> = {
	chat: chat.execute,
	getRunResult: getRunResult.execute,
	resume: resume.execute,
	run: run.execute,
};

/**
 * Runs the chosen operation once per input item. Every output item is paired to its input, in
 * input order; under Continue On Fail a failed item becomes one error item in its place.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not supported`);
	}

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const json = await operation.call(this, itemIndex);
			output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			const nodeError = asNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			output.push({ json: errorItemJson(nodeError), pairedItem: { item: itemIndex } });
		}
	}
	return [output];
}

function errorItemJson(error: NodeApiError | NodeOperationError): IDataObject {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	const coze = error.context.coze;
	if (coze && typeof coze === 'object') Object.assign(json, coze);
	return json;
}
