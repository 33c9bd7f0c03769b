import type { INodeProperties } from 'n8n-workflow';

import * as cancelChat from './cancelChat.operation';
import * as chat from './chat.operation';
import * as getChat from './getChat.operation';
import * as submitToolOutputs from './submitToolOutputs.operation';

export { cancelChat, chat, getChat, submitToolOutputs };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['agent'] } },
		options: [
			{
				name: 'Cancel Chat',
				value: 'cancelChat',
				action: 'Cancel a chat',
				description: 'Stop a chat the agent is still answering',
			},
			{
				name: 'Chat',
				value: 'chat',
				action: 'Chat with an agent',
				description: "Send a message to a published agent and return its answer, follow-up suggestions and the conversation's ID",
			},
			{
				name: 'Get Chat',
				value: 'getChat',
				action: 'Get a chat',
				description: "Look up a chat's status, and its answer and messages once it has ended",
			},
			{
				name: 'Submit Tool Outputs',
				value: 'submitToolOutputs',
				action: 'Submit tool outputs to a chat',
				description: 'Answer the tool calls a chat waits for (status requires_action) and return the rest of the answer',
			},
		],
		default: 'chat',
	},
	...chat.description,
	...submitToolOutputs.description,
	...getChat.description,
	...cancelChat.description,
];
