import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationField, cozeCredentials } from '../shared/descriptions/authentication';
import * as agent from './actions/agent';
import * as audio from './actions/audio';
import * as conversation from './actions/conversation';
import * as file from './actions/file';
import * as knowledgeBase from './actions/knowledgeBase';
import { router } from './actions/router';
import * as workspace from './actions/workspace';
import { searchAgents, searchKnowledgeBases } from './methods/listSearch';
import { getVoices, getWorkspaces } from './methods/loadOptions';

export class Coze implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Coze',
		name: 'coze',
		icon: { light: 'file:coze.svg', dark: 'file:coze.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Chat with Coze agents (bots), keep their conversations and knowledge bases, turn text into speech and back, upload files and list workspaces and agents (Coze China, Coze International or self-hosted Coze Studio)',
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
					{ name: 'Audio', value: 'audio' },
					{ name: 'Conversation', value: 'conversation' },
					{ name: 'File', value: 'file' },
					{ name: 'Knowledge Base', value: 'knowledgeBase' },
					{ name: 'Workspace', value: 'workspace' },
				],
				default: 'agent',
			},
			...agent.description,
			...audio.description,
			...conversation.description,
			...file.description,
			...knowledgeBase.description,
			...workspace.description,
		],
	};

	methods = {
		listSearch: { searchAgents, searchKnowledgeBases },
		loadOptions: { getVoices, getWorkspaces },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
