import type { INodeProperties } from 'n8n-workflow';

import * as list from './list.operation';
import * as listAgents from './listAgents.operation';

export { list, listAgents };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['workspace'] } },
		options: [
			{ name: 'List', value: 'list', action: 'List workspaces', description: 'Return the workspaces the token can see, one item each' },
			{
				name: 'List Agents',
				value: 'listAgents',
				action: 'List the agents of a workspace',
				description: 'Return the agents of a workspace, one item each',
			},
		],
		default: 'list',
	},
	...list.description,
	...listAgents.description,
];
