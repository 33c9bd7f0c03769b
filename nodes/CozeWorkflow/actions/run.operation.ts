import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { runWorkflow } from '../../shared/api/workflows';
import { executeIdFrom, runResultFrom, withLoneOutputUnwrapped } from '../../shared/decoding/output';
import { secondsToMs, trimmedOrUndefined } from '../../shared/utils/values';
import { itemParameter, readWorkflowId } from './shared/parameters';
import type { CozeConnection } from '../../shared/transport';
import { getCozeConnection } from '../../shared/transport';
import { pollRunUntilDone } from './shared/polling';
import { runWorkflowStream } from './shared/streamRun';
import type { FileInputRow } from './shared/workflowInputs';
import { readWorkflowInputs } from './shared/workflowInputs';
import { workflowInputs } from './inputs.descriptions';
import {
	fileInputsOption,
	idleTimeoutMsOf,
	LONG_TIMEOUT_SECONDS,
	streamOptions,
	SYNC_TIMEOUT_SECONDS,
	DEFAULT_POLL_INTERVAL_SECONDS,
	timeoutOption,
	unwrapOutputVariableOption,
	unwrapTextOption,
	workflowLocator,
	workspaceField,
	concurrencyAndRetryOptions,
} from './common.descriptions';


// Not named `mode`: n8n 2.x's node picker lists the options of a property called `mode` as the
// node's actions when its codex category is AI (it showed Async, Stream and Wait For Result beside
// the four operations).
const onlyFor = (...modes: string[]) => ({ show: { '/runMode': modes } });

const properties: INodeProperties[] = [
	workspaceField,
	workflowLocator,
	{
		displayName: 'Mode',
		name: 'runMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Async',
				value: 'async',
				description:
					'Start the run in the background (paid Coze plans) and wait for it by polling its run history, or return its execute_id at once',
			},
			{
				name: 'Stream',
				value: 'stream',
				description:
					'Follow the run as it streams; for workflows that take longer than 90 s or stream messages',
			},
			{
				name: 'Wait for Result',
				value: 'sync',
				description: 'One request that returns the result; Coze gives up on it after 90 s',
			},
		],
		default: 'sync',
	},
	...workflowInputs,
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		displayOptions: { show: { runMode: ['async'] } },
		description:
			'Whether to poll the run history until the run ends and return its result, instead of returning its execute_id at once',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'App ID',
				name: 'appId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 7398123456789012345',
				description:
					'For workflows that belong to a Coze app: the number after project-ide/ in the app editor address. Do not set together with Bot ID.',
			},
			{
				displayName: 'Bot ID',
				name: 'botId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 7398123456789012345',
				description:
					'Agent to run the workflow for, needed when it uses database or variable nodes. The agent must be published as an API. Do not set together with App ID.',
			},
			{
				displayName: 'Connector ID',
				name: 'connectorId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1024',
				description: 'Channel the run is attributed to. Coze uses 1024 (API) when empty.',
			},
			{
				displayName: 'Ext',
				name: 'ext',
				type: 'fixedCollection',
				default: {},
				placeholder: 'Add Ext Field',
				description: 'Extra fields that Coze passes to the workflow; sent as text',
				options: [
					{
						displayName: 'Values',
						name: 'values',
						values: [
							{ displayName: 'Latitude', name: 'latitude', type: 'string', default: '', placeholder: 'e.g. 39.9042' },
							{ displayName: 'Longitude', name: 'longitude', type: 'string', default: '', placeholder: 'e.g. 116.4074' },
							{ displayName: 'User ID', name: 'user_id', type: 'string', default: '', placeholder: 'e.g. user-42' },
						],
					},
				],
			},
			fileInputsOption,
			...concurrencyAndRetryOptions,
			...streamOptions.map((option) => ({ ...option, displayOptions: onlyFor('stream') })),
			{
				displayName: 'Max Wait',
				name: 'maxWait',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: LONG_TIMEOUT_SECONDS,
				displayOptions: onlyFor('async'),
				description:
					'Seconds to wait for an async run before giving up on waiting (the run goes on in Coze; fetch it later with Get Run Result)',
			},
			{
				displayName: 'Poll Interval',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: 0.2, numberPrecision: 1 },
				default: DEFAULT_POLL_INTERVAL_SECONDS,
				displayOptions: onlyFor('async'),
				description: 'Seconds between two looks at the run history of an async run',
			},
			{
				...timeoutOption(
					SYNC_TIMEOUT_SECONDS,
					'Seconds to wait for the result. Coze itself stops waiting after 90 s, so longer workflows need Stream or Async mode.',
				),
				displayOptions: onlyFor('sync', 'async'),
			},
			{
				...timeoutOption(LONG_TIMEOUT_SECONDS, 'Seconds to follow the stream before giving up on it'),
				name: 'streamTimeout',
				displayOptions: onlyFor('stream'),
			},
			unwrapTextOption,
			unwrapOutputVariableOption,
			{
				displayName: 'Workflow Version',
				name: 'workflowVersion',
				type: 'string',
				default: '',
				placeholder: 'e.g. v0.0.5',
				description:
					'Published version to run, for workflows in the resource library. Empty runs the latest. Coze Studio always runs the latest.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['run'] } }, properties);

interface RunOptions {
	appId?: string;
	fileInputs?: { file?: FileInputRow[] };
	botId?: string;
	connectorId?: string;
	ext?: { values?: Record<string, unknown> };
	idleTimeout?: number;
	includeMessages?: boolean;
	maxWait?: number;
	pollInterval?: number;
	streamTimeout?: number;
	timeout?: number;
	unwrapText?: boolean;
	unwrapOutputVariable?: boolean;
	workflowVersion?: string;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { unwrapOutputVariable } = itemParameter<RunOptions>(this, 'options', itemIndex, {});
	return withLoneOutputUnwrapped(await executeOnce.call(this, itemIndex), unwrapOutputVariable);
}

async function executeOnce(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const workflowId = readWorkflowId.call(this, itemIndex);
	const mode = itemParameter<string>(this, 'runMode', itemIndex, 'sync');
	const options = itemParameter<RunOptions>(this, 'options', itemIndex, {});
	const connection = await getCozeConnection.call(this, itemIndex);
	const body = runBody.call(this, workflowId, options, itemIndex);
	body.parameters = await readWorkflowInputs.call(this, connection, workflowId, options.fileInputs?.file ?? [], itemIndex);
	const unwrapText = options.unwrapText ?? true;

	if (mode === 'stream') {
		return await runWorkflowStream.call(this, connection, {
			endpoint: 'run',
			body,
			itemIndex,
			timeoutMs: secondsToMs(options.streamTimeout ?? LONG_TIMEOUT_SECONDS),
			idleTimeoutMs: idleTimeoutMsOf(options.idleTimeout, connection.region),
			includeMessages: options.includeMessages ?? false,
			unwrapText,
		});
	}

	const response = await runWorkflow.call(this, connection, mode === 'async' ? { ...body, is_async: true } : body, {
		timeoutMs: secondsToMs(options.timeout ?? SYNC_TIMEOUT_SECONDS),
		itemIndex,
	});
	if (mode !== 'async') return runResultFrom(response.body, response.logid, unwrapText);
	return await awaitAsyncRun.call(this, connection, workflowId, response.body, response.logid, options, itemIndex);
}

async function awaitAsyncRun(
	this: IExecuteFunctions,
	connection: CozeConnection,
	workflowId: string,
	body: Record<string, unknown>,
	logid: string | undefined,
	options: RunOptions,
	itemIndex: number,
): Promise<IDataObject> {
	const executeId = executeIdFrom(body);
	if (!executeId) {
		throw new NodeOperationError(this.getNode(), 'Coze started the async run but sent no execute_id', {
			itemIndex,
			description: 'Without it the run cannot be followed. Open the debug URL, if any, to see the run.',
		});
	}
	const started: IDataObject = {
		status: 'Running',
		execute_id: executeId,
		debug_url: typeof body.debug_url === 'string' ? body.debug_url : '',
	};
	if (logid) started.logid = logid;
	if (!itemParameter<boolean>(this, 'waitForCompletion', itemIndex, true)) return started;

	return await pollRunUntilDone.call(this, connection, {
		workflowId,
		executeId,
		itemIndex,
		intervalMs: secondsToMs(options.pollInterval ?? DEFAULT_POLL_INTERVAL_SECONDS),
		maxWaitMs: secondsToMs(options.maxWait ?? LONG_TIMEOUT_SECONDS),
		requestTimeoutMs: secondsToMs(options.timeout ?? SYNC_TIMEOUT_SECONDS),
		unwrapText: options.unwrapText ?? true,
	});
}

function runBody(this: IExecuteFunctions, workflowId: string, options: RunOptions, itemIndex: number): IDataObject {
	const node = this.getNode();
	const botId = trimmedOrUndefined(options.botId);
	const appId = trimmedOrUndefined(options.appId);
	if (botId && appId) {
		throw new NodeOperationError(node, 'Bot ID and App ID cannot both be set', {
			itemIndex,
			description:
				'Use App ID for a workflow that belongs to a Coze app, Bot ID for one run on behalf of an agent, and remove the other.',
		});
	}
	const body: IDataObject = { workflow_id: workflowId };
	if (botId) body.bot_id = botId;
	if (appId) body.app_id = appId;
	const ext = extFrom(options.ext?.values);
	if (ext) body.ext = ext;
	const version = trimmedOrUndefined(options.workflowVersion);
	if (version) body.workflow_version = version;
	const connectorId = trimmedOrUndefined(options.connectorId);
	if (connectorId) body.connector_id = connectorId;
	return body;
}

/** Coze honours only these ext keys, and Coze Studio rejects any value that is not a string. */
function extFrom(values: Record<string, unknown> | undefined): IDataObject | undefined {
	if (!values) return undefined;
	const ext: IDataObject = {};
	for (const key of ['user_id', 'latitude', 'longitude']) {
		const text = trimmedOrUndefined(values[key]);
		if (text !== undefined) ext[key] = text;
	}
	return Object.keys(ext).length > 0 ? ext : undefined;
}
