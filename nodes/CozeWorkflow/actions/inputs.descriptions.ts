import type { INodeProperties } from 'n8n-workflow';

/** How Run takes the workflow's inputs: Key/Value rows, a JSON object, or each input mapped (Start-node schema). */
export const workflowInputs: INodeProperties[] = [
	{
		displayName: 'Workflow Inputs',
		name: 'inputMode',
		type: 'options',
		options: [
			{
				name: 'Key/Value',
				value: 'keyValue',
				description: 'One row per input of the Start node',
			},
			{
				name: 'JSON',
				value: 'json',
				description: 'An object whose keys are the inputs of the Start node',
			},
			{
				name: 'Map Each Input',
				value: 'schema',
				description:
					"One field per input of the workflow's Start node, with its type and whether it is required (Coze cloud)",
			},
		],
		default: 'keyValue',
		description: "How to give the values of the workflow's Start node inputs",
	},
	{
		displayName: 'Inputs',
		name: 'parameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Input',
		default: {},
		displayOptions: { show: { inputMode: ['keyValue'] } },
		options: [
			{
				displayName: 'Input',
				name: 'parameter',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. city',
						description: 'Name of the input as defined in the Start node',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. Beijing',
						description:
							'Value of the input. An expression keeps its type: {{ 42 }} is sent as a number, and an expression that gives a list, such as the tags field of the item, as an array.',
					},
				],
			},
		],
	},
	{
		displayName: 'Inputs',
		name: 'inputsSchema',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		displayOptions: { show: { inputMode: ['schema'] } },
		typeOptions: {
			loadOptionsDependsOn: ['workflowId.value'],
			resourceMapper: {
				resourceMapperMethod: 'getWorkflowInputs',
				mode: 'add',
				fieldWords: { singular: 'input', plural: 'inputs' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: true,
			},
		},
		description:
			'For a file input, enter the name of the binary property that holds the file (e.g. data), or a URL of the file',
	},
	{
		displayName: 'Inputs (JSON)',
		name: 'parametersJson',
		type: 'json',
		default: '{}',
		displayOptions: { show: { inputMode: ['json'] } },
		description: 'An object whose keys are the inputs of the Start node, e.g. {"city": "Beijing"}',
	},
];
