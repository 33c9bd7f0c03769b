import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { NameValuePair } from '../helpers/inputs';
import { inputsFromJson, inputsFromPairs } from '../helpers/inputs';
import { decodeWorkflowData, executeIdFrom, interruptFrom, usageFrom } from '../helpers/output';
import { workflowIdFromLocator } from '../helpers/workflowId';
import { cozeApiRequest, getCozeConnection } from '../transport';
import { workflowInputs, workflowLocator } from './common.descriptions';

// Coze drops a run that waits for its result after 90 s; waiting a little longer lets its own
// answer (rather than our timeout) reach the user.
const DEFAULT_TIMEOUT_SECONDS = 120;

const properties: INodeProperties[] = [
	workflowLocator,
	...workflowInputs,
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
							{
								displayName: 'Latitude',
								name: 'latitude',
								type: 'string',
								default: '',
								placeholder: 'e.g. 39.9042',
							},
							{
								displayName: 'Longitude',
								name: 'longitude',
								type: 'string',
								default: '',
								placeholder: 'e.g. 116.4074',
							},
							{
								displayName: 'User ID',
								name: 'user_id',
								type: 'string',
								default: '',
								placeholder: 'e.g. user-42',
							},
						],
					},
				],
			},
			{
				displayName: 'Timeout',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_TIMEOUT_SECONDS,
				description:
					'Seconds to wait for the result. Coze itself stops waiting after 90 s, so longer workflows need a streamed or async run.',
			},
			{
				displayName: 'Unwrap Text Output',
				name: 'unwrapText',
				type: 'boolean',
				default: true,
				description:
					'Whether to return just the text when the workflow ends in text mode, instead of the {content_type, data} object Coze wraps it in',
			},
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
	botId?: string;
	connectorId?: string;
	ext?: { values?: Record<string, unknown> };
	timeout?: number;
	unwrapText?: boolean;
	workflowVersion?: string;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = this.getNode();
	const workflowId = workflowIdFromLocator(node, this.getNodeParameter('workflowId', itemIndex), itemIndex);
	const parameters = readWorkflowInputs.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as RunOptions;

	const botId = textOption(options.botId);
	const appId = textOption(options.appId);
	if (botId && appId) {
		throw new NodeOperationError(node, 'Bot ID and App ID cannot both be set', {
			itemIndex,
			description:
				'Use App ID for a workflow that belongs to a Coze app, Bot ID for one run on behalf of an agent, and remove the other.',
		});
	}

	const body: IDataObject = { workflow_id: workflowId, parameters };
	if (botId) body.bot_id = botId;
	if (appId) body.app_id = appId;
	const ext = extFrom(options.ext?.values);
	if (ext) body.ext = ext;
	const version = textOption(options.workflowVersion);
	if (version) body.workflow_version = version;
	const connectorId = textOption(options.connectorId);
	if (connectorId) body.connector_id = connectorId;

	const connection = await getCozeConnection.call(this, itemIndex);
	const response = await cozeApiRequest.call(this, connection, {
		method: 'POST',
		path: '/v1/workflow/run',
		body,
		timeoutMs: Math.round((options.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000),
		itemIndex,
	});

	return runResult(response.body, response.logid, options.unwrapText ?? true);
}

function readWorkflowInputs(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const node = this.getNode();
	if (this.getNodeParameter('inputMode', itemIndex) === 'json') {
		return inputsFromJson(node, this.getNodeParameter('parametersJson', itemIndex, '{}'), 'Inputs (JSON)', itemIndex);
	}
	const rows = this.getNodeParameter('parameters.parameter', itemIndex, []) as NameValuePair[];
	return inputsFromPairs(node, rows, itemIndex);
}

export function runResult(body: Record<string, unknown>, logid: string | undefined, unwrapText: boolean): IDataObject {
	const raw = typeof body.data === 'string' ? body.data : '';
	const result: IDataObject = {
		data: decodeWorkflowData(body.data, unwrapText) as IDataObject[string],
		raw,
		debug_url: typeof body.debug_url === 'string' ? body.debug_url : '',
	};
	const executeId = executeIdFrom(body);
	if (executeId) result.execute_id = executeId;
	const usage = usageFrom(body);
	if (usage) result.usage = usage;
	if (logid) result.logid = logid;
	const interrupt = interruptFrom(body);
	if (interrupt) result.interrupt = interrupt;
	return result;
}

function textOption(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	return text === '' ? undefined : text;
}

/** Coze honours only these ext keys, and Coze Studio rejects any value that is not a string. */
function extFrom(values: Record<string, unknown> | undefined): IDataObject | undefined {
	if (!values) return undefined;
	const ext: IDataObject = {};
	for (const key of ['user_id', 'latitude', 'longitude']) {
		const text = textOption(values[key]);
		if (text !== undefined) ext[key] = text;
	}
	return Object.keys(ext).length > 0 ? ext : undefined;
}
