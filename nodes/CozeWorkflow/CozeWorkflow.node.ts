import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationField, cozeCredentials } from '../shared/descriptions/authentication';
import { router } from './actions/router';
import * as chat from './actions/chat.operation';
import * as getRunResult from './actions/getRunResult.operation';
import * as resume from './actions/resume.operation';
import * as run from './actions/run.operation';
import { searchWorkflows } from './methods/listSearch';
import { getWorkspaces } from './methods/loadOptions';
import { getWorkflowInputs } from './methods/resourceMapping';

export class CozeWorkflow implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Coze Workflow',
		name: 'cozeWorkflow',
		icon: { light: 'file:coze.svg', dark: 'file:coze.dark.svg' },
		group: ['transform'],
		version: 1,
		// What the node does, e.g. "Run: 7398123456789012345". $parameter gives a resource locator as its
		// value alone (so the former `.value` here was always empty).
		subtitle:
			'={{ ({ run: "Run", getRunResult: "Get Run Result", resume: "Resume", chat: "Chat" })[$parameter["operation"]] + ": " + ($parameter["workflowId"] || "") }}',
		description:
			'Run a published Coze workflow with the given inputs and return its result (Coze China, Coze International or self-hosted Coze Studio)',
		defaults: {
			name: 'Coze Workflow',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: cozeCredentials,
		properties: [
			authenticationField,
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Chat',
						value: 'chat',
						action: 'Chat with a chatflow',
						description: 'Send a message to a published chatflow and return its answer and conversation ID',
					},
					{
						name: 'Get Run Result',
						value: 'getRunResult',
						action: 'Get the result of a run',
						description: 'Look up a run by its execute ID: status, result, error and usage',
					},
					{
						name: 'Resume',
						value: 'resume',
						action: 'Resume a paused run',
						description: 'Answer the question or input node a run paused at, and return the rest of the run',
					},
					{
						name: 'Run',
						value: 'run',
						action: 'Run a workflow',
						description:
							'Run a published workflow with the given inputs and return its result: parsed data, the raw string, and a debug URL',
					},
				],
				default: 'run',
			},
			...run.description,
			...getRunResult.description,
			...resume.description,
			...chat.description,
		],
	};

	methods = {
		listSearch: { searchWorkflows },
		loadOptions: { getWorkspaces },
		resourceMapping: { getWorkflowInputs },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
