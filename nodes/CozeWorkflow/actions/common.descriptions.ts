import type { INodeProperties } from 'n8n-workflow';

import { WORKFLOW_ID_REGEX, WORKFLOW_URL_REGEX } from '../helpers/workflowId';

export const workflowLocator: INodeProperties = {
	displayName: 'Workflow',
	name: 'workflowId',
	type: 'resourceLocator',
	default: { mode: 'id', value: '' },
	required: true,
	description: 'The published Coze workflow to run',
	modes: [
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 7398123456789012345',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: WORKFLOW_ID_REGEX,
						errorMessage: 'A workflow ID is a long number, e.g. 7398123456789012345',
					},
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://www.coze.cn/work_flow?space_id=…&workflow_id=7398123456789012345',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: `.*${WORKFLOW_URL_REGEX}.*`,
						errorMessage: 'Paste the address of the workflow in the Coze editor; it contains workflow_id=…',
					},
				},
			],
		},
	],
};

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
							'Value of the input. An expression keeps its type: {{ 42 }} is sent as a number, {{ $JSON.tags }} as an array.',
					},
				],
			},
		],
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

// Coze drops a run that waits for its result after 90 s; waiting a little longer lets its own
// answer (rather than our timeout) reach the user.
export const SYNC_TIMEOUT_SECONDS = 120;
// Streams and async waits are for long workflows: Coze's own cap on a run is 10 minutes.
export const LONG_TIMEOUT_SECONDS = 600;
export const IDLE_TIMEOUT_SECONDS = 120;

export const streamOptions: INodeProperties[] = [
	{
		displayName: 'Idle Timeout',
		name: 'idleTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: IDLE_TIMEOUT_SECONDS,
		description: 'Seconds of silence after which the stream is closed. Coze sends a heartbeat while the workflow works.',
	},
	{
		displayName: 'Include Messages',
		name: 'includeMessages',
		type: 'boolean',
		default: false,
		description: 'Whether to add every message the workflow streamed (node title and content, in order) as "messages"',
	},
];

export const unwrapTextOption: INodeProperties = {
	displayName: 'Unwrap Text Output',
	name: 'unwrapText',
	type: 'boolean',
	default: true,
	description:
		'Whether to return just the text when the workflow ends in text mode, instead of the {content_type, data} object Coze wraps it in',
};

export function timeoutOption(defaultSeconds: number, description: string): INodeProperties {
	return {
		displayName: 'Timeout',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: defaultSeconds,
		description,
	};
}

export const executeIdField: INodeProperties = {
	displayName: 'Execute ID',
	name: 'executeId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 7431040978805850000',
	description: 'The ID of the run, from the execute_id field of an earlier Run',
};
