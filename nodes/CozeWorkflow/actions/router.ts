import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ItemOperation } from '../../shared/router/eachItem';
import { runEachItem } from '../../shared/router/eachItem';
import * as chat from './chat.operation';
import * as getRunResult from './getRunResult.operation';
import * as resume from './resume.operation';
import * as run from './run.operation';

const operations: Record<string, ItemOperation> = {
	chat: chat.execute,
	getRunResult: getRunResult.execute,
	resume: resume.execute,
	run: run.execute,
};

/** The chosen operation, once per input item (shared/router/eachItem.ts: concurrency, pairing, Continue On Fail). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operationName = this.getNodeParameter('operation', 0) as string;
	return await runEachItem.call(this, operations[operationName], operationName);
}
