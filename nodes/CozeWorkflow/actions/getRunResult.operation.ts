import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { fetchRunRecord } from './shared/polling';
import { withLoneOutputUnwrapped } from '../../shared/decoding/output';
import { itemParameter, readWorkflowId } from './shared/parameters';
import { getCozeConnection } from '../../shared/transport';
import { executeIdField, SYNC_TIMEOUT_SECONDS, timeoutOption, unwrapOutputVariableOption, unwrapTextOption, workflowLocator, workspaceField, concurrencyAndRetryOptions } from './common.descriptions';
import { secondsToMs, trimmedOrUndefined } from '../../shared/utils/values';

const properties: INodeProperties[] = [
	workspaceField,
	{ ...workflowLocator, description: 'The workflow the run belongs to' },
	executeIdField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...concurrencyAndRetryOptions,
			timeoutOption(SYNC_TIMEOUT_SECONDS, 'Seconds to wait for Coze to answer'),
			unwrapTextOption,
			unwrapOutputVariableOption,
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['getRunResult'] } }, properties);

/**
 * Looks a run up once. Its status is data here (Running, Success, Fail, …), not an error: the
 * caller asked what happened, and a failed run is a valid answer.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { unwrapOutputVariable } = itemParameter(this, 'options', itemIndex, {}) as { unwrapOutputVariable?: boolean };
	return withLoneOutputUnwrapped(await executeOnce.call(this, itemIndex), unwrapOutputVariable);
}

async function executeOnce(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = this.getNode();
	const workflowId = readWorkflowId.call(this, itemIndex);
	const executeId = trimmedOrUndefined(itemParameter(this, 'executeId', itemIndex, ''));
	if (!executeId || !/^\d+$/.test(executeId)) {
		throw new NodeOperationError(node, `"${executeId ?? ''}" is not a Coze execute ID`, {
			itemIndex,
			description: 'Use the execute_id field of an earlier Run, a long number such as 7431040978805850000.',
		});
	}
	const options = itemParameter(this, 'options', itemIndex, {}) as { timeout?: number; unwrapText?: boolean };
	const connection = await getCozeConnection.call(this, itemIndex);
	return await fetchRunRecord.call(this, connection, {
		workflowId,
		executeId,
		itemIndex,
		requestTimeoutMs: secondsToMs(options.timeout ?? SYNC_TIMEOUT_SECONDS),
		unwrapText: options.unwrapText ?? true,
	});
}
