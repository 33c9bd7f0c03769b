import type { INodeProperties } from 'n8n-workflow';

import { WORKFLOW_ID_REGEX, WORKFLOW_URL_REGEX } from '../../shared/decoding/resourceIds';
import { idleTimeoutOption, workspaceFilterField } from '../../shared/descriptions/options';

export {
	concurrencyAndRetryOptions,
	DEFAULT_POLL_INTERVAL_SECONDS,
	idleTimeoutMsOf,
	idleTimeoutOption,
	LONG_TIMEOUT_SECONDS,
	SYNC_TIMEOUT_SECONDS,
	timeoutOption,
} from '../../shared/descriptions/options';

export const workspaceField = workspaceFilterField('Workflow');

export const workflowLocator: INodeProperties = {
	displayName: 'Workflow',
	name: 'workflowId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The published Coze workflow to run',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a workflow…',
			typeOptions: { searchListMethod: 'searchWorkflows', searchable: true },
		},
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

export const streamOptions: INodeProperties[] = [
	idleTimeoutOption,
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

export const unwrapOutputVariableOption: INodeProperties = {
	displayName: 'Unwrap Output Variable',
	name: 'unwrapOutputVariable',
	type: 'boolean',
	default: false,
	description:
		'Whether to return the value of a lone "output" variable instead of {"output": …}. Coze Studio\'s default End node answers that way in every mode, and Studio\'s run history (Async, Get Run Result) gives a text End node\'s text that way too; turn on for the same shape in every mode.',
};

export const executeIdField: INodeProperties = {
	displayName: 'Execute ID',
	name: 'executeId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 7431040978805850000',
	description: 'The ID of the run, from the execute_id field of an earlier Run',
};

export const fileInputsOption: INodeProperties = {
	displayName: 'File Inputs',
	name: 'fileInputs',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	placeholder: 'Add File Input',
	description:
		'Workflow inputs that take files from the binary data of the item: each file is uploaded to Coze and the input receives it',
	options: [
		{
			displayName: 'File Input',
			name: 'file',
			values: [
				{
					displayName: 'Input Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: 'e.g. image',
					description: 'Name of the file input in the Start node',
				},
				{
					displayName: 'Binary Property',
					name: 'binaryProperty',
					type: 'string',
					default: 'data',
					placeholder: 'e.g. data, or data, photo2 for several files',
					description: 'Binary property of the item that holds the file; several, separated by commas, for an array input',
				},
				{
					displayName: 'Send as Array',
					name: 'asArray',
					type: 'boolean',
					default: false,
					description: 'Whether the input is an array of files (a single file is then sent as a one-element array)',
				},
			],
		},
	],
};

