import type { INodeProperties } from 'n8n-workflow';

import * as clear from './clear.operation';
import * as create from './create.operation';
import * as listMessages from './listMessages.operation';

export { clear, create, listMessages };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversation'] } },
		options: [
			{
				name: 'Clear Context',
				value: 'clear',
				action: 'Clear the context of a conversation',
				description: 'Make the agent forget the conversation so far; its messages stay in Coze',
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Create a conversation',
				description: 'Start a conversation, e.g. one per customer, to continue with Chat',
			},
			{
				name: 'List Messages',
				value: 'listMessages',
				action: 'List the messages of a conversation',
				description: 'Return the messages of a conversation, one item each',
			},
		],
		default: 'create',
	},
	...create.description,
	...listMessages.description,
	...clear.description,
];
