import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { clearConversation } from '../../../shared/api/conversations';
import { isPlainObject } from '../../../shared/decoding/json';
import { concurrencyAndRetryOptions, timeoutOption } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { secondsToMs } from '../../../shared/utils/values';
import { conversationIdField } from '../descriptions';
import { itemParameter, requiredText } from '../parameters';
import { LOOKUP_TIMEOUT_SECONDS } from '../agent/getChat.operation';

const properties: INodeProperties[] = [
	{ ...conversationIdField, description: 'The conversation whose context to clear' },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [timeoutOption(LOOKUP_TIMEOUT_SECONDS, 'Seconds to wait for Coze to answer'), ...concurrencyAndRetryOptions],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['clear'] } }, properties);

/**
 * POST /v1/conversations/{id}/clear: the agent forgets the conversation so far (Coze starts a new
 * section); the messages stay in Coze's history.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = requiredText.call(this, 'conversationId', itemIndex, 'conversation ID', 'Map the conversation_id of the conversation to clear.');
	const options = itemParameter(this, 'options', itemIndex, {}) as { timeout?: number };
	const connection = await getCozeConnection.call(this, itemIndex);
	const response = await clearConversation.call(this, connection, conversationId, { itemIndex, timeoutMs: secondsToMs(options.timeout ?? LOOKUP_TIMEOUT_SECONDS) });
	const data = isPlainObject(response.body.data) ? response.body.data : {};
	const output: IDataObject = { conversation_id: String(data.conversation_id ?? conversationId), section_id: String(data.id ?? '') };
	if (response.logid) output.logid = response.logid;
	return output;
}
