import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { cancelChat } from '../../../shared/api/agents';
import { chatObjectOf, chatStatusOf } from '../../../shared/decoding/agentChat';
import { concurrencyAndRetryOptions, timeoutOption } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { secondsToMs } from '../../../shared/utils/values';
import { chatIdField, conversationIdField } from '../descriptions';
import { itemParameter, requiredText } from '../parameters';
import { LOOKUP_TIMEOUT_SECONDS } from './getChat.operation';

const properties: INodeProperties[] = [
	conversationIdField,
	{ ...chatIdField, description: 'The chat_id of the Chat to stop' },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [timeoutOption(LOOKUP_TIMEOUT_SECONDS, 'Seconds to wait for Coze to answer'), ...concurrencyAndRetryOptions],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['agent'], operation: ['cancelChat'] } }, properties);

/** Stops a chat that is still running (POST /v3/chat/cancel); Coze refuses one that has ended (4104). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = requiredText.call(this, 'conversationId', itemIndex, 'conversation ID', 'Map the conversation_id of the Chat.');
	const chatId = requiredText.call(this, 'chatId', itemIndex, 'chat ID', 'Map the chat_id of the Chat.');
	const options = itemParameter(this, 'options', itemIndex, {}) as { timeout?: number };
	const connection = await getCozeConnection.call(this, itemIndex);
	const response = await cancelChat.call(this, connection, { conversationId, chatId }, {
		itemIndex,
		timeoutMs: secondsToMs(options.timeout ?? LOOKUP_TIMEOUT_SECONDS),
	});
	const chat = chatObjectOf(response.body);
	const output: IDataObject = { ...chat, status: chatStatusOf(chat), conversation_id: String(chat.conversation_id ?? conversationId), chat_id: String(chat.id ?? chatId) };
	if (response.logid) output.logid = response.logid;
	return output;
}
