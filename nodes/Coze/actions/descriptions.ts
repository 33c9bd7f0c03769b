import type { INodeProperties } from 'n8n-workflow';

import { AGENT_ID_REGEX, AGENT_URL_REGEX } from '../../shared/decoding/resourceIds';
import { workspaceFilterField } from '../../shared/descriptions/options';

/** Fields several of the Coze node's operations share. */

export const workspaceField = workspaceFilterField('Agent');

/** The Workspace field of a listing (agents, knowledge bases): required, chosen or given by ID. */
export function listedWorkspaceField(listed: string, note = ''): INodeProperties {
	return {
		displayName: 'Workspace Name or ID',
		name: 'workspaceId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getWorkspaces' },
		default: '',
		required: true,
		description: `The workspace whose ${listed} to list.${note} Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>`,
	};
}

export const agentLocator: INodeProperties = {
	displayName: 'Agent',
	name: 'agentId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The agent (bot) to talk to; it must be published as an API',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an agent…',
			typeOptions: { searchListMethod: 'searchAgents', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 7398123456789012345',
			validation: [
				{
					type: 'regex',
					properties: { regex: AGENT_ID_REGEX, errorMessage: 'An agent ID is a long number, e.g. 7398123456789012345' },
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://www.coze.cn/space/7350000000000000000/bot/7398123456789012345',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: `.*${AGENT_URL_REGEX}.*`,
						errorMessage: 'Paste the address of the agent in the Coze editor; it contains /bot/…',
					},
				},
			],
		},
	],
};

export const conversationIdField: INodeProperties = {
	displayName: 'Conversation ID',
	name: 'conversationId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 7431040978805850000',
	description: 'The conversation_id of an earlier Chat or Create Conversation',
};

export const chatIdField: INodeProperties = {
	displayName: 'Chat ID',
	name: 'chatId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 7431040978805850001',
	description: 'The chat_id of the Chat to look at',
};

/** A list operation's Return All / Limit pair (n8n's convention). */
export function returnAllAndLimit(maxLimit: number): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: maxLimit },
			default: 50,
			displayOptions: { show: { returnAll: [false] } },
			description: 'Max number of results to return',
		},
	];
}

/** Name/value pairs: custom variables, metadata. */
export function keyValueCollection(displayName: string, name: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Value',
		description,
		options: [
			{
				displayName: 'Value',
				name: 'value',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	};
}
