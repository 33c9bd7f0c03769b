import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as run from './run.operation';

export const versionDescription: INodeTypeDescription = {
	displayName: 'Coze Workflow',
	name: 'cozeWorkflow',
	icon: { light: 'file:coze.svg', dark: 'file:coze.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle: '={{ "Run: " + ($parameter["workflowId"].value || "") }}',
	description:
		'Run a published Coze workflow with the given inputs and return its result (Coze China, Coze International or self-hosted Coze Studio)',
	defaults: {
		name: 'Coze Workflow',
	},
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [
		{
			name: 'cozeApi',
			required: true,
		},
	],
	properties: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Run',
					value: 'run',
					action: 'Run a workflow',
					description:
						"Run a published workflow with the given inputs and wait for its result: parsed data, the raw string, and a debug URL",
				},
			],
			default: 'run',
		},
		...run.description,
	],
};
