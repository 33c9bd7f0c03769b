import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { streamSubmitToolOutputs, submitToolOutputs } from '../../../shared/api/agents';
import { concurrencyAndRetryOptions, idleTimeoutOption, timeoutOption } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { chatIdField, conversationIdField } from '../descriptions';
import { itemParameter, requiredText } from '../parameters';
import { refuseOnStudio } from '../studioLimits';
import { sendAndFollow } from './followChat';
import { answerWaitOptions, CHAT_TIMEOUT_SECONDS, chatWaitOf } from './waitOptions';

const properties: INodeProperties[] = [
	conversationIdField,
	{ ...chatIdField, description: 'The chat_id of the Chat that came out with status requires_action' },
	{
		displayName: 'Tool Outputs',
		name: 'toolOutputs',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Tool Output',
		description: 'One result for each of the tool calls the agent waits for (tool_calls of the Chat output)',
		options: [
			{
				displayName: 'Tool Output',
				name: 'output',
				values: [
					{
						displayName: 'Tool Call ID',
						name: 'toolCallId',
						type: 'string',
						default: '',
						placeholder: 'e.g. call_7431040978805850003',
						description: 'The ID of the tool call this answers',
					},
					{
						displayName: 'Output',
						name: 'output',
						type: 'string',
						default: '',
						description: "The tool's result, as text (JSON as text for structured results)",
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			idleTimeoutOption,
			...answerWaitOptions,
			timeoutOption(CHAT_TIMEOUT_SECONDS, 'Seconds to wait for the rest of the answer'),
			...concurrencyAndRetryOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['agent'], operation: ['submitToolOutputs'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = this.getNode();
	const conversationId = requiredText.call(this, 'conversationId', itemIndex, 'conversation ID', 'Map the conversation_id of the Chat that waits for tool outputs.');
	const chatId = requiredText.call(this, 'chatId', itemIndex, 'chat ID', 'Map the chat_id of the Chat that waits for tool outputs.');
	const entries = (itemParameter(this, 'toolOutputs', itemIndex, {}) as { output?: Array<{ toolCallId?: unknown; output?: unknown }> }).output ?? [];
	const toolOutputs = entries.map((entry) => ({ tool_call_id: String(entry.toolCallId ?? '').trim(), output: typeof entry.output === 'string' ? entry.output : JSON.stringify(entry.output ?? '') }));
	if (toolOutputs.length === 0 || toolOutputs.some((entry) => entry.tool_call_id === '')) {
		throw new NodeOperationError(node, toolOutputs.length === 0 ? 'No tool output is set' : 'A tool output has no tool call ID', {
			itemIndex,
			description: 'Add one Tool Output per tool call of the chat, with the id from its tool_calls.',
		});
	}
	const connection = await getCozeConnection.call(this, itemIndex);
	refuseOnStudio(this, connection, itemIndex, 'take tool outputs', 'Its agents never wait for client-side tools: give the agent the tool as a plugin or workflow in Coze Studio instead.');
	const options = itemParameter(this, 'options', itemIndex, {}) as { idleTimeout?: number; responseMode?: string; timeout?: number };
	const chat = { conversationId, chatId };
	return await sendAndFollow.call(
		this,
		connection,
		{
			polled: async (limits) => await submitToolOutputs.call(this, connection, chat, toolOutputs, limits),
			streamed: async (limits) => await streamSubmitToolOutputs.call(this, connection, chat, toolOutputs, limits),
		},
		options,
		chatWaitOf(options, itemIndex, CHAT_TIMEOUT_SECONDS),
	);
}
