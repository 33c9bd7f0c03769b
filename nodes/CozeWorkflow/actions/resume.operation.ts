import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { uploadBinaryForInput } from './shared/fileInputs';
import { runWorkflowStream } from './shared/streamRun';
import { withLoneOutputUnwrapped } from '../../shared/decoding/output';
import { itemParameter, readWorkflowId } from './shared/parameters';
import { resumeWorkflow } from '../../shared/api/workflows';
import { getCozeConnection } from '../../shared/transport';
import { pollRunUntilDone } from './shared/polling';
import {
	DEFAULT_POLL_INTERVAL_SECONDS,
	idleTimeoutMsOf,
	LONG_TIMEOUT_SECONDS,
	streamOptions,
	SYNC_TIMEOUT_SECONDS,
	timeoutOption,
	unwrapOutputVariableOption,
	unwrapTextOption,
	workflowLocator,
	workspaceField,
	concurrencyAndRetryOptions,
} from './common.descriptions';
import { secondsToMs, trimmedOrUndefined } from '../../shared/utils/values';
import { runResultFrom } from '../../shared/decoding/output';

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
		type: 'options',
		// The interrupt types of Coze's resume (coze-api.md §2.4); an expression can map the type field
		// of the interrupt.
		options: [
			{ name: 'Input Node', value: 5, description: 'The workflow waits at an input node' },
			{ name: 'Local Plugin', value: 1, description: 'The workflow waits for an end-side plugin' },
			{ name: 'OAuth Plugin', value: 7, description: 'The workflow waits for a plugin to be authorized' },
			{ name: 'Question Node', value: 2, description: 'The workflow asks a question' },
		],
		default: 2,
		description: 'What the run paused at: the type field of the interrupt',
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
			{
				name: 'Async Run',
				value: 'async',
				description: 'The run was started in Async mode (Coze cloud only); the rest of it runs async and is waited for',
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
			{
				displayName: 'Poll Interval',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: 0.2, numberPrecision: 1 },
				default: DEFAULT_POLL_INTERVAL_SECONDS,
				displayOptions: { show: { '/pausedIn': ['async'] } },
				description: 'Seconds between two looks at the run history while the resumed async run goes on',
			},
			unwrapTextOption,
			unwrapOutputVariableOption,
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['resume'] } }, properties);

interface ResumeOptions {
	answerBinaryProperty?: string;
	pollInterval?: number;
	idleTimeout?: number;
	includeMessages?: boolean;
	timeout?: number;
	unwrapText?: boolean;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { unwrapOutputVariable } = itemParameter(this, 'options', itemIndex, {}) as { unwrapOutputVariable?: boolean };
	return withLoneOutputUnwrapped(await executeOnce.call(this, itemIndex), unwrapOutputVariable);
}

async function executeOnce(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = this.getNode();
	const workflowId = readWorkflowId.call(this, itemIndex);
	const eventId = trimmedOrUndefined(itemParameter(this, 'eventId', itemIndex, ''));
	if (!eventId) {
		throw new NodeOperationError(node, 'No event ID is set', {
			itemIndex,
			description: 'Map the event_id of the interrupt field that the paused run returned.',
		});
	}
	const interruptType = Number(itemParameter(this, 'interruptType', itemIndex, 2));
	if (!Number.isInteger(interruptType)) {
		throw new NodeOperationError(node, 'The interrupt type must be a whole number', {
			itemIndex,
			description: 'Map the type of the interrupt field, e.g. 2 for a question node.',
		});
	}
	const pausedIn = itemParameter(this, 'pausedIn', itemIndex, 'stream') as string;
	const options = itemParameter(this, 'options', itemIndex, {}) as ResumeOptions;
	const unwrapText = options.unwrapText ?? true;
	const connection = await getCozeConnection.call(this, itemIndex);
	const fileProperty = trimmedOrUndefined(options.answerBinaryProperty);
	const resumeData = fileProperty
		? await uploadBinaryForInput.call(this, connection, fileProperty, 'Answer', itemIndex)
		: itemParameter(this, 'resumeData', itemIndex, '');
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

	if (pausedIn === 'sync' || pausedIn === 'async') {
		if (connection.region === 'studio') {
			throw new NodeOperationError(node, `Coze Studio cannot resume a${pausedIn === 'async' ? 'n Async' : ' Wait for Result'} run`, {
				itemIndex,
				description: 'Coze Studio has no resume for them (no workflows/resume endpoint): it resumes only runs started in Stream mode. Run the workflow in Stream mode and resume it with Paused In set to Stream Run.',
			});
		}
		// One endpoint for both: it goes on the way the run was started (coze.cn resume_workflow docs, coze-api.md §9.4).
		// The fallback is the option's own default, so an unset Timeout means what the editor shows.
		const timeoutMs = secondsToMs(options.timeout ?? LONG_TIMEOUT_SECONDS);
		const response = await resumeWorkflow.call(this, connection, body, { timeoutMs, itemIndex });
		const result = runResultFrom(response.body, response.logid, unwrapText);
		// An async run's resume answers only the execute_id to follow: waited for like an async run.
		const onlyAnExecuteId = result.execute_id !== undefined && !('data' in response.body) && !result.interrupt;
		if (pausedIn !== 'async' && !onlyAnExecuteId) return result;
		if (result.execute_id === undefined) {
			throw new NodeOperationError(node, 'Coze resumed the async run but sent no execute_id', {
				itemIndex,
				description: 'Without it the run cannot be followed. Open the debug URL, if any, or look at the run history in Coze.',
			});
		}
		return await pollRunUntilDone.call(this, connection, {
			workflowId,
			executeId: String(result.execute_id),
			itemIndex,
			intervalMs: secondsToMs(options.pollInterval ?? DEFAULT_POLL_INTERVAL_SECONDS),
			maxWaitMs: secondsToMs(options.timeout ?? LONG_TIMEOUT_SECONDS),
			requestTimeoutMs: secondsToMs(SYNC_TIMEOUT_SECONDS),
			unwrapText,
		});
	}

	return await runWorkflowStream.call(this, connection, {
		endpoint: 'resume',
		body,
		itemIndex,
		timeoutMs: secondsToMs(options.timeout ?? LONG_TIMEOUT_SECONDS),
		idleTimeoutMs: idleTimeoutMsOf(options.idleTimeout, connection.region),
		includeMessages: options.includeMessages ?? false,
		unwrapText,
	});
}
