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
	IHttpRequestHelper,
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
/** The Coze node (agents, conversations, files, workspaces). */
export const AGENT_NODE_TYPE = 'n8n-nodes-coze.coze';
export const CREDENTIAL_TYPE = 'cozeApi';
export const OAUTH_CREDENTIAL_TYPE = 'cozeOAuthApi';
const START_TYPE = 'test.start';
const COZE_NODE_NAME = 'Coze Workflow';

export type CozeCredentials = {
	region: 'cn' | 'com' | 'custom' | 'studio';
	baseUrl?: string;
	accessToken: string;
};

export type CozeOAuthCredentials = {
	region: 'cn' | 'com' | 'custom';
	baseUrl?: string;
	audience?: string;
	appId: string;
	keyId: string;
	privateKey: string;
	sessionName?: string;
	lifetimeSeconds?: number;
	accessToken?: string;
	renewAt?: number;
};

/**
 * What n8n's database is to its CredentialsHelper: the stored data of each credential type,
 * read on every getCredentials and written when pre-authentication gets a new token. Pass
 * the same store to several runs to see a token reused across executions.
 */
let storesMade = 0;

export class CredentialStore {
	private readonly data = new Map<string, ICredentialDataDecryptedObject>();

	/** Each store is its own credential in n8n's database, with its own id. */
	readonly id = `cred-${++storesMade}`;

	/** Every pre-authentication n8n asked the credential type for, with whether it was forced. */
	readonly preAuthentications: Array<{ type: string; expired: boolean }> = [];

	constructor(initial: Record<string, object> = {}) {
		for (const [type, data] of Object.entries(initial)) this.set(type, data as ICredentialDataDecryptedObject);
	}

	static for(credentials: CozeCredentials | CozeOAuthCredentials | CredentialStore): CredentialStore {
		if (credentials instanceof CredentialStore) return credentials;
		return new CredentialStore({ [typeOf(credentials)]: credentials });
	}

	get(type: string): ICredentialDataDecryptedObject {
		const data = this.data.get(type);
		if (!data) throw new Error(`no ${type} credential in this test`);
		return { ...data };
	}

	set(type: string, data: ICredentialDataDecryptedObject): void {
		this.data.set(type, { ...data });
	}

	types(): string[] {
		return [...this.data.keys()];
	}
}

function typeOf(credentials: CozeCredentials | CozeOAuthCredentials): string {
	return 'appId' in credentials ? OAUTH_CREDENTIAL_TYPE : CREDENTIAL_TYPE;
}

type AnyCredentials = CozeCredentials | CozeOAuthCredentials | CredentialStore;

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
		private readonly store: CredentialStore,
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

	// n8n's CredentialsHelper.preAuthentication (packages/cli/src/credentials-helper.ts), step by
	// step: only for a type with an expirable hidden property, only when that is empty or the
	// caller saw the token expire; the output is stored and written into the caller's object.
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.types[typeName];
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (expirable === undefined || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		this.store.preAuthentications.push({ type: typeName, expired: credentialsExpired });
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined || !node.credentials) return undefined;
		this.store.set(typeName, { ...this.store.get(typeName), ...output } as ICredentialDataDecryptedObject);
		return Object.assign(credentials, output);
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by these tests');
	}

	// As n8n's getDecrypted does, the type's defaults fill what the stored data leaves out.
	async getDecrypted(_additionalData: unknown, _nodeCredentials: unknown, typeName: string) {
		const data = this.store.get(typeName);
		for (const property of this.types[typeName]?.properties ?? []) {
			if (data[property.name] === undefined) data[property.name] = property.default as ICredentialDataDecryptedObject[string];
		}
		return data;
	}

	async updateCredentials(_nodeCredentials: unknown, typeName: string, data: ICredentialDataDecryptedObject) {
		this.store.set(typeName, data);
	}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return [];
	}
}

function additionalDataFor(
	credentials: CredentialStore,
	types: Record<string, ICredentialType>,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		credentialsHelper: new TestCredentialsHelper(credentials, types),
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
	credentials: AnyCredentials;
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

/** The credential the node's Authentication parameter asks for, as the editor would set it. */
function nodeCredentialsFor(parameters: INodeParameters, store: CredentialStore): INode['credentials'] {
	const type = parameters.authentication === 'oAuthJwt' ? OAUTH_CREDENTIAL_TYPE : CREDENTIAL_TYPE;
	return { [type]: { id: store.id, name: 'Coze' } };
}

/** Start (emits `items`) → Coze Workflow, run by WorkflowExecute like a manual execution. */
export async function runCozeNode(input: CozeRunInput): Promise<CozeRunOutcome> {
	const pkg = await loadPackage();
	const store = CredentialStore.for(input.credentials);
	const cozeNode: INode = {
		id: 'coze',
		name: COZE_NODE_NAME,
		type: input.nodeType ?? NODE_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: input.parameters,
		credentials: nodeCredentialsFor(input.parameters, store),
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

	const additionalData = additionalDataFor(store, pkg.credentialTypes);
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
export async function testCredential(credentials: CozeCredentials | CozeOAuthCredentials | CredentialStore): Promise<INodeCredentialTestResult> {
	const pkg = await loadPackage();
	const store = CredentialStore.for(credentials);
	const typeName = store.types()[0];
	const credentialType = pkg.credentialTypes[typeName];
	const test = credentialType.test as ICredentialTestRequest;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'test.credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [typeName]: { id: store.id, name: 'Coze' } },
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
			credentials: [{ name: typeName, required: true }],
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
	const additionalData = additionalDataFor(store, pkg.credentialTypes);
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
		id: store.id,
		name: 'Coze',
		type: typeName,
		data: await (additionalData.credentialsHelper as TestCredentialsHelper).getDecrypted(undefined, undefined, typeName),
	});
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }).cause;
		if (cause?.response) {
			// As n8n's CredentialsTester: a responseCode rule names a failed status first.
			for (const rule of test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === cause.response.status) return { status: 'Error', message: rule.properties.message };
			}
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
	credentials: AnyCredentials,
	args: unknown[] = [],
): Promise<T> {
	const pkg = await loadPackage();
	const store = CredentialStore.for(credentials);
	// The Coze node has resources; Coze Workflow does not.
	const nodeTypeName = parameters.resource !== undefined ? AGENT_NODE_TYPE : NODE_TYPE;
	const node: INode = {
		id: 'coze',
		name: 'Coze Workflow',
		type: nodeTypeName,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: nodeCredentialsFor(parameters, store),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: pkg.nodeTypes });
	// The editor sends the node's parameters with their defaults filled in, as Workflow does here.
	const withDefaults = workflow.getNode(node.name) as INode;
	const additionalData = additionalDataFor(store, pkg.credentialTypes);
	(additionalData as { currentNodeParameters?: INodeParameters }).currentNodeParameters = withDefaults.parameters;
	const context = new LoadOptionsContext(workflow, withDefaults, additionalData, 'parameters.workflowId');
	const nodeType = pkg.nodeTypes.getByNameAndVersion(nodeTypeName, 1) as INodeType;
	const methods = (nodeType.methods as Record<string, Record<string, (...a: unknown[]) => Promise<T>>>)[kind];
	return await methods[method].call(context, ...args);
}
