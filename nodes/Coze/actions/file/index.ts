import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as upload from './upload.operation';

export { get, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['file'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get a file', description: "Look up an uploaded file's name, size and upload time" },
			{ name: 'Upload', value: 'upload', action: 'Upload a file', description: 'Upload a file from binary data, for a chat or a workflow input' },
		],
		default: 'upload',
	},
	...upload.description,
	...get.description,
];
