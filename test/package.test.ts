/** The built package as n8n loads it, and the credential's Test button against the emulator. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialTestRequest, INodeParameters, INodeType } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import type { CozeEmulator } from './emulator';
import { startCozeEmulator } from './emulator';
import { loadPackage, NODE_TYPE, PACKAGE_DIR, shutdownEngine, testCredential } from './harness/engine';

const TOKEN = 'pat_credential_test_token_0123456789';

let cloud: CozeEmulator;
let studio: CozeEmulator;

beforeAll(async () => {
	cloud = await startCozeEmulator({ dialect: 'cloud', validTokens: [TOKEN] });
	studio = await startCozeEmulator({ dialect: 'studio', validTokens: [TOKEN] });
});

afterAll(async () => {
	await Promise.all([cloud.close(), studio.close()]);
	await shutdownEngine();
});

describe('package', () => {
	const packageJson = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8'));

	it('is an n8n community package whose n8n block points at built files', () => {
		expect(packageJson.name).toBe('n8n-nodes-coze');
		expect(packageJson.keywords).toContain('n8n-community-node-package');
		expect(packageJson.license).toBe('MIT');
		expect(packageJson.files).toEqual(['dist']);
		expect(packageJson.dependencies ?? {}).toEqual({});
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		// n8n provides n8n-workflow itself. Optional, so `npm install n8n-nodes-coze` in ~/.n8n/nodes
		// does not pull it in (its isolated-vm cannot build on Node 20), as n8n's own installer does.
		expect(packageJson.peerDependenciesMeta).toEqual({ 'n8n-workflow': { optional: true } });
		const paths = [...packageJson.n8n.nodes, ...packageJson.n8n.credentials] as string[];
		// Coze, Coze Workflow and the two credentials.
		expect(paths.length).toBe(4);
		for (const path of paths) {
			expect(path).toMatch(/^dist\//);
			expect(existsSync(join(PACKAGE_DIR, path))).toBe(true);
		}
		for (const icon of ['dist/nodes/CozeWorkflow/coze.svg', 'dist/nodes/CozeWorkflow/coze.dark.svg', 'dist/credentials/coze.svg']) {
			expect(existsSync(join(PACKAGE_DIR, icon))).toBe(true);
		}
	});

	// node:crypto is the one built-in n8n's community rules allow, for signing the OAuth JWT.
	it('ships code that imports nothing but n8n-workflow, and node:crypto only to sign the OAuth JWT', () => {
		const files = (readdirSync(join(PACKAGE_DIR, 'dist'), { recursive: true }) as string[])
			.filter((file) => file.endsWith('.js'))
			.map((file) => join('dist', file));
		expect(files.length).toBeGreaterThan(5);
		const required = new Map<string, Set<string>>();
		for (const file of files) {
			for (const match of readFileSync(join(PACKAGE_DIR, file), 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
				if (match[1].startsWith('.')) continue;
				if (!required.has(match[1])) required.set(match[1], new Set());
				required.get(match[1])?.add(file);
			}
		}
		expect([...required.keys()].sort()).toEqual(['n8n-workflow', 'node:crypto']);
		expect([...(required.get('node:crypto') ?? [])]).toEqual([join('dist', 'credentials', 'cozeJwt.js')]);
	});

	it('loads through n8n-core as a node usable as an AI tool, with its credential', async () => {
		const pkg = await loadPackage();
		expect(pkg.nodeTypeNames).toContain(NODE_TYPE);
		expect(Object.keys(pkg.credentialTypes).sort()).toEqual(['cozeApi', 'cozeOAuthApi']);
		const nodeType = pkg.nodeTypes.getByNameAndVersion(NODE_TYPE, 1) as INodeType;
		expect(nodeType.description.usableAsTool).toBe(true);
		expect(nodeType.description.credentials).toEqual([
			{ name: 'cozeApi', required: true, displayOptions: { show: { authentication: ['accessToken'] } } },
			{ name: 'cozeOAuthApi', required: true, displayOptions: { show: { authentication: ['oAuthJwt'] } } },
		]);
		expect(nodeType.description.displayName).toBe('Coze Workflow');
	});

	it('says in its subtitle what it does: the operation and the workflow', async () => {
		const pkg = await loadPackage();
		const { subtitle } = (pkg.nodeTypes.getByNameAndVersion(NODE_TYPE, 1) as INodeType).description;
		// The editor resolves the subtitle like this: the node in its workflow, its parameters as $parameter.
		const subtitleOf = (parameters: INodeParameters) => {
			const node = { name: 'Coze Workflow', type: NODE_TYPE, typeVersion: 1, parameters, position: [0, 0] as [number, number], id: 'c' };
			const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: pkg.nodeTypes });
			return workflow.expression.getSimpleParameterValue(node, subtitle as string, 'internal', {});
		};
		const picked = { __rl: true, mode: 'list', value: '7398123456789012345', cachedResultName: '天气 Weather' };
		expect(subtitleOf({ operation: 'run', workflowId: picked })).toBe('Run: 7398123456789012345');
		expect(subtitleOf({ operation: 'getRunResult', workflowId: { __rl: true, mode: 'id', value: '7398123456789012345' } })).toBe(
			'Get Run Result: 7398123456789012345',
		);
		expect(subtitleOf({ operation: 'resume', workflowId: picked })).toBe('Resume: 7398123456789012345');
		expect(subtitleOf({ operation: 'chat', workflowId: { __rl: true, mode: 'url', value: 'https://www.coze.cn/work_flow?workflow_id=7398123456789012345' } })).toBe(
			'Chat: https://www.coze.cn/work_flow?workflow_id=7398123456789012345',
		);
	});

	it('names what users pick: the interrupt types of Resume, the chatflow of Chat, and $json as n8n spells it', async () => {
		const pkg = await loadPackage();
		const { properties } = (pkg.nodeTypes.getByNameAndVersion(NODE_TYPE, 1) as INodeType).description;
		const interruptType = properties.find((p) => p.name === 'interruptType');
		expect(interruptType).toMatchObject({ type: 'options', default: 2 });
		expect(Object.fromEntries((interruptType?.options ?? []).map((o) => ['value' in o ? o.value : '', o.name]))).toEqual({
			1: 'Local Plugin',
			2: 'Question Node',
			5: 'Input Node',
			7: 'OAuth Plugin',
		});
		const chatWorkflow = properties.find((p) => p.name === 'workflowId' && p.displayOptions?.show?.operation?.includes('chat'));
		expect(chatWorkflow?.displayName).toBe('Chatflow');
		// n8n's lint rule rewrites "$json" in a description to "$JSON", which is not n8n's variable.
		expect(JSON.stringify(properties)).not.toContain('$JSON');
		// n8n 2.x's node picker lists a property named `mode` as the node's actions (AI category).
		expect(properties.map((p) => p.name)).not.toContain('mode');
		expect(properties.find((p) => p.name === 'runMode')?.displayName).toBe('Mode');
	});
});

describe('credential test', () => {
	it('passes a working token on Coze cloud and on Coze Studio', async () => {
		await expect(testCredential({ region: 'custom', baseUrl: cloud.url, accessToken: TOKEN })).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		await expect(testCredential({ region: 'studio', baseUrl: `${studio.url}//`, accessToken: TOKEN })).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(cloud.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/workspaces' });
		expect(cloud.requests.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(studio.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/workflow/get_run_history' });
	});

	it('fails a bad token on Coze cloud and names the other region', async () => {
		const result = await testCredential({ region: 'custom', baseUrl: cloud.url, accessToken: 'pat_expired' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('code 4100');
		expect(result.message).toContain('one from www.coze.com only with Coze International');
		expect(result.message).toContain('a custom endpoint must forward to the region that issued it');
	});

	it('fails a bad key on Coze Studio', async () => {
		const result = await testCredential({ region: 'studio', baseUrl: studio.url, accessToken: 'pat_wrong' });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('Coze Studio rejected the API key') });
	});

	it('fails when the Base URL has no Coze cloud API (Coze Studio refuses /v1/workspaces)', async () => {
		const result = await testCredential({ region: 'custom', baseUrl: studio.url, accessToken: TOKEN });
		expect(result.status).toBe('Error');
	});

	it('says what to enter when Self-Hosted Coze Studio points at a Coze cloud address, instead of a bare "Not Found"', async () => {
		const result = await testCredential({ region: 'studio', baseUrl: cloud.url, accessToken: TOKEN });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('The Base URL has no Coze Open API (it answered 404 Not Found)') });
		expect(result.message).toContain('http://localhost:8888');
	});

	it('takes a Base URL typed without http://, as Coze Studio\'s docs write it (localhost:8888)', async () => {
		const result = await testCredential({ region: 'studio', baseUrl: studio.url.replace(/^http:\/\//, ''), accessToken: TOKEN });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
	});
});

describe('credential endpoints', () => {
	// Coze cloud is out of reach from the tests, so for the fixed regions this checks where
	// the Test button would send its request, resolved by n8n's expression engine.
	async function resolvedTestUrl(credentials: Record<string, string>): Promise<string> {
		const pkg = await loadPackage();
		const { request } = pkg.credentialTypes.cozeApi.test as ICredentialTestRequest;
		const workflow = new Workflow({ nodes: [], connections: {}, active: false, nodeTypes: pkg.nodeTypes });
		const resolve = (value: string) =>
			workflow.expression.getSimpleParameterValue(
				{ name: 'Temp', type: 'x', typeVersion: 1, parameters: {}, position: [0, 0], id: 't' },
				value,
				'internal',
				{ $credentials: credentials },
			) as string;
		return `${resolve(request.baseURL as string)}${resolve(request.url as string)}`;
	}

	it.each([
		[{ region: 'cn' }, 'https://api.coze.cn/v1/workspaces?page_num=1&page_size=1'],
		[{ region: 'com' }, 'https://api.coze.com/v1/workspaces?page_num=1&page_size=1'],
		[{ region: 'custom', baseUrl: ' https://coze-proxy.example/ ' }, 'https://coze-proxy.example/v1/workspaces?page_num=1&page_size=1'],
		[
			{ region: 'studio', baseUrl: 'http://localhost:8888///' },
			'http://localhost:8888/v1/workflow/get_run_history?workflow_id=1&execute_id=1',
		],
		[{ region: 'studio', baseUrl: ' localhost:8888/ ' }, 'http://localhost:8888/v1/workflow/get_run_history?workflow_id=1&execute_id=1'],
		[{ region: 'custom', baseUrl: 'HTTPS://coze-proxy.example' }, 'HTTPS://coze-proxy.example/v1/workspaces?page_num=1&page_size=1'],
	])('%j → %s', async (credentials, url) => {
		await expect(resolvedTestUrl(credentials)).resolves.toBe(url);
	});
});
