import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { createConversation } from '../../../shared/api/conversations';
import { isPlainObject } from '../../../shared/decoding/json';
import { agentIdFromLocator } from '../../../shared/decoding/resourceIds';
import { concurrencyAndRetryOptions, timeoutOption } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { secondsToMs } from '../../../shared/utils/values';
import { earlierMessages, earlierMessagesOption } from '../../../shared/descriptions/messages';
import { agentLocator, keyValueCollection, workspaceField } from '../descriptions';
import { itemParameter, keyValues } from '../parameters';
import { LOOKUP_TIMEOUT_SECONDS } from '../agent/getChat.operation';

const properties: INodeProperties[] = [
	workspaceField,
	{
		...agentLocator,
		required: false,
		default: { mode: 'id', value: '' },
		description: 'The agent the conversation is with; leave empty for a conversation any agent can continue',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			keyValueCollection('Metadata', 'metadata', 'Up to 16 name/value pairs Coze keeps with the conversation, e.g. the customer ID'),
			{
				...earlierMessagesOption(''),
				displayName: 'Opening Messages',
				name: 'messages',
				description: 'Messages the conversation starts with, oldest first (Coze Studio ignores them)',
			},
			timeoutOption(LOOKUP_TIMEOUT_SECONDS, 'Seconds to wait for Coze to answer'),
			...concurrencyAndRetryOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['create'] } }, properties);

/** POST /v1/conversation/create: a conversation to keep one customer's chats together. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const locator = itemParameter<unknown>(this, 'agentId', itemIndex, '');
	const locatorValue = isPlainObject(locator) ? locator.value : locator;
	const options = itemParameter(this, 'options', itemIndex, {}) as { metadata?: unknown; messages?: unknown; timeout?: number };
	const body: IDataObject = {};
	if (String(locatorValue ?? '').trim() !== '') body.bot_id = agentIdFromLocator(this.getNode(), locator, itemIndex);
	const messages = earlierMessages(options.messages, { userType: 'question', skipEmpty: true });
	if (messages.length > 0) body.messages = messages;
	const metadata = keyValues(options.metadata);
	if (metadata) body.meta_data = metadata;
	const connection = await getCozeConnection.call(this, itemIndex);
	const response = await createConversation.call(this, connection, body, { itemIndex, timeoutMs: secondsToMs(options.timeout ?? LOOKUP_TIMEOUT_SECONDS) });
	const data = isPlainObject(response.body.data) ? (response.body.data as IDataObject) : {};
	// conversation_id too, so a Chat after it maps the same field name as after a Chat.
	const output: IDataObject = { ...data, conversation_id: String(data.id ?? '') };
	if (response.logid) output.logid = response.logid;
	return output;
}
