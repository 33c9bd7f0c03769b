/**
 * End-to-end tests in a real n8n (`npm run test:e2e`): the packed package installed as a
 * community package in n8n 2.x and 1.x, workflows imported and run with n8n's CLI and
 * server, Coze played by the project's emulator on 127.0.0.1. E2E_LINES=2 or =1 picks one line.
 */
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';

import { newOAuthKeyPair, startCozeEmulator, type CozeEmulator } from '../test/emulator';
import { step } from '../scripts/lib/log';
import { failureScreenshot, launchChromium, openAgentToolPicker, openNodePicker, openWorkflow, pickerResults, signedInPage } from '../scripts/lib/editor';
import { foundBySearch, type NodeTypeEntry } from '../scripts/lib/editorSearch';
import { BROWSER_ID, N8nInstance, nodeOutput, type N8nLine } from '../scripts/lib/n8n';
import { COZE_NODE, cozeCredential, cozeOAuthCredential, manualTrigger, rowsWorkflow, webhookWorkflow } from '../scripts/lib/workflows';
import { agentChecks, agentWorkflows, startScriptedOpenAi } from './agent';
import { AGENT_HOOK_WORKFLOW, agentsWorkflows, agentToolChecks, agentWebhookChecks, cozeNodeEditorChecks } from './agents';
import { editorChecks, editorWorkflows } from './editor';
import { diskFileChecks, editorEndpointChecks, filesFolder, operationChecks, operationWorkflows, setUpOperations } from './operations';
import { startStudioSetup, studioChecks } from './studio';
import { knowledgeAudioChecks, startKnowledgeAudioSetup, type KnowledgeAudioSetup } from './knowledgeAudio';

const TOKEN = 'pat_e2e_secret_token_0123456789';
const OAUTH_APP = { appId: '1154567890123', keyId: 'e2e_public_key_fingerprint' };
const appKey = newOAuthKeyPair();
const strangerKey = newOAuthKeyPair();
const WF = {
	echo: '7398000000000000001',
	text: '7398000000000000002',
	json: '7398000000000000003',
	fails: '7398000000000000004',
	silent: '7398000000000000005',
	echoes: '7398000000000000006',
};
/** What a user types into the node picker to find the node, and the nodes each term must list. */
const SEARCH_TERMS: Record<string, string[]> = { Coze: ['Coze', 'Coze Workflow'], 'Coze Workflow': ['Coze Workflow'], workflow: ['Coze Workflow'] };
const AGENT_NODE_ID = 'b1f6c1f0-0000-4000-8000-00000000a6e7';

interface Case {
	name: string;
	run: () => Promise<void>;
}

let passed = 0;
let failed = 0;

/** E2E_ONLY='text|other' runs only the checks whose names contain one of them (the set-up still runs). */
const only = process.env.E2E_ONLY?.split('|').filter(Boolean);

async function check(line: N8nLine, version: string, testCase: Case): Promise<void> {
	if (only && !only.some((text) => testCase.name.includes(text))) return;
	const t0 = Date.now();
	try {
		await testCase.run();
		passed++;
		process.stdout.write(`  ✓ n8n ${version}: ${testCase.name} (${Date.now() - t0} ms)\n`);
	} catch (error) {
		failed++;
		process.stdout.write(`  ✕ n8n ${version}: ${testCase.name}\n${indent(error instanceof Error ? error.message : String(error))}\n`);
	}
	void line;
}

function indent(text: string): string {
	return text
		.split('\n')
		.slice(0, 40)
		.map((l) => `      ${l}`)
		.join('\n');
}

function workflows() {
	return [
		rowsWorkflow(
			'CozeE2eTyped0001',
			'E2E typed inputs',
			[
				{ city: '北京', days: 3, metric: true, tags: ['雨', 'wind'] },
				{ city: 'Hangzhou', days: 0, metric: false, tags: [] },
			],
			{
				workflowId: WF.echo,
				inputs: [
					{ name: 'city', value: '={{ $json.city }}' },
					{ name: 'days', value: '={{ $json.days }}' },
					{ name: 'metric', value: '={{ $json.metric }}' },
					{ name: 'tags', value: '={{ $json.tags }}' },
					{ name: 'literal', value: '42' },
				],
			},
		),
		rowsWorkflow(
			'CozeE2eText0001',
			'E2E text result',
			[{ q: 'hi' }],
			{ workflowId: WF.text, inputs: [{ name: 'q', value: '={{ $json.q }}' }] },
			[{ name: 'text', value: '={{ $json.data }}' }],
		),
		rowsWorkflow('CozeE2eJson0001', 'E2E JSON result', [{ q: 'hi' }], { workflowId: WF.json, parametersJson: '={{ JSON.stringify($json) }}' }),
		rowsWorkflow('CozeE2eFail0001', 'E2E failure stops', [{ q: 'a' }], { workflowId: WF.fails, inputs: [{ name: 'q', value: '={{ $json.q }}' }] }),
		{
			...rowsWorkflow(
				'CozeE2eCof000001',
				'E2E continue on fail',
				[
					{ n: 0, wf: WF.echo },
					{ n: 1, wf: WF.fails },
					{ n: 2, wf: WF.echo },
					{ n: 3, wf: WF.fails },
					{ n: 4, wf: WF.echo },
				],
				{ workflowId: '={{ $json.wf }}', inputs: [{ name: 'n', value: '={{ $json.n }}' }], continueOnFail: true },
			),
		},
		webhookWorkflow('CozeE2eHook00001', 'coze-e2e', { workflowId: WF.echo, inputs: [{ name: 'city', value: '={{ $json.body.city }}' }] }),
		rowsWorkflow('CozeE2eOAuth0001', 'E2E OAuth (JWT)', [{ q: 'a' }, { q: 'b' }], {
			workflowId: WF.echo,
			inputs: [{ name: 'q', value: '={{ $json.q }}' }],
			oauth: true,
		}),
		rowsWorkflow('CozeE2eSilent001', 'E2E stream, server silent before headers', [{ q: 'a' }], {
			workflowId: WF.silent,
			mode: 'stream',
			inputs: [{ name: 'q', value: '={{ $json.q }}' }],
			options: { streamTimeout: 5, idleTimeout: 120 },
		}),
		rowsWorkflow('CozeE2eEchoes001', 'E2E server echoing the token', [{ q: 'a' }], {
			workflowId: WF.echoes,
			mode: 'stream',
			inputs: [{ name: 'q', value: '={{ $json.q }}' }],
		}),
		// A new workflow as a user starts one: a trigger and nothing else (no AI node on the canvas).
		{
			id: 'CozeE2eSearch001',
			name: 'E2E node picker',
			active: false,
			nodes: [manualTrigger],
			connections: {},
			settings: { executionOrder: 'v1' },
		},
		{
			id: 'CozeE2eAgent0001',
			name: 'E2E AI Agent tools',
			active: false,
			nodes: [
				manualTrigger,
				{ id: AGENT_NODE_ID, name: 'AI Agent', type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 1.7, position: [300, 0], parameters: {} },
			],
			connections: { [manualTrigger.name]: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		},
	];
}

async function runLine(line: N8nLine): Promise<void> {
	const emulator: CozeEmulator = await startCozeEmulator({
		dialect: 'cloud',
		validTokens: [TOKEN],
		oauthApps: [{ ...OAUTH_APP, publicKeyPem: appKey.publicKey }],
	});
	const oauthData = { region: 'custom', baseUrl: emulator.url, audience: 'api.coze.cn', ...OAUTH_APP, privateKey: appKey.privateKey };
	emulator.setRunScenario(WF.text, { kind: 'text', text: '晴, 26°C' });
	emulator.setRunScenario(WF.json, { kind: 'json', data: { forecast: { city: 'Hangzhou', temp: 26 } } });
	emulator.setRunScenario(WF.fails, { kind: 'error', code: 4200, msg: 'workflow not published' });
	setUpOperations(emulator);
	const model = await startScriptedOpenAi();
	const studio = await startStudioSetup(emulator);
	const filesDir = filesFolder();
	const n8n = await N8nInstance.create(line, { extraEnv: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } }).catch(async (error: unknown) => {
		await studio.stop();
		await model.close();
		throw error;
	});
	const v = n8n.version;
	let knowledgeAudio: KnowledgeAudioSetup | undefined;
	try {
		knowledgeAudio = await startKnowledgeAudioSetup(studio, filesDir);
		await n8n.importCredentials([
			...knowledgeAudio.credentials,
			cozeCredential({ region: 'custom', baseUrl: emulator.url, accessToken: TOKEN }),
			cozeOAuthCredential(oauthData),
			studio.credential,
			model.credential,
		]);
		await n8n.importWorkflows([...workflows(), ...studio.workflows, ...operationWorkflows(filesDir), ...agentWorkflows(), ...agentsWorkflows(), ...editorWorkflows(), ...knowledgeAudio.workflows]);

		await check(line, v, {
			name: `the README's manual install (npm install n8n-nodes-coze in ~/.n8n/nodes, Node ${n8n.manualInstall?.node}) adds the package and nothing else`,
			run: async () => {
				const install = n8n.manualInstall;
				ok(install, 'the package was not installed the README way');
				// n8n brings n8n-workflow itself; installing the peer pulls isolated-vm, which cannot build on Node 20.
				deepStrictEqual(install.installed, ['n8n-nodes-coze'], install.npmOutput);
				ok(/added 1 package/.test(install.npmOutput), install.npmOutput);
				process.stdout.write(`      npm: ${install.npmOutput.split('\n').pop()} (${install.ms} ms)\n`);
			},
		});

		await check(line, v, {
			name: 'typed key/value inputs reach Coze with the Bearer token from the imported credential',
			run: async () => {
				const result = await n8n.execute('CozeE2eTyped0001');
				strictEqual(result.code, 0, result.output.slice(-2000));
				const runs = emulator.runsOf(WF.echo);
				strictEqual(runs.length, 2);
				for (const run of runs) strictEqual(run.headers.authorization, `Bearer ${TOKEN}`);
				// The two items run at once: their requests may reach Coze in either order.
				const first = runs.find((run) => JSON.stringify(run.body).includes('北京'));
				deepStrictEqual(first?.body, {
					workflow_id: WF.echo,
					parameters: { city: '北京', days: 3, metric: true, tags: ['雨', 'wind'], literal: '42' },
				});
				const items = nodeOutput(result.run, COZE_NODE);
				strictEqual(items.length, 2);
				deepStrictEqual((items[1].json.data as { parameters: unknown }).parameters, {
					city: 'Hangzhou',
					days: 0,
					metric: false,
					tags: [],
					literal: '42',
				});
				ok(String(items[0].json.debug_url).includes('execute_id='));
				ok(!result.output.includes(TOKEN), 'the token appears in n8n output');
			},
		});

		await check(line, v, {
			name: 'a text result comes out as text, a JSON result as an object, and the raw string is kept',
			run: async () => {
				const text = await n8n.execute('CozeE2eText0001');
				strictEqual(text.code, 0, text.output.slice(-2000));
				strictEqual(nodeOutput(text.run, COZE_NODE)[0].json.data, '晴, 26°C');
				strictEqual(nodeOutput(text.run, 'Result')[0].json.text, '晴, 26°C');
				const json = await n8n.execute('CozeE2eJson0001');
				strictEqual(json.code, 0, json.output.slice(-2000));
				const item = nodeOutput(json.run, COZE_NODE)[0].json;
				deepStrictEqual(item.data, { forecast: { city: 'Hangzhou', temp: 26 } });
				strictEqual(item.raw, '{"forecast":{"city":"Hangzhou","temp":26}}');
				deepStrictEqual(nodeOutput(json.run, 'Result')[0].json.data, { forecast: { city: 'Hangzhou', temp: 26 } });
			},
		});

		await check(line, v, {
			name: "a Coze failure (code 4200) stops the workflow with Coze's message",
			run: async () => {
				const result = await n8n.execute('CozeE2eFail0001');
				ok(result.code !== 0, 'n8n execute should fail');
				ok(result.output.includes('Coze could not find the workflow, or it is not published (Coze code 4200)'), result.output.slice(-2000));
				ok(!result.output.includes(TOKEN), 'the token appears in n8n output');
			},
		});

		await check(line, v, {
			name: 'a stream whose server never sends headers ends at its Timeout (5 s), though Idle Timeout is 120 s, and is not resent',
			run: async () => {
				emulator.queueFaults(WF.silent, [{ kind: 'stall' }]);
				const result = await n8n.execute('CozeE2eSilent001');
				strictEqual(result.run.status, 'error', result.output.slice(-2000));
				const coze = result.run.data.resultData.runData[COZE_NODE]?.[0];
				const took = coze?.executionTime ?? Number.NaN;
				ok(took >= 5000 && took < 8000, `the Coze node ran ${took} ms`);
				ok(String(coze?.error?.message).includes('The workflow did not finish within 5 s'), JSON.stringify(coze?.error));
				strictEqual(emulator.streamsOf(WF.silent).length, 1);
				process.stdout.write(`      the Coze node gave up after ${took} ms\n`);
			},
		});

		await check(line, v, {
			name: "a server echoing the token in its log ID header, stream events and debug URL: the token is nowhere in n8n's execution data or output",
			run: async () => {
				emulator.queueFaults(WF.echoes, [{ kind: 'echoToken' }]);
				const result = await n8n.execute('CozeE2eEchoes001');
				strictEqual(result.run.status, 'success', result.output.slice(-2000));
				const [item] = nodeOutput(result.run, COZE_NODE);
				deepStrictEqual(item.json.data, { echo: '***' });
				strictEqual(item.json.logid, '2026***');
				const stored = JSON.stringify(result.run);
				ok(!stored.includes(TOKEN), 'the token is in the stored execution');
				ok(!result.output.includes(TOKEN), "the token is in n8n's output");
			},
		});

		await check(line, v, {
			name: 'Continue On Fail keeps one item per input, in order and paired',
			run: async () => {
				const result = await n8n.execute('CozeE2eCof000001');
				strictEqual(result.code, 0, result.output.slice(-2000));
				const coze = nodeOutput(result.run, COZE_NODE);
				strictEqual(coze.length, 5);
				deepStrictEqual(
					coze.map((item) => item.pairedItem),
					[0, 1, 2, 3, 4].map((item) => ({ item })),
				);
				const rows = nodeOutput(result.run, 'Result').map((item) => item.json);
				deepStrictEqual(
					rows.map((row) => (row.row as { n: number }).n),
					[0, 1, 2, 3, 4],
				);
				for (const index of [1, 3]) ok(String(rows[index].error).includes('Coze code 4200'), JSON.stringify(rows[index]));
				for (const index of [0, 2, 4]) deepStrictEqual((rows[index].data as { parameters: unknown }).parameters, { n: index });
			},
		});

		await check(line, v, {
			name: 'the OAuth (JWT) credential gets a token once, n8n stores it for later executions, and renews a refused one',
			run: async () => {
				const runsBefore = emulator.runsOf(WF.echo).length;
				const first = await n8n.execute('CozeE2eOAuth0001');
				strictEqual(first.code, 0, first.output.slice(-2000));
				strictEqual(emulator.tokenRequests.length, 1, JSON.stringify(emulator.tokenRequests));
				const [exchange] = emulator.tokenRequests;
				ok(exchange.ok, exchange.error);
				const runs = emulator.runsOf(WF.echo).slice(runsBefore);
				deepStrictEqual(
					runs.map((run) => run.headers.authorization),
					[`Bearer ${exchange.accessToken}`, `Bearer ${exchange.accessToken}`],
				);
				deepStrictEqual(
					nodeOutput(first.run, COZE_NODE).map((item) => (item.json.data as { parameters: unknown }).parameters),
					[{ q: 'a' }, { q: 'b' }],
				);
				// `n8n execute` is a new process each time: the token can only come from n8n's database.
				const second = await n8n.execute('CozeE2eOAuth0001');
				strictEqual(second.code, 0, second.output.slice(-2000));
				strictEqual(emulator.tokenRequests.length, 1, 'a stored token should be reused');
				emulator.expireOAuthTokens();
				const third = await n8n.execute('CozeE2eOAuth0001');
				strictEqual(third.code, 0, third.output.slice(-2000));
				strictEqual(emulator.tokenRequests.length, 2, 'a refused token should be renewed once');
				const output = first.output + second.output + third.output;
				for (const secret of [exchange.accessToken ?? '', emulator.tokenRequests[1].accessToken ?? '', appKey.privateKey.split('\n')[1]]) {
					ok(!output.includes(secret), 'a token or the private key appears in n8n output');
				}
			},
		});

		// With `n8n execute`, before the server below starts (both would claim the task broker's port).
		await studioChecks(n8n, studio, emulator, async (testCase) => await check(line, v, testCase));
		await operationChecks(n8n, emulator, async (testCase) => await check(line, v, testCase));
		await diskFileChecks(n8n, emulator, async (testCase) => await check(line, v, testCase));
		await knowledgeAudioChecks(n8n, emulator, studio, knowledgeAudio, async (testCase) => await check(line, v, testCase));
		await agentChecks(n8n, emulator, model, async (testCase) => await check(line, v, testCase));
		await agentToolChecks(n8n, emulator, model, async (testCase) => await check(line, v, testCase));

		await n8n.activate('CozeE2eHook00001');
		await n8n.activate(AGENT_HOOK_WORKFLOW);
		await n8n.start();
		await check(line, v, {
			name: 'a webhook-triggered workflow answers with the Coze node output (n8n start, responseMode lastNode)',
			run: async () => {
				const deadline = Date.now() + 60_000;
				let response: Response | undefined;
				while (Date.now() < deadline) {
					response = await fetch(`${n8n.baseUrl}/webhook/coze-e2e`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ city: '上海' }),
					});
					if (response.status !== 404) break;
					await new Promise((r) => setTimeout(r, 500));
				}
				const text = (await response?.text()) ?? '';
				strictEqual(response?.status, 200, text);
				const body = JSON.parse(text) as { data: { parameters: unknown } };
				deepStrictEqual(body.data.parameters, { city: '上海' });
			},
		});

		await agentWebhookChecks(n8n, emulator, async (testCase) => await check(line, v, testCase));

		await editorEndpointChecks(n8n, async (testCase) => await check(line, v, testCase));
		await editorChecks(n8n, emulator, TOKEN, line, async (testCase) => await check(line, v, testCase));
		await cozeNodeEditorChecks(n8n, line, async (testCase) => await check(line, v, testCase));

		await check(line, v, {
			name: "the credential's Test button tells a working token from a bad one (REST /rest/credentials/test)",
			run: async () => {
				const test = (accessToken: string) =>
					n8n.testCredential(cozeCredential({ region: 'custom', baseUrl: emulator.url, accessToken }));
				deepStrictEqual(await test(TOKEN), { status: 'OK', message: 'Connection successful!' });
				const bad = await test('pat_not_valid');
				strictEqual(bad.status, 'Error');
				ok(bad.message.includes('code 4100') && bad.message.includes('only with Coze International'), bad.message);
			},
		});

		await check(line, v, {
			name: "the OAuth credential's Test button signs in with the app key and names a wrong key (REST /rest/credentials/test)",
			run: async () => {
				const test = (privateKey: string) => n8n.testCredential(cozeOAuthCredential({ ...oauthData, privateKey, accessToken: '' }));
				const exchanges = emulator.tokenRequests.length;
				deepStrictEqual(await test(appKey.privateKey), { status: 'OK', message: 'Connection successful!' });
				ok(emulator.tokenRequests.length > exchanges, 'the test did not exchange a JWT');
				const bad = await test(strangerKey.privateKey);
				strictEqual(bad.status, 'Error');
				ok(bad.message.includes('signature does not match the public key'), bad.message);
				ok(!bad.message.includes(strangerKey.privateKey.split('\n')[1]), 'the private key appears in the message');
			},
		});

		await check(line, v, {
			name: "n8n's node list describes both nodes so the editor's search finds them and keeps them under AI, and their tool variants among the agent's tools",
			run: async () => {
				const cookie = await n8n.ownerSession();
				const response = await fetch(`${n8n.baseUrl}/types/nodes.json`, { headers: { cookie, 'browser-id': BROWSER_ID } });
				strictEqual(response.status, 200);
				const types = (await response.json()) as NodeTypeEntry[];
				const ours = types.filter((type) => type.name.startsWith('n8n-nodes-coze.')).map((type) => type.name);
				deepStrictEqual(ours.sort(), ['n8n-nodes-coze.coze', 'n8n-nodes-coze.cozeTool', 'n8n-nodes-coze.cozeWorkflow', 'n8n-nodes-coze.cozeWorkflowTool']);
				const byName = (name: string) => types.find((type) => type.name === `n8n-nodes-coze.${name}`) as NodeTypeEntry;
				const [workflowNode, workflowTool, agentNode, agentTool] = [byName('cozeWorkflow'), byName('cozeWorkflowTool'), byName('coze'), byName('cozeTool')];
				strictEqual(agentNode.displayName, 'Coze');
				strictEqual(agentTool.displayName, 'Coze Tool');
				for (const [term, expected] of Object.entries(SEARCH_TERMS)) {
					for (const node of [workflowNode, agentNode].filter((entry) => expected.includes(entry.displayName))) {
						ok(foundBySearch(node, term), `search "${term}" would not find ${node.displayName}; codex: ${JSON.stringify(node.codex)}`);
					}
				}
				ok(workflowNode.codex?.categories?.includes('AI') && workflowNode.codex.subcategories?.AI?.includes('Agents'), JSON.stringify(workflowNode.codex));
				deepStrictEqual(agentNode.codex?.categories, ['AI', 'Communication']);
				ok(agentNode.codex?.subcategories?.AI?.includes('Agents'), JSON.stringify(agentNode.codex));
				// The agent's tool picker lists nodes by their ai_tool output, grouped by codex AI > Tools.
				for (const tool of [workflowTool, agentTool]) {
					deepStrictEqual(tool.outputs, ['ai_tool']);
					ok(tool.codex?.subcategories?.AI?.includes('Tools'), JSON.stringify(tool.codex));
				}
				for (const node of [workflowNode, agentNode, agentTool]) {
					process.stdout.write(`      ${node.displayName} codex: ${JSON.stringify({ categories: node.codex?.categories, subcategories: node.codex?.subcategories })}\n`);
				}
			},
		});

		await check(line, v, {
			name: `the editor's node picker (headless Chromium) finds ${Object.entries(SEARCH_TERMS)
				.map(([term, names]) => `${names.join(' and ')} for "${term}"`)
				.join(', ')}, and the AI Agent's tool picker finds Coze Tool and Coze Workflow Tool`,
			run: async () => {
				const browser = await launchChromium();
				let page = await signedInPage(browser, n8n);
				try {
					await openWorkflow(page, n8n, 'CozeE2eSearch001');
					await openNodePicker(page);
					for (const [term, expected] of Object.entries(SEARCH_TERMS)) {
						const names = await pickerResults(page, term);
						process.stdout.write(`      picker "${term}": ${JSON.stringify(names)}\n`);
						for (const name of expected) ok(names.includes(name), `searching "${term}" listed ${JSON.stringify(names)}, not "${name}"`);
					}
					// A fresh page: a picker still open from the last workflow must not answer for this one.
					await page.close();
					page = await signedInPage(browser, n8n);
					await openWorkflow(page, n8n, 'CozeE2eAgent0001');
					await openAgentToolPicker(page, AGENT_NODE_ID);
					const tools = await pickerResults(page, 'Coze');
					process.stdout.write(`      AI Agent tools "Coze": ${JSON.stringify(tools)}\n`);
					for (const name of ['Coze Tool', 'Coze Workflow Tool']) ok(tools.includes(name), `the AI Agent's tools listed ${JSON.stringify(tools)}, not "${name}"`);
				} catch (error) {
					const shot = await failureScreenshot(page, `e2e-editor-n8n${line}`);
					throw new Error(`${error instanceof Error ? error.message : String(error)}\n(what the editor showed: ${shot})`);
				} finally {
					await browser.close();
				}
			},
		});
	} finally {
		await n8n.dispose();
		await knowledgeAudio?.stop();
		await studio.stop();
		await model.close();
		await emulator.close();
	}
}

async function main(): Promise<void> {
	const lines = (process.env.E2E_LINES ?? '2,1')
		.split(',')
		.map((entry) => Number(entry.trim()))
		.filter((entry): entry is N8nLine => entry === 1 || entry === 2);
	for (const line of lines) {
		step(`e2e on the n8n ${line}.x line`);
		try {
			await runLine(line);
		} catch (error) {
			failed++;
			process.stdout.write(`  ✕ n8n ${line}.x: setting up failed\n${indent(error instanceof Error ? error.stack ?? error.message : String(error))}\n`);
		}
	}
	process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
	process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

void main();
