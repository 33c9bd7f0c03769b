import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { foldChatStream } from '../../shared/decoding/chatStream';
import { inputsFromJson } from '../../shared/decoding/inputs';
import { itemParameter, readWorkflowId } from './shared/parameters';
import { streamFailure } from '../../shared/actions/streamFailure';
import { chatWorkflow } from '../../shared/api/workflows';
import { getCozeConnection } from '../../shared/transport';
import { idleTimeoutMsOf, idleTimeoutOption, LONG_TIMEOUT_SECONDS, timeoutOption, workflowLocator, workspaceField, concurrencyAndRetryOptions } from './common.descriptions';
import { secondsToMs, trimmedOrUndefined } from '../../shared/utils/values';
import { earlierMessages, earlierMessagesOption } from '../../shared/descriptions/messages';

const properties: INodeProperties[] = [
	workspaceField,
	{ ...workflowLocator, displayName: 'Chatflow', description: 'The published chatflow to talk to' },
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 2 },
		placeholder: 'e.g. What will the weather be in Hangzhou tomorrow?',
		description: "The user's message; the chatflow receives it as USER_INPUT",
	},
	{
		displayName: 'App or Bot',
		name: 'chatOwner',
		type: 'options',
		options: [
			{ name: 'App', value: 'app', description: 'The chatflow belongs to a Coze app' },
			{ name: 'Bot', value: 'bot', description: 'The chatflow is run for an agent published as an API' },
		],
		default: 'app',
		description: 'Coze needs one of the two to run a chatflow',
	},
	{
		displayName: 'App ID',
		name: 'appId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { chatOwner: ['app'] } },
		placeholder: 'e.g. 7398123456789012345',
		description: 'The number after project-ide/ in the app editor address',
	},
	{
		displayName: 'Bot ID',
		name: 'botId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { chatOwner: ['bot'] } },
		placeholder: 'e.g. 7398123456789012345',
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
				description: 'Continue this conversation (the conversation_id of an earlier Chat); empty starts a new one',
			},
			earlierMessagesOption('Messages to send before Message, oldest first'),
			idleTimeoutOption,
			{
				displayName: 'Inputs (JSON)',
				name: 'parametersJson',
				type: 'json',
				default: '{}',
				description: "Values for the chatflow's other Start node inputs, e.g. {\"CONVERSATION_NAME\": \"support\"}",
			},
			timeoutOption(LONG_TIMEOUT_SECONDS, 'Seconds to wait for the whole answer'),
			...concurrencyAndRetryOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['chat'] } }, properties);

interface ChatOptions {
	conversationId?: string;
	history?: unknown;
	idleTimeout?: number;
	parametersJson?: unknown;
	timeout?: number;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = this.getNode();
	const workflowId = readWorkflowId.call(this, itemIndex);
	const message = String(itemParameter(this, 'message', itemIndex, '') ?? '');
	if (message.trim() === '') {
		throw new NodeOperationError(node, 'The message is empty', {
			itemIndex,
			description: 'Enter or map the text the user says to the chatflow.',
		});
	}
	const owner = itemParameter(this, 'chatOwner', itemIndex, 'app') as string;
	const ownerId = trimmedOrUndefined(itemParameter(this, owner === 'bot' ? 'botId' : 'appId', itemIndex, ''));
	if (!ownerId) {
		throw new NodeOperationError(node, `No ${owner === 'bot' ? 'bot' : 'app'} ID is set`, {
			itemIndex,
			description: 'Coze runs a chatflow only for an app or an agent: enter its ID.',
		});
	}
	const options = itemParameter(this, 'options', itemIndex, {}) as ChatOptions;
	const earlier = earlierMessages(options.history);
	const body: IDataObject = {
		workflow_id: workflowId,
		additional_messages: [...earlier, { role: 'user', content: message, content_type: 'text' }],
		parameters: inputsFromJson(node, options.parametersJson ?? '{}', 'Inputs (JSON)', itemIndex),
		[owner === 'bot' ? 'bot_id' : 'app_id']: ownerId,
	};
	const conversationId = trimmedOrUndefined(options.conversationId);
	if (conversationId) body.conversation_id = conversationId;

	const connection = await getCozeConnection.call(this, itemIndex);
	const stream = await chatWorkflow.call(this, connection, body, {
		itemIndex,
		timeoutMs: secondsToMs(options.timeout ?? LONG_TIMEOUT_SECONDS),
		idleTimeoutMs: idleTimeoutMsOf(options.idleTimeout, connection.region),
	});
	try {
		const chat = await foldChatStream(stream.events, stream.maxKeptChars);
		const result: IDataObject = { ...chat };
		if (chat.status === 'requires_action') {
			// Shaped like a paused run's interrupt, so flows handle both the same way; the reply
			// goes back with another Chat in this conversation.
			result.interrupt = {
				question: chat.answer,
				required_action: chat.required_action ?? {},
				conversation_id: chat.conversation_id ?? '',
				paused_in: 'chat',
			};
		}
		if (stream.logid) result.logid = stream.logid;
		return result;
	} catch (error) {
		throw streamFailure(node, error, stream.logid, itemIndex, {
			summary: 'The chat stream from Coze ended before the answer was complete',
			hint: 'The connection closed without a final event. The message was not resent automatically; check the conversation in Coze.',
		});
	}
}
