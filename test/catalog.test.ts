/**
 * The workflow picker, inputs from the workflow's schema and files from binary data: the
 * node's listSearch / loadOptions / resourceMapping methods called through n8n-core's
 * LoadOptionsContext as the editor calls them, and runs inside n8n's engine, against the
 * emulator over real HTTP.
 */
import { createHash } from 'node:crypto';

import type { IDataObject, INodeExecutionData, INodeListSearchResult, INodeParameters, INodePropertyOptions, ResourceMapperFields } from 'n8n-workflow';

import type { Dialect } from './emulator';
import { CHATFLOW_ID, DRAFT_WORKFLOW_ID, SCHEMA_WORKFLOW_ID, TEAM_WORKSPACE_ID, WORKSPACES_WITH_TEAM } from './emulator';
import type { CozeCredentials } from './harness/engine';
import { callNodeMethod, runCozeNode } from './harness/engine';
import { useEmulators } from './harness/emulators';

const TOKEN = 'pat_catalog_secret_token_0123456789';
const emulators = useEmulators(TOKEN);

const credentials = (dialect: Dialect): CozeCredentials => ({
	region: dialect === 'studio' ? 'studio' : 'custom',
	baseUrl: emulators[dialect].url,
	accessToken: TOKEN,
});

const search = (parameters: INodeParameters, filter?: string, token?: string, dialect: Dialect = 'cloud') =>
	callNodeMethod<INodeListSearchResult>('listSearch', 'searchWorkflows', parameters, credentials(dialect), [filter, token]);

describe('Workflow From List', () => {
	it('pages through the published workflows of every workspace', async () => {
		emulators.cloud.setWorkspaces(WORKSPACES_WITH_TEAM.map((w) => ({ ...w })));
		const seen: string[] = [];
		let token: string | undefined;
		let calls = 0;
		do {
			const page = await search({ operation: 'run' }, undefined, token);
			seen.push(...page.results.map((r) => String(r.value)));
			token = page.paginationToken;
			calls++;
		} while (token && calls < 20);
		expect(calls).toBeGreaterThan(1);
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen).toContain(SCHEMA_WORKFLOW_ID);
		expect(seen).not.toContain(CHATFLOW_ID);
		expect(seen).not.toContain(DRAFT_WORKFLOW_ID);
		const listCalls = emulators.cloud.requests.filter((r) => r.path === '/v1/workflows');
		expect(listCalls.every((r) => r.query.publish_status === 'published_online' && r.query.workflow_mode === 'workflow')).toBe(true);
		expect(new Set(listCalls.map((r) => r.query.workspace_id)).size).toBe(2);
	});

	it('filters by name, shows chatflows only for Chat, and narrows to the chosen workspace', async () => {
		const found = await search({ operation: 'run' }, '翻译');
		expect(found.results.length).toBeGreaterThan(0);
		expect(found.results.every((r) => r.name.includes('翻译'))).toBe(true);

		const chatflows = await search({ operation: 'chat' });
		expect(chatflows.results.map((r) => r.value)).toContain(CHATFLOW_ID);
		expect(chatflows.results.map((r) => r.value)).not.toContain(SCHEMA_WORKFLOW_ID);

		emulators.cloud.reset();
		emulators.cloud.setWorkspaces(WORKSPACES_WITH_TEAM.map((w) => ({ ...w })));
		await search({ operation: 'run', workspaceId: TEAM_WORKSPACE_ID });
		expect(emulators.cloud.requests.filter((r) => r.path === '/v1/workspaces')).toHaveLength(0);
		expect(emulators.cloud.requests.find((r) => r.path === '/v1/workflows')?.query.workspace_id).toBe(TEAM_WORKSPACE_ID);
	});

	it('lists the workspaces for the Workspace field', async () => {
		emulators.cloud.setWorkspaces(WORKSPACES_WITH_TEAM.map((w) => ({ ...w })));
		const options = await callNodeMethod<INodePropertyOptions[]>('loadOptions', 'getWorkspaces', { operation: 'run' }, credentials('cloud'));
		expect(options.map((o) => o.value)).toEqual(['', ...WORKSPACES_WITH_TEAM.map((w) => w.id)]);
	});

	it('says that Coze Studio has no list, while By ID still works', async () => {
		await expect(search({ operation: 'run' }, undefined, undefined, 'studio')).rejects.toThrow('Coze Studio has no API to list workflows');
		const options = await callNodeMethod<INodePropertyOptions[]>('loadOptions', 'getWorkspaces', { operation: 'run' }, credentials('studio'));
		expect(options[0].name).toContain('Coze Studio Has No Workspace List');
	});
});

const schemaRun = (value: Record<string, string>, extra: INodeParameters = {}): INodeParameters => ({
	operation: 'run',
	workflowId: { __rl: true, mode: 'list', value: SCHEMA_WORKFLOW_ID },
	mode: 'sync',
	inputMode: 'schema',
	inputsSchema: { mappingMode: 'defineBelow', value, schema: [] },
	options: {},
	...extra,
});

function fileItem(json: IDataObject, files: Record<string, { name: string; mime: string; bytes: Buffer }>): INodeExecutionData {
	return {
		json,
		binary: Object.fromEntries(
			Object.entries(files).map(([property, file]) => [
				property,
				{ data: file.bytes.toString('base64'), mimeType: file.mime, fileName: file.name },
			]),
		),
	};
}

describe('Map Each Input', () => {
	it("loads the workflow's inputs as fields, with types and required flags", async () => {
		const fields = await callNodeMethod<ResourceMapperFields>(
			'resourceMapping',
			'getWorkflowInputs',
			{ operation: 'run', workflowId: { __rl: true, mode: 'id', value: SCHEMA_WORKFLOW_ID } },
			credentials('cloud'),
		);
		const byId = Object.fromEntries(fields.fields.map((f) => [f.id, f]));
		expect(byId.text).toMatchObject({ displayName: 'text (string)', type: 'string', required: true });
		expect(byId.count).toMatchObject({ type: 'number', required: false });
		expect(byId.verbose.type).toBe('boolean');
		expect(byId.options.type).toBe('object');
		expect(byId.tags).toMatchObject({ type: 'array', displayName: 'tags (array of string)' });
		expect(byId.image).toMatchObject({ displayName: 'image (file)', required: true });
		expect(byId.photos.displayName).toBe('photos (files)');
		const studio = await callNodeMethod<ResourceMapperFields>(
			'resourceMapping',
			'getWorkflowInputs',
			{ operation: 'run', workflowId: { __rl: true, mode: 'id', value: SCHEMA_WORKFLOW_ID } },
			credentials('studio'),
		);
		expect(studio.fields).toEqual([]);
		expect(studio.emptyFieldsNotice).toContain('Coze Studio has no API');
	});

	it('sends typed values, uploads the file inputs from binary data, and keeps URLs as they are', async () => {
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x10, 0x80]);
		const pdf = Buffer.from('%PDF-1.4 文档', 'utf8');
		const outcome = await runCozeNode({
			items: [],
			inputItems: [fileItem({}, { data: { name: '照片.png', mime: 'image/png', bytes: png }, doc: { name: 'report.pdf', mime: 'application/pdf', bytes: pdf } })],
			parameters: schemaRun({
				text: '你好',
				count: '5',
				verbose: 'true',
				tags: '["a","b"]',
				image: 'data',
				document: 'doc',
				attachment: 'https://example.invalid/file.zip',
			}),
			credentials: credentials('cloud'),
		});
		expect(outcome.error).toBeUndefined();
		const uploads = emulators.cloud.uploads;
		expect(uploads.map((u) => [u.fileName, u.mimeType, u.size])).toEqual([
			['照片.png', 'image/png', png.length],
			['report.pdf', 'application/pdf', pdf.length],
		]);
		expect(uploads[0].sha256).toBe(createHash('sha256').update(png).digest('hex'));
		const sent = (emulators.cloud.runsOf(SCHEMA_WORKFLOW_ID)[0].body as { parameters: Record<string, unknown> }).parameters;
		expect(sent).toEqual({
			text: '你好',
			count: 5,
			verbose: true,
			tags: ['a', 'b'],
			image: JSON.stringify({ file_id: uploads[0].id }),
			document: JSON.stringify({ file_id: uploads[1].id }),
			attachment: 'https://example.invalid/file.zip',
		});
		expect(emulators.cloud.requests.filter((r) => r.path === `/v1/workflows/${SCHEMA_WORKFLOW_ID}`)).toHaveLength(1);
	});

	it('names a missing required input and a wrong type before sending anything', async () => {
		let outcome = await runCozeNode({ items: [{}], parameters: schemaRun({ text: 'x' }), credentials: credentials('cloud') });
		expect(outcome.error?.message).toBe('The workflow input "image" is required');
		outcome = await runCozeNode({
			items: [{}],
			parameters: schemaRun({ text: 'x', image: 'https://example.invalid/a.png', count: 'many' }),
			credentials: credentials('cloud'),
		});
		expect(outcome.error?.message).toBe('The workflow input "count" must be a whole number');
		expect(emulators.cloud.runsOf(SCHEMA_WORKFLOW_ID)).toHaveLength(0);
	});
});

/** A Studio file URL as Studio's own editor passes it to a workflow: with the file's name. */
function studioUrl(url: string, fileName: string): string {
	const parsed = new URL(url);
	parsed.searchParams.set('x-wf-file_name', fileName);
	return parsed.toString();
}

describe('File Inputs', () => {
	it.each<Dialect>(['cloud', 'studio'])('uploads files for Key/Value inputs on %s, several as an array', async (dialect) => {
		const one = Buffer.from('first file \u0000\u0001');
		const two = Buffer.from('second');
		const outcome = await runCozeNode({
			items: [],
			inputItems: [fileItem({ q: 'x' }, { data: { name: 'a.txt', mime: 'text/plain', bytes: one }, more: { name: 'b.csv', mime: 'text/csv', bytes: two } })],
			parameters: {
				operation: 'run',
				workflowId: { __rl: true, mode: 'id', value: '7398000000000000077' },
				mode: 'sync',
				inputMode: 'keyValue',
				parameters: { parameter: [{ name: 'q', value: '={{ $json.q }}' }] },
				options: { fileInputs: { file: [{ name: 'doc', binaryProperty: 'data' }, { name: 'docs', binaryProperty: 'data, more', asArray: true }] } },
			},
			credentials: credentials(dialect),
		});
		expect(outcome.error).toBeUndefined();
		const uploads = emulators[dialect].uploads;
		expect(uploads.map((u) => u.fileName)).toEqual(['a.txt', 'a.txt', 'b.csv']);
		const reference = (index: number) => (dialect === 'cloud' ? JSON.stringify({ file_id: uploads[index].id }) : studioUrl(uploads[index].url ?? '', uploads[index].fileName));
		const sent = (emulators[dialect].runsOf('7398000000000000077')[0].body as { parameters: Record<string, unknown> }).parameters;
		expect(sent).toEqual({ q: 'x', doc: reference(0), docs: [reference(1), reference(2)] });
	});

	// Browsers name a second download "report (1).pdf"; Go's parser on Studio drops a part whose filename* is not valid RFC 5987.
	it.each<Dialect>(['cloud', 'studio'])('keeps names with parentheses, spaces, quotes and CJK on %s', async (dialect) => {
		const names = ['report (1).pdf', '报告 2025.pdf', "it's *final*.txt"];
		const binary = Object.fromEntries(names.map((name, index) => [`f${index}`, { name, mime: 'application/pdf', bytes: Buffer.from(name) }]));
		const outcome = await runCozeNode({
			items: [],
			inputItems: [fileItem({}, binary)],
			parameters: {
				operation: 'run',
				workflowId: { __rl: true, mode: 'id', value: '7398000000000000077' },
				mode: 'sync',
				inputMode: 'json',
				parametersJson: '{}',
				options: { fileInputs: { file: [{ name: 'docs', binaryProperty: 'f0, f1, f2', asArray: true }] } },
			},
			credentials: credentials(dialect),
		});
		expect(outcome.error).toBeUndefined();
		expect(emulators[dialect].uploads.map((u) => u.fileName)).toEqual(names);
		if (dialect === 'studio') {
			const sent = (emulators.studio.runsOf('7398000000000000077')[0].body as { parameters: { docs: string[] } }).parameters.docs;
			expect(sent.map((url) => new URL(url).searchParams.get('x-wf-file_name'))).toEqual(names);
		}
	});

	it('names the input and the file when Coze refuses it, and a missing binary property', async () => {
		emulators.cloud.uploadLimits = { ...emulators.cloud.uploadLimits, maxBytes: 4 };
		const outcome = await runCozeNode({
			items: [],
			inputItems: [fileItem({}, { data: { name: 'big.pdf', mime: 'application/pdf', bytes: Buffer.alloc(64, 1) } })],
			parameters: {
				operation: 'run',
				workflowId: { __rl: true, mode: 'id', value: '7398000000000000078' },
				inputMode: 'json',
				parametersJson: '{}',
				options: { fileInputs: { file: [{ name: 'doc', binaryProperty: 'data' }] } },
			},
			credentials: credentials('cloud'),
			continueOnFail: true,
		});
		expect(outcome.output[0].json.error).toBe('The file is too large for Coze (Coze code 4302) for the file "big.pdf" of the input "doc"');
		const missing = await runCozeNode({
			items: [{}],
			parameters: {
				operation: 'run',
				workflowId: { __rl: true, mode: 'id', value: '7398000000000000078' },
				inputMode: 'json',
				parametersJson: '{}',
				options: { fileInputs: { file: [{ name: 'doc', binaryProperty: 'data' }] } },
			},
			credentials: credentials('cloud'),
		});
		expect(missing.error?.message).toBe('The item has no binary property "data" for the input "doc"');
		expect(emulators.cloud.runsOf('7398000000000000078')).toHaveLength(0);
	});
});
