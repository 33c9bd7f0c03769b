import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listChatMessages, retrieveChat } from '../../../shared/api/agents';
import { agentTurnOutput, chatMessagesOf, chatObjectOf, chatStatusOf, FINAL_CHAT_STATUSES } from '../../../shared/decoding/agentChat';
import { concurrencyAndRetryOptions, timeoutOption } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { secondsToMs } from '../../../shared/utils/values';
import { chatIdField, conversationIdField } from '../descriptions';
import { itemParameter, requiredText } from '../parameters';

export const LOOKUP_TIMEOUT_SECONDS = 30;

const properties: INodeProperties[] = [
	conversationIdField,
	chatIdField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Tool Messages',
				name: 'includeToolMessages',
				type: 'boolean',
				default: false,
				description: "Whether to add the agent's tool calls, their results and its verbose messages to \"messages\"",
			},
			timeoutOption(LOOKUP_TIMEOUT_SECONDS, 'Seconds to wait for Coze to answer both lookups (the chat, then its messages)'),
			...concurrencyAndRetryOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['agent'], operation: ['getChat'] } }, properties);

/** A chat's status and, once it has ended, its answer and messages (GET /v3/chat/retrieve and /v3/chat/message/list). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const conversationId = requiredText.call(this, 'conversationId', itemIndex, 'conversation ID', 'Map the conversation_id of the Chat.');
	const chatId = requiredText.call(this, 'chatId', itemIndex, 'chat ID', 'Map the chat_id of the Chat.');
	const options = itemParameter(this, 'options', itemIndex, {}) as { includeToolMessages?: boolean; timeout?: number };
	const timeoutMs = secondsToMs(options.timeout ?? LOOKUP_TIMEOUT_SECONDS);
	const connection = await getCozeConnection.call(this, itemIndex);
	const ref = { conversationId, chatId };
	// One Timeout for both lookups.
	const deadline = Date.now() + timeoutMs;
	const retrieved = await retrieveChat.call(this, connection, ref, { itemIndex, timeoutMs });
	const chat = chatObjectOf(retrieved.body);
	const status = chatStatusOf(chat);
	// A chat still running has no answer yet; its messages are read once it has ended.
	const listed = FINAL_CHAT_STATUSES.has(status)
		? chatMessagesOf((await listChatMessages.call(this, connection, ref, { itemIndex, timeoutMs: Math.max(1, deadline - Date.now()) })).body)
		: [];
	const output = agentTurnOutput({ status, chat, messages: listed }, { includeToolMessages: options.includeToolMessages === true });
	if (chat.last_error !== undefined) output.last_error = chat.last_error;
	if (retrieved.logid) output.logid = retrieved.logid;
	return output;
}
