/**
 * Coze as users really deploy and meet it (#13), in a real n8n: self-hosted Coze Studio behind
 * the real nginx set up like Studio's own (scripts/lib/nginx.ts), which holds a stream's headers
 * and events back until the run ends; a paused async run and its resume; file names with
 * parentheses and CJK reaching Studio.
 */
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';

import { startCozeEmulator, type CozeEmulator } from '../test/emulator';
import { ECHO_AGENT_ID } from '../test/emulator/agentCatalogue';
import { startStudioNginx, type StudioNginx } from '../scripts/lib/nginx';
import { nodeOutput, type N8nInstance, type CredentialJson, type WorkflowJson } from '../scripts/lib/n8n';
import { byId, CREDENTIAL_ID, CREDENTIAL_NAME, linearWorkflow, splitOutNode } from '../scripts/lib/workflows';

const STUDIO_TOKEN = 'pat_e2e_studio_secret_token_0123456789';
const STUDIO_CREDENTIAL = { id: 'CozeStudioCred01', name: 'Coze Studio' };
export const STUDIO_WF = {
	long: '7398000000000000101',
	ask: '7398000000000000102',
	chat: '7398000000000000103',
	files: '7398000000000000104',
	pause: '7398000000000000105',
	cloudPause: '7398000000000000106',
};
/** Each write of a long run comes this long after the last one: more than Idle Timeout (5 s) in all. */
const STEP_MS = 3000;
const FILE_NAMES = ['report (1).pdf', '报告 2025.pdf'];
const AGENT_STEP_MS = 1000;

type Check = (testCase: { name: string; run: () => Promise<void> }) => Promise<void>;

let nodeNumber = 0;
function coze(name: string, parameters: Record<string, unknown>, credential: { id: string; name: string }, x: number) {
	nodeNumber++;
	return {
		id: `a1f6c1f0-0000-4000-8000-0000000d${String(nodeNumber).padStart(4, '0')}`,
		name,
		type: parameters.resource === undefined ? 'n8n-nodes-coze.cozeWorkflow' : 'n8n-nodes-coze.coze',
		typeVersion: 1,
		position: [x, 0],
		parameters,
		credentials: { cozeApi: credential },
	};
}

/** The Coze node's Agent → Chat with the emulator's echo agent (test/emulator/agentCatalogue.ts). */
const agentChat = (message: string, options: Record<string, unknown>) => ({
	resource: 'agent',
	operation: 'chat',
	agentId: byId(ECHO_AGENT_ID),
	userId: 'studio-user',
	message,
	options,
});

const studio = STUDIO_CREDENTIAL;
const cloud = { id: CREDENTIAL_ID, name: CREDENTIAL_NAME };
const IDLE = { idleTimeout: 5 };

function studioWorkflows(): WorkflowJson[] {
	const run = (id: string, mode: string, options: Record<string, unknown>) => ({
		operation: 'run',
		workflowId: byId(id),
		runMode: mode,
		inputMode: 'json',
		parametersJson: '{"city":"杭州"}',
		options,
	});
	const resume = (id: string, options: Record<string, unknown>) => ({
		operation: 'resume',
		workflowId: byId(id),
		eventId: '={{ $json.interrupt.event_id }}',
		interruptType: '={{ $json.interrupt.type }}',
		resumeData: 'Hangzhou',
		pausedIn: '={{ $json.interrupt.paused_in }}',
		options,
	});
	return [
		linearWorkflow('CozeE2eStudioStr', 'E2E Studio stream behind nginx', [
			coze('Coze Run', run(STUDIO_WF.long, 'stream', { ...IDLE, streamTimeout: 60, includeMessages: true }), studio, 300),
		]),
		linearWorkflow('CozeE2eStudioRes', 'E2E Studio stream pause and resume behind nginx', [
			coze('Coze Run', run(STUDIO_WF.ask, 'stream', { ...IDLE, streamTimeout: 60 }), studio, 300),
			coze('Coze Resume', resume(STUDIO_WF.ask, { ...IDLE, timeout: 60 }), studio, 600),
		]),
		linearWorkflow('CozeE2eStudioCht', 'E2E Studio chat behind nginx', [
			coze(
				'Coze Chat',
				{
					operation: 'chat',
					workflowId: byId(STUDIO_WF.chat),
					message: '明天杭州天气？',
					chatOwner: 'app',
					appId: '7400000000000000002',
					options: { ...IDLE, timeout: 60, parametersJson: '{"CONVERSATION_NAME":"n8n"}' },
				},
				studio,
				300,
			),
		]),
		linearWorkflow('CozeE2eStudioUpl', 'E2E Studio uploads behind nginx', [
			{
				id: 'a1f6c1f0-0000-4000-8000-0000000e0001',
				name: 'Files',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ files: FILE_NAMES.map((name) => ({ name, text: `content of ${name}` })) }), options: {} },
			},
			splitOutNode('a1f6c1f0-0000-4000-8000-0000000e0002', 'Each File', 'files', [400, 0]),
			{
				id: 'a1f6c1f0-0000-4000-8000-0000000e0003',
				name: 'To File',
				type: 'n8n-nodes-base.convertToFile',
				typeVersion: 1.1,
				position: [600, 0],
				parameters: { operation: 'toText', sourceProperty: 'text', options: { fileName: '={{ $json.name }}' } },
			},
			coze('Coze Upload', { ...run(STUDIO_WF.files, 'sync', { fileInputs: { file: [{ name: 'doc', binaryProperty: 'data' }] } }) }, studio, 800),
		]),
		linearWorkflow('CozeE2eStudioAgt', 'E2E Studio agent chat behind nginx', [
			coze('Coze Agent Stream', agentChat('你好', { ...IDLE, timeout: 60 }), studio, 300),
			coze('Coze Agent Poll', agentChat('再见', { conversationId: '={{ $json.conversation_id }}', responseMode: 'poll', pollInterval: 0.5, timeout: 60 }), studio, 600),
			coze('Coze Messages', { resource: 'conversation', operation: 'listMessages', conversationId: '={{ $json.conversation_id }}', returnAll: true, options: { order: 'asc' } }, studio, 900),
		]),
		linearWorkflow('CozeE2eStudioPau', 'E2E Studio async pause', [coze('Coze Run', run(STUDIO_WF.pause, 'async', { pollInterval: 0.5 }), studio, 300)]),
		linearWorkflow('CozeE2eCloudPaus', 'E2E cloud async pause and resume', [
			coze('Coze Run', run(STUDIO_WF.cloudPause, 'async', { pollInterval: 0.5 }), cloud, 300),
			coze('Coze Resume', resume(STUDIO_WF.cloudPause, { pollInterval: 0.5 }), cloud, 600),
		]),
	];
}

export interface StudioSetup {
	emulator: CozeEmulator;
	nginx: StudioNginx;
	credential: CredentialJson;
	workflows: WorkflowJson[];
	stop(): Promise<void>;
}

/** The Studio emulator behind a real nginx, with the scenarios the checks below run. */
export async function startStudioSetup(cloudEmulator: CozeEmulator): Promise<StudioSetup> {
	const emulator = await startCozeEmulator({ dialect: 'studio', validTokens: [STUDIO_TOKEN] });
	const slow = { delayMs: STEP_MS };
	emulator.setStreamScenario(STUDIO_WF.long, {
		kind: 'result',
		output: { forecast: '晴' },
		messages: [{ node_title: 'Forecast', chunks: ['明天', '杭州', '晴'] }],
		...slow,
	});
	emulator.setStreamScenario(STUDIO_WF.ask, { kind: 'questions', questions: ['Which city?'], ...slow });
	emulator.setChatScenario(STUDIO_WF.chat, { kind: 'answer', text: '明天杭州晴，26 度。', chunks: 2, ...slow });
	emulator.setAsyncScenario(STUDIO_WF.pause, { kind: 'pause', pollsUntilDone: 1 });
	// The agent's events come a second apart (answer in one delta): nginx holds them all back, longer than Idle Timeout.
	emulator.setAgentOptions({ delayMs: AGENT_STEP_MS, deltaChars: 100 });
	cloudEmulator.setAsyncScenario(STUDIO_WF.cloudPause, { kind: 'pause', pollsUntilDone: 1, question: 'Which day?' });
	let nginx: StudioNginx;
	try {
		nginx = await startStudioNginx(emulator.url);
	} catch (error) {
		await emulator.close();
		throw error;
	}
	return {
		emulator,
		nginx,
		credential: { ...STUDIO_CREDENTIAL, type: 'cozeApi', data: { region: 'studio', baseUrl: nginx.url, accessToken: STUDIO_TOKEN } },
		workflows: studioWorkflows(),
		stop: async () => {
			await nginx.stop();
			await emulator.close();
		},
	};
}

export async function studioChecks(n8n: N8nInstance, setup: StudioSetup, cloudEmulator: CozeEmulator, check: Check): Promise<void> {
	const { emulator } = setup;
	const tookMs = (run: Awaited<ReturnType<N8nInstance['execute']>>['run'], node: string) =>
		run.data.resultData.runData[node]?.[0]?.executionTime ?? Number.NaN;

	await check({
		name: "a Coze Studio stream behind Studio's nginx, silent for longer than Idle Timeout (5 s) until the run ends, succeeds with its messages",
		run: async () => {
			const result = await n8n.execute('CozeE2eStudioStr');
			strictEqual(result.run.status, 'success', result.output.slice(-2000));
			const [item] = nodeOutput(result.run, 'Coze Run');
			deepStrictEqual(item.json.data, { forecast: '晴' });
			const messages = item.json.messages as Array<{ content: string }>;
			ok(messages.map((message) => message.content).join('').includes('明天杭州晴'), JSON.stringify(messages));
			const took = tookMs(result.run, 'Coze Run');
			ok(took > 3 * STEP_MS, `the run took ${took} ms, less than the silence it should have met`);
			strictEqual(emulator.streamsOf(STUDIO_WF.long).length, 1);
			process.stdout.write(`      the stream took ${took} ms behind nginx\n`);
		},
	});

	await check({
		name: "a Coze Studio stream paused at a question, resumed through stream_resume behind Studio's nginx, finishes",
		run: async () => {
			const result = await n8n.execute('CozeE2eStudioRes');
			strictEqual(result.run.status, 'success', result.output.slice(-2000));
			const [paused] = nodeOutput(result.run, 'Coze Run');
			strictEqual((paused.json.interrupt as { paused_in: string }).paused_in, 'stream');
			const [resumed] = nodeOutput(result.run, 'Coze Resume');
			deepStrictEqual(resumed.json.data, { answers: ['Hangzhou'] });
			strictEqual(emulator.requests.filter((request) => request.path === '/v1/workflow/stream_resume').length, 1);
		},
	});

	await check({
		name: "a Coze Studio chat behind Studio's nginx answers, though its deltas come later than Idle Timeout",
		run: async () => {
			const result = await n8n.execute('CozeE2eStudioCht');
			strictEqual(result.run.status, 'success', result.output.slice(-2000));
			const [item] = nodeOutput(result.run, 'Coze Chat');
			strictEqual(item.json.answer, '明天杭州晴，26 度。');
			strictEqual(item.json.status, 'completed');
		},
	});

	await check({
		name: "a Coze Studio agent chat behind Studio's nginx: streamed though its events come later than Idle Timeout, then polled in the same conversation, then its messages listed",
		run: async () => {
			const result = await n8n.execute('CozeE2eStudioAgt');
			strictEqual(result.run.status, 'success', result.output.slice(-2000));
			const [streamed] = nodeOutput(result.run, 'Coze Agent Stream');
			strictEqual(streamed.json.answer, 'Echo: 你好 (turn 1)');
			const [polled] = nodeOutput(result.run, 'Coze Agent Poll');
			strictEqual(polled.json.answer, 'Echo: 再见 (turn 2)');
			strictEqual(polled.json.conversation_id, streamed.json.conversation_id);
			const listed = nodeOutput(result.run, 'Coze Messages').map((item) => item.json.content);
			deepStrictEqual(listed, ['你好', 'Echo: 你好 (turn 1)', '再见', 'Echo: 再见 (turn 2)']);
			const took = tookMs(result.run, 'Coze Agent Stream');
			ok(took > IDLE.idleTimeout * 1000, `the streamed chat took ${took} ms, less than the silence it should have met`);
			process.stdout.write(`      the agent's stream took ${took} ms behind nginx\n`);
			// Studio reads the conversation from the query only (coze-api.md §10.6).
			const chats = emulator.chatRequestsOf(ECHO_AGENT_ID);
			strictEqual(chats.length, 2);
			strictEqual(chats[1].query.conversation_id, streamed.json.conversation_id);
		},
	});

	await check({
		name: `files named ${FILE_NAMES.map((name) => `"${name}"`).join(' and ')} reach Coze Studio through nginx with their names`,
		run: async () => {
			const result = await n8n.execute('CozeE2eStudioUpl');
			strictEqual(result.run.status, 'success', result.output.slice(-2000));
			// The items run in parallel: their uploads and runs arrive in any order.
			const sorted = (names: Array<string | null>) => [...names].sort();
			deepStrictEqual(sorted(emulator.uploads.map((upload) => upload.fileName)), sorted(FILE_NAMES));
			const sent = emulator.runsOf(STUDIO_WF.files).map((run) => (run.body as { parameters: { doc: string } }).parameters.doc);
			deepStrictEqual(sorted(sent.map((url) => new URL(url).searchParams.get('x-wf-file_name'))), sorted(FILE_NAMES));
		},
	});

	await check({
		name: 'an async run paused at a question: on Coze cloud an interrupt that Resume completes through workflows/resume, on Coze Studio a clear error',
		run: async () => {
			const cloudRun = await n8n.execute('CozeE2eCloudPaus');
			strictEqual(cloudRun.run.status, 'success', cloudRun.output.slice(-2000));
			const [paused] = nodeOutput(cloudRun.run, 'Coze Run');
			strictEqual(paused.json.status, 'Paused');
			const [resumed] = nodeOutput(cloudRun.run, 'Coze Resume');
			deepStrictEqual(resumed.json.data, { parameters: { city: '杭州' }, resume_data: 'Hangzhou' });
			strictEqual(cloudEmulator.requests.filter((request) => request.path === '/v1/workflows/resume').length, 1);

			const studioRun = await n8n.execute('CozeE2eStudioPau');
			strictEqual(studioRun.run.status, 'error', studioRun.output.slice(-2000));
			const failure = studioRun.run.data.resultData.runData['Coze Run']?.[0]?.error;
			ok(String(failure?.message).includes('The workflow paused at a question or input node'), JSON.stringify(failure));
		},
	});
}
