import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { uploadBinaryForInput } from '../helpers/files';
import { runWorkflowStream } from '../helpers/streamRun';
import { readWorkflowId } from '../helpers/workflowId';
import { cozeApiRequest, getCozeConnection } from '../transport';
import {
	IDLE_TIMEOUT_SECONDS,
	LONG_TIMEOUT_SECONDS,
	streamOptions,
	SYNC_TIMEOUT_SECONDS,
	timeoutOption,
	unwrapTextOption,
	workflowLocator,
	workspaceField,
	concurrencyAndRetryOptions,
} from './common.descriptions';
import { runResult, seconds, textOption } from './run.operation';

const properties: INodeProperties[] = [
	workspaceField,
	{ ...workflowLocator, description: 'The workflow whose run paused' },
	{
		displayName: 'Event ID',
		name: 'eventId',
		type: 'string',
		default: '={{ $json.interrupt ? $json.interrupt.event_id : "" }}',
		required: true,
		description: 'The event_id of the pause, from the interrupt field of the run that paused',
	},
	{
		displayName: 'Interrupt Type',
		name: 'interruptType',
		type: 'number',
		default: 2,
		description: 'The type of the pause, from the interrupt field: 2 for a question node, 5 for an input node',
	},
	{
		displayName: 'Answer',
		name: 'resumeData',
		type: 'string',
		default: '',
		typeOptions: { rows: 2 },
		placeholder: 'e.g. Hangzhou, tomorrow',
		description:
			'The answer to the question. For an input node, a JSON object with its fields; for a file, {"file_id": "…"}.',
	},
	{
		displayName: 'Paused In',
		name: 'pausedIn',
		type: 'options',
		options: [
			{
				name: 'Stream Run',
				value: 'stream',
				description: 'The run was started in Stream mode; the rest of it is streamed',
			},
			{
				name: 'Wait for Result Run',
				value: 'sync',
				description: 'The run was started in Wait for Result mode (Coze cloud only)',
			},
		],
		default: 'stream',
		description: 'How the paused run was started; the interrupt field says so in paused_in',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Answer With File',
				name: 'answerBinaryProperty',
				type: 'string',
				default: '',
				placeholder: 'e.g. data',
				description:
					'Binary property of the item that holds a file to answer with (for a node that asks for a file); it is uploaded and replaces Answer',
			},
			...streamOptions,
			...concurrencyAndRetryOptions,
			timeoutOption(LONG_TIMEOUT_SECONDS, 'Seconds to wait for the rest of the run'),
			unwrapTextOption,
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['resume'] } }, properties);

interface ResumeOptions {
	answerBinaryProperty?: string;
	idleTimeout?: number;
	includeMessages?: boolean;
	timeout?: number;
	unwrapText?: boolean;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = this.getNode();
	const workflowId = readWorkflowId.call(this, itemIndex);
	const eventId = textOption(this.getNodeParameter('eventId', itemIndex, ''));
	if (!eventId) {
		throw new NodeOperationError(node, 'No event ID is set', {
			itemIndex,
			description: 'Map the event_id of the interrupt field that the paused run returned.',
		});
	}
	const interruptType = Number(this.getNodeParameter('interruptType', itemIndex, 2));
	if (!Number.isInteger(interruptType)) {
		throw new NodeOperationError(node, 'The interrupt type must be a whole number', {
			itemIndex,
			description: 'Map the type of the interrupt field, e.g. 2 for a question node.',
		});
	}
	const pausedIn = this.getNodeParameter('pausedIn', itemIndex, 'stream') as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as ResumeOptions;
	const unwrapText = options.unwrapText ?? true;
	const connection = await getCozeConnection.call(this, itemIndex);
	const fileProperty = textOption(options.answerBinaryProperty);
	const resumeData = fileProperty
		? await uploadBinaryForInput.call(this, connection, fileProperty, 'Answer', itemIndex)
		: this.getNodeParameter('resumeData', itemIndex, '');
	if (resumeData === '' || resumeData === undefined || resumeData === null) {
		throw new NodeOperationError(node, 'No answer is set', {
			itemIndex,
			description: 'Enter the answer to the question, or name a binary property under Answer With File.',
		});
	}
	const body: IDataObject = {
		workflow_id: workflowId,
		event_id: eventId,
		interrupt_type: interruptType,
		resume_data: typeof resumeData === 'string' ? resumeData : JSON.stringify(resumeData),
	};

	if (pausedIn === 'sync') {
		if (connection.region === 'studio') {
			throw new NodeOperationError(node, 'Coze Studio cannot resume a Wait for Result run', {
				itemIndex,
				description: 'Coze Studio pauses only runs started in Stream mode; resume those with Paused In set to Stream Run.',
			});
		}
		const response = await cozeApiRequest.call(this, connection, {
			method: 'POST',
			path: '/v1/workflows/resume',
			body,
			timeoutMs: seconds(options.timeout ?? SYNC_TIMEOUT_SECONDS),
			itemIndex,
		});
		return runResult(response.body, response.logid, unwrapText);
	}

	return await runWorkflowStream.call(this, connection, {
		path: '/v1/workflow/stream_resume',
		body,
		itemIndex,
		timeoutMs: seconds(options.timeout ?? LONG_TIMEOUT_SECONDS),
		idleTimeoutMs: seconds(options.idleTimeout ?? IDLE_TIMEOUT_SECONDS),
		includeMessages: options.includeMessages ?? false,
		unwrapText,
	});
}
