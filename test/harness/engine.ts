/**
 * Runs workflows with the built package inside n8n's own execution engine (n8n-core's
 * WorkflowExecute), the way n8n's internal NodeTestHarness does: nodes are loaded from the
 * package's package.json by n8n-core's PackageDirectoryLoader, credentials go through the
 * credential type's real `authenticate` with n8n-workflow's expression resolver, and requests
 * leave through n8n-core's HTTP helpers over real HTTP.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PackageDirectoryLoader,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestOptions,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

/** The repository root, from test/harness or from its compiled copy under build/. */
export const PACKAGE_DIR = [join(__dirname, '..', '..'), join(__dirname, '..', '..', '..')].find((dir) =>
	existsSync(join(dir, 'gulpfile.js')),
) as string;
export const NODE_TYPE = 'n8n-nodes-coze.cozeWorkflow';
export const CREDENTIAL_TYPE = 'cozeApi';
const START_TYPE = 'test.start';
const COZE_NODE_NAME = 'Coze Workflow';

export type CozeCredentials = {
	region: 'cn' | 'com' | 'custom' | 'studio';
	baseUrl?: string;
	accessToken: string;
};

interface LoadedPackage {
	nodeTypes: INodeTypes;
	credentialTypes: Record<string, ICredentialType>;
	nodeTypeNames: string[];
}

let loaded: Promise<LoadedPackage> | undefined;

/** Loads dist/ through package.json's n8n block, exactly as n8n loads a community package. */
export function loadPackage(): Promise<LoadedPackage> {
	loaded ??= (async () => {
		if (!existsSync(join(PACKAGE_DIR, 'dist'))) {
			throw new Error('dist/ is missing: run `npm run build` before the tests (npm test does).');
		}
		const loader = new PackageDirectoryLoader(PACKAGE_DIR);
		await loader.loadAll();
		const types: Record<string, INodeType | IVersionedNodeType> = {
			[START_TYPE]: startNodeType,
		};
		for (const [name, data] of Object.entries(loader.nodeTypes)) {
			types[`${loader.packageName}.${name}`] = data.type;
		}
		const credentialTypes: Record<string, ICredentialType> = {};
		for (const [name, data] of Object.entries(loader.credentialTypes)) credentialTypes[name] = data.type;
		const nodeTypes: INodeTypes = {
			getByName: (type) => types[type],
			getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(types[type], version),
			getKnownTypes: () => ({}),
		};
		return { nodeTypes, credentialTypes, nodeTypeNames: Object.keys(types) };
	})();
	return loaded;
}

const startNodeType: INodeType = {
	description: {
		displayName: 'Start',
		name: START_TYPE,
		group: ['input'],
		version: 1,
		description: 'Emits the test items',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	},
	async execute() {
		return [this.getInputData()];
	},
};

/**
 * Every call to n8n's logger in this test file, at any level and with its metadata (errors
 * included), kept here instead of printed, so tests can prove no secret reaches a log.
 */
export const capturedLogs: string[] = [];
(Logger.prototype as unknown as { log: (level: string, message: string, metadata?: object) => void }).log = function captureLog(
	level,
	message,
	metadata = {},
) {
	capturedLogs.push(`${level}: ${message} ${safeStringify(metadata)}`);
};

class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly data: ICredentialDataDecryptedObject,
		private readonly types: Record<string, ICredentialType>,
	) {
		super();
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	// The same resolution n8n's CredentialsHelper applies to an IAuthenticateGeneric: every
	// value is an expression over $credentials, resolved by n8n-workflow's expression engine.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = this.types[typeName];
		const authenticate = type.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate || !workflow || !node) return requestOptions;
		const resolve = (value: string) =>
			workflow.expression.getParameterValue(value, null, 0, 0, node.name, [], 'internal', {
				$credentials: credentials,
			}) as string;
		const properties = authenticate.properties as Record<string, Record<string, string>>;
		for (const part of ['headers', 'qs', 'body'] as const) {
			for (const [key, value] of Object.entries(properties[part] ?? {})) {
				const target = ((requestOptions as unknown as Record<string, IDataObject>)[part] ??= {});
				target[key] = resolve(value);
			}
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by these tests');
	}

	async getDecrypted() {
		return this.data;
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return [];
	}
}

function additionalDataFor(
	credentials: CozeCredentials,
	types: Record<string, ICredentialType>,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		credentialsHelper: new TestCredentialsHelper(credentials as unknown as ICredentialDataDecryptedObject, types),
		executionId: '1',
		restApiUrl: '',
		instanceBaseUrl: '',
		webhookBaseUrl: '',
		webhookWaitingBaseUrl: '',
		webhookTestBaseUrl: '',
		formWaitingBaseUrl: '',
		variables: {},
		currentNodeParameters: undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface CozeRunInput {
	items: IDataObject[];
	/** Items with binary data; used instead of `items` when given. */
	inputItems?: INodeExecutionData[];
	parameters: INodeParameters;
	credentials: CozeCredentials;
	continueOnFail?: boolean;
	nodeType?: string;
	/** Cancels the execution this long after it started, as n8n's Stop button does. */
	cancelAfterMs?: number;
}

export interface CozeRunOutcome {
	run: IRun;
	status: IRun['status'];
	/** The Coze node's output items (empty when it failed without Continue On Fail). */
	output: INodeExecutionData[];
	/** The error the execution stopped with, if any. */
	error?: Error & { description?: string | null; context?: IDataObject; httpCode?: string | null };
}

/** Start (emits `items`) → Coze Workflow, run by WorkflowExecute like a manual execution. */
export async function runCozeNode(input: CozeRunInput): Promise<CozeRunOutcome> {
	const pkg = await loadPackage();
	const cozeNode: INode = {
		id: 'coze',
		name: COZE_NODE_NAME,
		type: input.nodeType ?? NODE_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: input.parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Coze' } },
		continueOnFail: input.continueOnFail,
		onError: input.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
	};
	const startNode: INode = {
		id: 'start',
		name: 'Start',
		type: START_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflowData = {
		id: 'wf-1',
		name: 'Coze test',
		nodes: [startNode, cozeNode],
		connections: { Start: { main: [[{ node: COZE_NODE_NAME, type: 'main' as const, index: 0 }]] } },
		active: false,
		settings: { executionOrder: 'v1' as const },
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes: pkg.nodeTypes });

	const runExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [
				{
					node: startNode,
					data: { main: [input.inputItems ?? input.items.map((json) => ({ json }))] },
					source: null,
				},
			],
		},
	} as unknown as IRunExecutionData;

	const additionalData = additionalDataFor(input.credentials, pkg.credentialTypes);
	const hooks = new ExecutionLifecycleHooks('manual', '1', workflowData as never);
	const finished = new Promise<IRun>((resolve) => {
		hooks.addHandler('workflowExecuteAfter', (run: IRun) => resolve(run));
	});
	(additionalData as { hooks?: ExecutionLifecycleHooks }).hooks = hooks;
	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	if (input.cancelAfterMs !== undefined) setTimeout(() => execution.cancel(), input.cancelAfterMs);
	await execution;
	const run = await finished;

	const taskData = run.data.resultData.runData[COZE_NODE_NAME]?.[0];
	return {
		run,
		status: run.status,
		output: taskData?.data?.main?.[0] ?? [],
		error: run.data.resultData.error as CozeRunOutcome['error'],
	};
}

/**
 * The credential's Test button, as n8n's CredentialsTester runs a declarative test: a
 * temporary node whose one property routes the test request, executed by n8n-core's
 * RoutingNode with the credential applied, then the test's rules checked against the body.
 */
export async function testCredential(credentials: CozeCredentials): Promise<INodeCredentialTestResult> {
	const pkg = await loadPackage();
	const credentialType = pkg.credentialTypes[CREDENTIAL_TYPE];
	const test = credentialType.test as ICredentialTestRequest;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'test.credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Coze' } },
	};
	const nodeType: INodeType = {
		description: {
			displayName: 'Temp',
			name: 'test.credentialTest',
			group: ['input'],
			version: 1,
			description: '',
			defaults: {},
			inputs: [],
			outputs: ['main'],
			credentials: [{ name: CREDENTIAL_TYPE, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: test.request }, default: '' },
			],
		},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = additionalDataFor(credentials, pkg.credentialTypes);
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		{ resultData: { runData: {} } } as unknown as IRunExecutionData,
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, {
		id: 'cred-1',
		name: 'Coze',
		type: CREDENTIAL_TYPE,
		data: credentials as unknown as ICredentialDataDecryptedObject,
	});
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }).cause;
		if (cause?.response) {
			return { status: 'Error', message: cause.response.statusText || `Received HTTP status code: ${cause.response.status}` };
		}
		if (cause?.code) return { status: 'Error', message: cause.code };
		return { status: 'Error', message: (error as Error).message };
	}
	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const body = response?.[0]?.[0]?.json ?? {};
		if (body[rule.properties.key] === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** jest never exits while n8n-core's SSH client manager keeps its interval running. */
export async function shutdownEngine(): Promise<void> {
	await Container.get(SSHClientsManager).onShutdown();
}

function safeStringify(value: unknown): string {
	try {
		return (
			JSON.stringify(value, (_key, field: unknown) =>
				field instanceof Error ? { ...field, name: field.name, message: field.message, stack: field.stack, cause: field.cause } : field,
			) ?? ''
		);
	} catch {
		return inspect(value, { depth: 6 });
	}
}

/**
 * Calls one of the node's `methods` (listSearch, loadOptions, resourceMapping) the way the n8n
 * editor does: through n8n-core's LoadOptionsContext for a node with the given parameters.
 */
export async function callNodeMethod<T>(
	kind: 'listSearch' | 'loadOptions' | 'resourceMapping',
	method: string,
	parameters: INodeParameters,
	credentials: CozeCredentials,
	args: unknown[] = [],
): Promise<T> {
	const pkg = await loadPackage();
	const node: INode = {
		id: 'coze',
		name: 'Coze Workflow',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Coze' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: pkg.nodeTypes });
	const additionalData = additionalDataFor(credentials, pkg.credentialTypes);
	(additionalData as { currentNodeParameters?: INodeParameters }).currentNodeParameters = parameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.workflowId');
	const nodeType = pkg.nodeTypes.getByNameAndVersion(NODE_TYPE, 1) as INodeType;
	const methods = (nodeType.methods as Record<string, Record<string, (...a: unknown[]) => Promise<T>>>)[kind];
	return await methods[method].call(context, ...args);
}
