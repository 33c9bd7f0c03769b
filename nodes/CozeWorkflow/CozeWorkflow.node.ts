import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import * as run from './actions/run.operation';

export class CozeWorkflow implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Coze Workflow',
		name: 'cozeWorkflow',
		icon: { light: 'file:coze.svg', dark: 'file:coze.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ "Run " + ($parameter["workflowId"].value || "") }}',
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
							'Run a published workflow with the given inputs and wait for its result: parsed data, the raw string, and a debug URL',
					},
				],
				default: 'run',
			},
			...run.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
