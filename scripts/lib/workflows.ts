/** The workflows and credential that the demo, `npm run dev` and the e2e tests import into n8n. */
import type { CredentialJson, WorkflowJson } from './n8n';

export const CREDENTIAL_ID = 'CozeCredential01';
export const CREDENTIAL_NAME = 'Coze';
export const COZE_NODE = 'Coze Workflow';

export function cozeCredential(data: { region: string; baseUrl?: string; accessToken: string }): CredentialJson {
	return { id: CREDENTIAL_ID, name: CREDENTIAL_NAME, type: 'cozeApi', data };
}

export const OAUTH_CREDENTIAL_ID = 'CozeOAuthCred001';
const OAUTH_CREDENTIAL_NAME = 'Coze OAuth';

export function cozeOAuthCredential(data: {
	region: string;
	baseUrl?: string;
	audience?: string;
	appId: string;
	keyId: string;
	privateKey: string;
	accessToken?: string;
}): CredentialJson {
	return { id: OAUTH_CREDENTIAL_ID, name: OAUTH_CREDENTIAL_NAME, type: 'cozeOAuthApi', data };
}

interface CozeNodeOptions {
	workflowId: string;
	inputs?: Array<{ name: string; value: string }>;
	parametersJson?: string;
	mode?: 'sync' | 'stream' | 'async';
	continueOnFail?: boolean;
	position?: [number, number];
	/** Sign in with the OAuth (JWT) credential instead of the access token one. */
	oauth?: boolean;
	/** The node's Options collection (Timeout, Idle Timeout, …). */
	options?: Record<string, unknown>;
}

export function cozeNode(options: CozeNodeOptions) {
	const parameters: Record<string, unknown> = {
		...(options.oauth ? { authentication: 'oAuthJwt' } : {}),
		operation: 'run',
		workflowId: { __rl: true, mode: 'id', value: options.workflowId },
		runMode: options.mode ?? 'sync',
		options: options.options ?? {},
	};
	if (options.parametersJson !== undefined) {
		parameters.inputMode = 'json';
		parameters.parametersJson = options.parametersJson;
	} else {
		parameters.inputMode = 'keyValue';
		parameters.parameters = { parameter: options.inputs ?? [] };
	}
	return {
		id: 'a1f6c1f0-0000-4000-8000-00000000c02e',
		name: COZE_NODE,
		type: 'n8n-nodes-coze.cozeWorkflow',
		typeVersion: 1,
		position: options.position ?? [660, 0],
		parameters,
		credentials: options.oauth
			? { cozeOAuthApi: { id: OAUTH_CREDENTIAL_ID, name: OAUTH_CREDENTIAL_NAME } }
			: { cozeApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
	};
}

/** The Coze node's name in the workflows here. */
export const COZE_AGENT_NODE = 'Coze';

/** The Coze node (or, with `tool`, its AI tool variant "Coze Tool") set to Agent → Chat, the agent By ID. */
export function cozeAgentChatNode(options: {
	agentId: string;
	userId: string;
	message: string;
	options?: Record<string, unknown>;
	name?: string;
	position?: [number, number];
	tool?: boolean;
}) {
	return {
		id: options.tool ? 'a1f6c1f0-0000-4000-8000-00000000c0b1' : 'a1f6c1f0-0000-4000-8000-00000000c0a9',
		name: options.name ?? COZE_AGENT_NODE,
		type: options.tool ? 'n8n-nodes-coze.cozeTool' : 'n8n-nodes-coze.coze',
		typeVersion: 1,
		position: options.position ?? [220, 0],
		parameters: {
			resource: 'agent',
			operation: 'chat',
			agentId: { __rl: true, mode: 'id', value: options.agentId },
			userId: options.userId,
			message: options.message,
			options: options.options ?? {},
		},
		credentials: { cozeApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
	};
}

export const manualTrigger = {
	id: 'a1f6c1f0-0000-4000-8000-000000000001',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** A Split Out node: one item per element of the array at `field`. */
export function splitOutNode(id: string, name: string, field: string, position: [number, number]) {
	return { id, name, type: 'n8n-nodes-base.splitOut', typeVersion: 1, position, parameters: { fieldToSplitOut: field, options: {} } };
}

/** A Set node that emits one item holding `rows`, and a Split Out node that makes each row an item. */
function rowsNodes(rows: unknown[]) {
	return [
		{
			id: 'a1f6c1f0-0000-4000-8000-000000000002',
			name: 'Rows',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220, 0],
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ rows }), options: {} },
		},
		splitOutNode('a1f6c1f0-0000-4000-8000-000000000003', 'Items', 'rows', [440, 0]),
	];
}

/** A Set node after Coze that pairs each result with the row it came from. */
function resultNode(fields: Array<{ name: string; value: string; type?: string }>) {
	return {
		id: 'a1f6c1f0-0000-4000-8000-000000000004',
		name: 'Result',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [880, 0],
		parameters: {
			assignments: {
				assignments: fields.map((field, index) => ({
					id: `a1f6c1f0-0000-4000-8000-0000000001${String(index).padStart(2, '0')}`,
					name: field.name,
					value: field.value,
					type: field.type ?? 'string',
				})),
			},
			options: {},
		},
	};
}

export const chain = (...names: string[]) =>
	Object.fromEntries(
		names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]),
	);

/** The Workflow field set By ID. */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** Manual Trigger → `nodes`, each connected to the one before it. */
export function linearWorkflow(id: string, name: string, nodes: Array<Record<string, unknown> & { name: string }>): WorkflowJson {
	const all = [manualTrigger, ...nodes];
	return { id, name, nodes: all, connections: chain(...all.map((node) => node.name)), active: false, settings: { executionOrder: 'v1' } } as WorkflowJson;
}

/** Manual Trigger → rows as items → Coze Workflow → Result (the row next to Coze's answer). */
export function rowsWorkflow(
	id: string,
	name: string,
	rows: unknown[],
	coze: Omit<CozeNodeOptions, 'position'>,
	resultFields: Array<{ name: string; value: string; type?: string }> = [
		{ name: 'row', value: '={{ $("Items").item.json }}', type: 'object' },
		{ name: 'data', value: '={{ $json.data }}', type: 'object' },
		{ name: 'debug_url', value: '={{ $json.debug_url }}' },
		{ name: 'error', value: '={{ $json.error }}' },
	],
): WorkflowJson {
	return {
		id,
		name,
		nodes: [manualTrigger, ...rowsNodes(rows), cozeNode(coze), resultNode(resultFields)],
		connections: chain('Start', 'Rows', 'Items', COZE_NODE, 'Result'),
		active: false,
		settings: { executionOrder: 'v1' },
	};
}

/** Webhook (POST, answers with the last node's output) → Coze Workflow. */
export function webhookWorkflow(id: string, path: string, coze: Omit<CozeNodeOptions, 'position'>): WorkflowJson {
	return {
		id,
		name: 'Coze over a webhook',
		nodes: [
			{
				id: 'a1f6c1f0-0000-4000-8000-000000000010',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'b7d2e1a0-0000-4000-8000-00000000c0e0',
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} },
			},
			cozeNode({ ...coze, position: [220, 0] }),
		],
		connections: chain('Webhook', COZE_NODE),
		active: false,
		settings: { executionOrder: 'v1' },
	};
}
