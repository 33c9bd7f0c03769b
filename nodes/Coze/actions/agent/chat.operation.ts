import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { binaryPropertyNames, uploadBinaryProperty, uploadedFileId } from '../../../shared/actions/uploadBinary';
import { startChat, streamChat } from '../../../shared/api/agents';
import { concurrencyAndRetryOptions, idleTimeoutOption, timeoutOption } from '../../../shared/descriptions/options';
import type { CozeConnection } from '../../../shared/transport';
import { getCozeConnection } from '../../../shared/transport';
import { earlierMessages, earlierMessagesOption } from '../../../shared/descriptions/messages';
import { agentLocator, keyValueCollection, workspaceField } from '../descriptions';
import { itemParameter, keyValues, optionalId, readAgentId, requiredText } from '../parameters';
import { sendAndFollow } from './followChat';
import { answerWaitOptions, CHAT_TIMEOUT_SECONDS, chatWaitOf } from './waitOptions';

const properties: INodeProperties[] = [
	workspaceField,
	agentLocator,
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: 'n8n',
		required: true,
		placeholder: 'e.g. the customer\'s phone number',
		description: 'Who is talking. Coze keeps memory and variables per user: map a stable ID of the person, e.g. their WhatsApp number.',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 2 },
		placeholder: 'e.g. What will the weather be in Hangzhou tomorrow?',
		description: "The user's message",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Conversation ID',
				name: 'conversationId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 7431040978805850000',
				description:
					'Continue this conversation (the conversation_id of an earlier Chat or Create Conversation); empty starts a new one. Keep one per customer to give the agent their history.',
			},
			keyValueCollection('Custom Variables', 'customVariables', "Values for the variables in the agent's prompt ({{name}})"),
			earlierMessagesOption('Messages the agent reads as the conversation so far, oldest first'),
			{
				displayName: 'Files (Binary Properties)',
				name: 'binaryProperties',
				type: 'string',
				default: '',
				placeholder: 'e.g. data, or data, photo2',
				description:
					'Binary properties of the item to send with the message: each file is uploaded to Coze first; images are sent as images, other files as files',
			},
			idleTimeoutOption,
			keyValueCollection('Metadata', 'metadata', 'Up to 16 name/value pairs Coze keeps with the chat'),
			...answerWaitOptions,
			timeoutOption(CHAT_TIMEOUT_SECONDS, 'Seconds to wait for the whole answer, from sending the message'),
			...concurrencyAndRetryOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['agent'], operation: ['chat'] } }, properties);

interface ChatOptions {
	conversationId?: unknown;
	customVariables?: unknown;
	history?: unknown;
	binaryProperties?: string;
	idleTimeout?: number;
	metadata?: unknown;
	responseMode?: string;
	pollInterval?: number;
	includeToolMessages?: boolean;
	timeout?: number;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = this.getNode();
	const botId = readAgentId.call(this, itemIndex);
	const userId = requiredText.call(this, 'userId', itemIndex, 'user ID', 'Map a stable ID of the person talking, e.g. their phone number.');
	const text = String(itemParameter(this, 'message', itemIndex, '') ?? '');
	const options = itemParameter(this, 'options', itemIndex, {}) as ChatOptions;
	const files = binaryPropertyNames(options.binaryProperties);
	if (text.trim() === '' && files.length === 0) {
		throw new NodeOperationError(node, 'The message is empty', {
			itemIndex,
			description: 'Enter or map the text the user says to the agent, or name a binary property with a file to send.',
		});
	}
	const connection = await getCozeConnection.call(this, itemIndex);
	const question = await questionMessage.call(this, connection, text, files, itemIndex);
	const body: IDataObject = {
		bot_id: botId,
		user_id: userId,
		additional_messages: [...earlierMessages(options.history, { userType: 'question', skipEmpty: true }), question],
	};
	const variables = keyValues(options.customVariables);
	if (variables) body.custom_variables = variables;
	const metadata = keyValues(options.metadata);
	if (metadata) body.meta_data = metadata;
	const conversationId = optionalId.call(this, options.conversationId, 'conversation ID', itemIndex);

	return await sendAndFollow.call(
		this,
		connection,
		{
			polled: async (limits) => await startChat.call(this, connection, body, conversationId, limits),
			streamed: async (limits) => await streamChat.call(this, connection, body, conversationId, limits),
		},
		options,
		chatWaitOf(options, itemIndex, CHAT_TIMEOUT_SECONDS),
	);
}

/**
 * The user's message: plain text, or with files an object_string list of text, image and file
 * items referring to the uploads by file_id, as a string (Coze Studio takes ids only as strings, §10.6).
 */
async function questionMessage(this: IExecuteFunctions, connection: CozeConnection, text: string, files: string[], itemIndex: number): Promise<IDataObject> {
	if (files.length === 0) return { role: 'user', type: 'question', content: text, content_type: 'text' };
	const items: IDataObject[] = text.trim() === '' ? [] : [{ type: 'text', text }];
	for (const property of files) {
		const uploaded = await uploadBinaryProperty.call(this, connection, property, itemIndex, 'the message');
		const fileId = uploadedFileId(this.getNode(), uploaded, itemIndex, 'The message cannot refer to it. Try again; the message was not sent.');
		items.push({ type: uploaded.mimeType.startsWith('image/') ? 'image' : 'file', file_id: fileId });
	}
	return { role: 'user', type: 'question', content: JSON.stringify(items), content_type: 'object_string' };
}


