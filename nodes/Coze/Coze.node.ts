import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationField, cozeCredentials } from '../shared/descriptions/authentication';
import * as agent from './actions/agent';
import * as conversation from './actions/conversation';
import * as file from './actions/file';
import { router } from './actions/router';
import * as workspace from './actions/workspace';
import { searchAgents } from './methods/listSearch';
import { getWorkspaces } from './methods/loadOptions';

export class Coze implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Coze',
		name: 'coze',
		icon: { light: 'file:coze.svg', dark: 'file:coze.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Chat with Coze agents (bots), keep their conversations, upload files and list workspaces and agents (Coze China, Coze International or self-hosted Coze Studio)',
		defaults: {
			name: 'Coze',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: cozeCredentials,
		properties: [
			authenticationField,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Agent', value: 'agent' },
					{ name: 'Conversation', value: 'conversation' },
					{ name: 'File', value: 'file' },
					{ name: 'Workspace', value: 'workspace' },
				],
				default: 'agent',
			},
			...agent.description,
			...conversation.description,
			...file.description,
			...workspace.description,
		],
	};

	methods = {
		listSearch: { searchAgents },
		loadOptions: { getWorkspaces },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
