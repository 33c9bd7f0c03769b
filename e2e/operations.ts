/**
 * Every operation of the node in a real n8n, against the cloud emulator: Async with and without
 * waiting, Get Run Result, Resume after a stream's and a waited-for run's question, Chat that
 * goes on in its conversation; and the workflow list and input schema through the REST endpoints
 * the editor calls (#15).
 */
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { CozeEmulator } from '../test/emulator';
import { SCHEMA_WORKFLOW_ID } from '../test/emulator';
import { BROWSER_ID, nodeOutput, type N8nInstance, type WorkflowJson } from '../scripts/lib/n8n';
import { byId, CREDENTIAL_ID, CREDENTIAL_NAME, linearWorkflow } from '../scripts/lib/workflows';

export const OPERATIONS_WF = {
	async: '7398000000000000201',
	asyncWait: '7398000000000000202',
	ask: '7398000000000000203',
	syncAsk: '7398000000000000204',
	chat: '7398000000000000205',
	file: '7398000000000000206',
};
const WORKFLOW_ID = 'CozeE2eAllOps001';
const FILE_WORKFLOW_ID = 'CozeE2eDiskFile1';
const FILE_NAME = '报告 2026.txt';
const FILE_TEXT = '第一季度报告 Q1 report\n';
const credential = { id: CREDENTIAL_ID, name: CREDENTIAL_NAME };
const json = { inputMode: 'json', parametersJson: '{"city":"杭州"}' };
const resumeTheInterrupt = {
	operation: 'resume',
	eventId: '={{ $json.interrupt.event_id }}',
	interruptType: '={{ $json.interrupt.type }}',
	resumeData: 'Hangzhou',
	pausedIn: '={{ $json.interrupt.paused_in }}',
	options: {},
};

type Check = (testCase: { name: string; run: () => Promise<void> }) => Promise<void>;

/** The scenarios of the workflows below, on the cloud emulator the e2e's credential points at. */
export function setUpOperations(emulator: CozeEmulator): void {
	emulator.setAsyncScenario(OPERATIONS_WF.async, { kind: 'complete', pollsUntilDone: 0, output: { result: '完成' } });
	emulator.setAsyncScenario(OPERATIONS_WF.asyncWait, { kind: 'complete', pollsUntilDone: 2, output: { result: 'waited' } });
	emulator.setStreamScenario(OPERATIONS_WF.ask, { kind: 'questions', questions: ['Which city?'] });
	emulator.setRunScenario(OPERATIONS_WF.syncAsk, {
		kind: 'interrupt',
		eventId: '7404831988202520614/6302059919516746633',
		type: 2,
		data: '{"question":"Which city?"}',
		then: { kind: 'json', data: { city: 'Hangzhou' } },
	});
	emulator.setChatScenario(OPERATIONS_WF.chat, { kind: 'answer', text: '明天杭州多云', chunks: 2 });
}

/**
 * A folder with the file the disk workflow reads; n8n is told it may read there
 * (N8N_RESTRICT_FILE_ACCESS_TO: n8n 2.x reads only ~/.n8n-files by default). Removed at exit.
 */
export function filesFolder(): string {
	const dir = mkdtempSync(join(tmpdir(), 'n8n-nodes-coze-files-'));
	process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
	writeFileSync(join(dir, FILE_NAME), FILE_TEXT);
	return dir;
}

/** Manual Trigger → one Coze Workflow node per step, each reading what the one before it output. */
export function operationWorkflows(filesDir: string): WorkflowJson[] {
	const steps: Array<[string, Record<string, unknown>]> = [
		['Coze Async', { operation: 'run', workflowId: byId(OPERATIONS_WF.async), runMode: 'async', waitForCompletion: false, ...json, options: {} }],
		['Coze Get Run Result', { operation: 'getRunResult', workflowId: byId(OPERATIONS_WF.async), executeId: '={{ $json.execute_id }}', options: {} }],
		['Coze Async Wait', { operation: 'run', workflowId: byId(OPERATIONS_WF.asyncWait), runMode: 'async', ...json, options: { pollInterval: 0.2 } }],
		['Coze Ask', { operation: 'run', workflowId: byId(OPERATIONS_WF.ask), runMode: 'stream', ...json, options: {} }],
		['Coze Resume', { ...resumeTheInterrupt, workflowId: byId(OPERATIONS_WF.ask) }],
		['Coze Sync Ask', { operation: 'run', workflowId: byId(OPERATIONS_WF.syncAsk), runMode: 'sync', ...json, options: {} }],
		['Coze Sync Resume', { ...resumeTheInterrupt, workflowId: byId(OPERATIONS_WF.syncAsk) }],
		['Coze Chat', { operation: 'chat', workflowId: byId(OPERATIONS_WF.chat), message: '明天天气？', chatOwner: 'app', appId: '7400000000000000002', options: {} }],
		[
			'Coze Chat Again',
			{ operation: 'chat', workflowId: byId(OPERATIONS_WF.chat), message: '后天呢？', chatOwner: 'app', appId: '7400000000000000002', options: { conversationId: '={{ $json.conversation_id }}' } },
		],
	];
	const nodes = steps.map(([name, parameters], index) => ({
		id: `a1f6c1f0-0000-4000-8000-0000000f${String(index).padStart(4, '0')}`,
		name,
		type: 'n8n-nodes-coze.cozeWorkflow',
		typeVersion: 1,
		position: [220 * (index + 1), 0],
		parameters,
		credentials: { cozeApi: credential },
	}));
	const fromDisk = [
		{
			id: 'a1f6c1f0-0000-4000-8000-0000000f0101',
			name: 'Read File',
			type: 'n8n-nodes-base.readWriteFile',
			typeVersion: 1,
			position: [220, 0],
			parameters: { operation: 'read', fileSelector: join(filesDir, FILE_NAME), options: {} },
		},
		{
			id: 'a1f6c1f0-0000-4000-8000-0000000f0102',
			name: 'Coze Upload',
			type: 'n8n-nodes-coze.cozeWorkflow',
			typeVersion: 1,
			position: [440, 0],
			parameters: {
				operation: 'run',
				workflowId: byId(OPERATIONS_WF.file),
				runMode: 'sync',
				...json,
				options: { fileInputs: { file: [{ name: 'doc', binaryProperty: 'data' }] } },
			},
			credentials: { cozeApi: credential },
		},
	];
	return [linearWorkflow(WORKFLOW_ID, 'E2E every operation', nodes), linearWorkflow(FILE_WORKFLOW_ID, 'E2E a file from disk', fromDisk)];
}

/** Runs with `n8n execute`, so before `n8n start` (both want the task broker's port). */
export async function operationChecks(n8n: N8nInstance, emulator: CozeEmulator, check: Check): Promise<void> {
	await check({
		name: 'every operation: Async without waiting → Get Run Result, Async waited for, Stream → Resume, Wait for Result → Resume, Chat twice in one conversation',
		run: async () => {
			// Earlier checks resume runs on the same emulator: count only this workflow's requests.
			const before = emulator.requests.length;
			const result = await n8n.execute(WORKFLOW_ID);
			strictEqual(result.run.status, 'success', result.output.slice(-3000));
			const out = (node: string) => nodeOutput(result.run, node)[0]?.json ?? {};
			ok(/^\d{19}$/.test(String(out('Coze Async').execute_id)), JSON.stringify(out('Coze Async')));
			strictEqual(out('Coze Async').status, 'Running');
			deepStrictEqual([out('Coze Get Run Result').status, out('Coze Get Run Result').data], ['Success', { result: '完成' }]);
			strictEqual(out('Coze Get Run Result').execute_id, out('Coze Async').execute_id);
			deepStrictEqual([out('Coze Async Wait').status, out('Coze Async Wait').data], ['Success', { result: 'waited' }]);
			strictEqual(emulator.historyPollsOf(String(out('Coze Async Wait').execute_id)), 3);
			strictEqual((out('Coze Ask').interrupt as { paused_in?: string }).paused_in, 'stream');
			deepStrictEqual(out('Coze Resume').data, { answers: ['Hangzhou'] });
			strictEqual((out('Coze Sync Ask').interrupt as { paused_in?: string }).paused_in, 'sync');
			deepStrictEqual(out('Coze Sync Resume').data, { city: 'Hangzhou' });
			strictEqual(out('Coze Chat').answer, '明天杭州多云');
			ok(/^\d+$/.test(String(out('Coze Chat').conversation_id)), JSON.stringify(out('Coze Chat')));
			strictEqual(out('Coze Chat Again').conversation_id, out('Coze Chat').conversation_id);
			const resumes = emulator.requests.slice(before).filter((request) => /resume/.test(request.path)).map((request) => request.path);
			deepStrictEqual(resumes.sort(), ['/v1/workflow/stream_resume', '/v1/workflows/resume']);
		},
	});
}

/** Read/Write Files from Disk → Coze Workflow: the file goes to Coze with its name and bytes. */
export async function diskFileChecks(n8n: N8nInstance, emulator: CozeEmulator, check: Check): Promise<void> {
	await check({
		name: `a file read from disk (Read/Write Files from Disk, "${FILE_NAME}") is uploaded to Coze with its name and bytes and sent as the workflow's file input`,
		run: async () => {
			const result = await n8n.execute(FILE_WORKFLOW_ID);
			strictEqual(result.run.status, 'success', result.output.slice(-3000));
			const upload = emulator.uploads.find((entry) => entry.fileName === FILE_NAME);
			ok(upload, JSON.stringify(emulator.uploads.map((entry) => entry.fileName)));
			strictEqual(upload.bytes.toString('utf8'), FILE_TEXT);
			const [run] = emulator.runsOf(OPERATIONS_WF.file);
			const doc = (run?.body as { parameters?: { doc?: string } } | undefined)?.parameters?.doc;
			deepStrictEqual(JSON.parse(String(doc)), { file_id: upload.id });
		},
	});
}

/** The editor's calls for the workflow picker and Map Each Input, through n8n's REST API (after `n8n start`). */
export async function editorEndpointChecks(n8n: N8nInstance, check: Check): Promise<void> {
	await check({
		name: "the workflow picker and Map Each Input through the REST endpoints the editor calls (/rest/dynamic-node-parameters/…)",
		run: async () => {
			const cookie = await n8n.ownerSession();
			const post = async (path: string, body: Record<string, unknown>) => {
				const response = await fetch(`${n8n.baseUrl}/rest/dynamic-node-parameters/${path}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', cookie, 'browser-id': BROWSER_ID },
					body: JSON.stringify({
						nodeTypeAndVersion: { name: 'n8n-nodes-coze.cozeWorkflow', version: 1 },
						credentials: { cozeApi: credential },
						...body,
					}),
				});
				const text = await response.text();
				strictEqual(response.status, 200, text.slice(0, 2000));
				return (JSON.parse(text) as { data: Record<string, unknown> }).data;
			};
			// As the editor sends them: with the defaults, Authentication among them (it decides the credential).
			const parameters = { authentication: 'accessToken', operation: 'run', workflowId: { __rl: true, mode: 'list', value: '' } };
			const list = await post('resource-locator-results', { path: 'workflowId', methodName: 'searchWorkflows', currentNodeParameters: parameters, filter: '全类型' });
			const results = list.results as Array<{ name: string; value: string }>;
			ok(results.some((result) => result.value === SCHEMA_WORKFLOW_ID), JSON.stringify(results).slice(0, 2000));
			const mapper = await post('resource-mapper-fields', {
				path: 'inputsSchema',
				methodName: 'getWorkflowInputs',
				currentNodeParameters: { ...parameters, workflowId: byId(SCHEMA_WORKFLOW_ID) },
			});
			const fields = Object.fromEntries((mapper.fields as Array<{ id: string; type: string; required: boolean }>).map((field) => [field.id, field]));
			ok(fields.text?.required === true && fields.text.type === 'string', JSON.stringify(fields).slice(0, 2000));
			ok(fields.count?.required === false && fields.count.type === 'number', JSON.stringify(fields).slice(0, 2000));
			const unknown = await post('resource-mapper-fields', {
				path: 'inputsSchema',
				methodName: 'getWorkflowInputs',
				currentNodeParameters: { ...parameters, workflowId: byId('7398000000000000999') },
			});
			ok(String(unknown.emptyFieldsNotice).includes('Coze code 4200'), JSON.stringify(unknown));
		},
	});
}
