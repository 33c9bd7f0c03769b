/**
 * The Coze node (agents) in a real n8n: a webhook-triggered Agent → Chat that keeps its
 * conversation across two calls (`n8n start`), an n8n AI Agent that asks a Coze agent through
 * the Coze Tool (the scripted model of ./agent.ts), and the editor: the node found by searching
 * "Coze", its actions, and Agent → Chat in its panel.
 */
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { CozeEmulator } from '../test/emulator';
import { ECHO_AGENT_ID } from '../test/emulator';
import { launchChromium, openNodePicker, openWorkflow, pickerResults, signedInPage } from '../scripts/lib/editor';
import { nodeOutput, REPO_DIR, type N8nInstance, type WorkflowJson } from '../scripts/lib/n8n';
import { chain, COZE_AGENT_NODE, cozeAgentChatNode, manualTrigger } from '../scripts/lib/workflows';
import { MODEL_CHOSEN_MESSAGE, type ScriptedOpenAi } from './agent';

export const AGENT_HOOK_WORKFLOW = 'CozeE2eAgentHook';
const HOOK_PATH = 'coze-agent-e2e';
const TOOL_WORKFLOW = 'CozeE2eCozeTool1';
const EDITOR_WORKFLOW = 'CozeE2eCozeNode1';
const OPENAI_CREDENTIAL = { id: 'CozeE2eOpenAi001', name: 'Scripted OpenAI' };
const TOOL_USER = 'n8n-ai-agent';

type Check = (testCase: { name: string; run: () => Promise<void> }) => Promise<void>;

interface ChatAnswer {
	answer?: string;
	follow_ups?: string[];
	status?: string;
	conversation_id?: string;
	chat_id?: string;
}

export function agentsWorkflows(): WorkflowJson[] {
	const hook: WorkflowJson = {
		id: AGENT_HOOK_WORKFLOW,
		name: 'E2E Coze agent over a webhook',
		nodes: [
			{
				id: 'a1f6c1f0-0000-4000-8000-0000000b0001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'b7d2e1a0-0000-4000-8000-00000000a9e0',
				parameters: { httpMethod: 'POST', path: HOOK_PATH, responseMode: 'lastNode', options: {} },
			},
			cozeAgentChatNode({
				agentId: ECHO_AGENT_ID,
				userId: '={{ $json.body.user_id }}',
				message: '={{ $json.body.message }}',
				options: { conversationId: "={{ $json.body.conversation_id ?? '' }}" },
			}),
		],
		connections: chain('Webhook', COZE_AGENT_NODE),
		active: false,
		settings: { executionOrder: 'v1' },
	};
	const toolNode = cozeAgentChatNode({
		agentId: ECHO_AGENT_ID,
		userId: TOOL_USER,
		message: "={{ $fromAI('message', 'What to ask the support agent', 'string') }}",
		name: 'Coze Support',
		position: [400, 200],
		tool: true,
	});
	const tool = { ...toolNode, parameters: { ...toolNode.parameters, toolDescription: 'Asks the Coze support agent a question and returns its answer' } };
	const agent: WorkflowJson = {
		id: TOOL_WORKFLOW,
		name: 'E2E AI Agent asks a Coze agent',
		nodes: [
			manualTrigger,
			{
				id: 'a1f6c1f0-0000-4000-8000-0000000b0011',
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 1.7,
				position: [300, 0],
				parameters: { promptType: 'define', text: 'Where is my order #4711? Ask the support agent.', options: {} },
			},
			{
				id: 'a1f6c1f0-0000-4000-8000-0000000b0012',
				name: 'OpenAI Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.2,
				position: [200, 200],
				parameters: { model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' }, options: {} },
				credentials: { openAiApi: OPENAI_CREDENTIAL },
			},
			tool,
		],
		connections: {
			[manualTrigger.name]: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			'Coze Support': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
		active: false,
		settings: { executionOrder: 'v1' },
	};
	const editor: WorkflowJson = { id: EDITOR_WORKFLOW, name: 'E2E Coze node in the editor', nodes: [manualTrigger], connections: {}, active: false, settings: { executionOrder: 'v1' } };
	return [hook, agent, editor];
}

/** Runs with `n8n execute`, so before `n8n start`. */
export async function agentToolChecks(n8n: N8nInstance, emulator: CozeEmulator, model: ScriptedOpenAi, check: Check): Promise<void> {
	await check({
		name: "an AI Agent asks a Coze agent through the Coze Tool (Agent → Chat) with the message the model chose ($fromAI) and answers with the agent's answer",
		run: async () => {
			const chatsBefore = emulator.chatRequestsOf(ECHO_AGENT_ID).length;
			const modelBefore = model.requests.length;
			const result = await n8n.execute(TOOL_WORKFLOW);
			strictEqual(result.run.status, 'success', result.output.slice(-3000));
			const chats = emulator.chatRequestsOf(ECHO_AGENT_ID).slice(chatsBefore);
			strictEqual(chats.length, 1, JSON.stringify(emulator.requests.map((request) => request.path)));
			const body = chats[0].body as { user_id?: string; additional_messages?: Array<{ content?: string }> };
			strictEqual(body.user_id, TOOL_USER);
			strictEqual(body.additional_messages?.at(-1)?.content, MODEL_CHOSEN_MESSAGE);
			const requests = model.requests.slice(modelBefore);
			strictEqual(requests.length, 2);
			const tools = requests[0].tools ?? [];
			ok(tools.length === 1 && Object.keys(tools[0].function.parameters?.properties ?? {}).includes('message'), JSON.stringify(tools));
			const toolResult = String(requests[1].messages?.find((message) => message.role === 'tool')?.content);
			const expected = `Echo: ${MODEL_CHOSEN_MESSAGE} (turn 1)`;
			ok(toolResult.includes(expected), `the tool gave the model: ${toolResult.slice(0, 1000)}`);
			const output = String(nodeOutput(result.run, 'AI Agent')[0]?.json.output);
			ok(output.includes(expected), output.slice(0, 1000));
			process.stdout.write(`      tool "${tools[0].function.name}"; the model was given: ${toolResult.slice(0, 160)}…\n`);
		},
	});
}

async function postHook(n8n: N8nInstance, body: Record<string, unknown>): Promise<ChatAnswer> {
	const deadline = Date.now() + 60_000;
	let response: Response | undefined;
	while (Date.now() < deadline) {
		response = await fetch(`${n8n.baseUrl}/webhook/${HOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		if (response.status !== 404) break;
		await new Promise((r) => setTimeout(r, 500));
	}
	const text = (await response?.text()) ?? '';
	strictEqual(response?.status, 200, text);
	return JSON.parse(text) as ChatAnswer;
}

/** Needs `n8n start` with AGENT_HOOK_WORKFLOW activated. */
export async function agentWebhookChecks(n8n: N8nInstance, emulator: CozeEmulator, check: Check): Promise<void> {
	await check({
		name: 'a webhook-triggered Agent → Chat keeps its conversation across two calls (n8n start, responseMode lastNode)',
		run: async () => {
			const user = 'wa-8613800138000';
			const before = emulator.chatRequestsOf(ECHO_AGENT_ID).length;
			const first = await postHook(n8n, { user_id: user, message: 'hello' });
			strictEqual(first.answer, 'Echo: hello (turn 1)', JSON.stringify(first));
			strictEqual(first.status, 'completed');
			ok(/^\d+$/.test(first.conversation_id ?? ''), JSON.stringify(first));
			const second = await postHook(n8n, { user_id: user, message: 'and again', conversation_id: first.conversation_id });
			strictEqual(second.answer, 'Echo: and again (turn 2)', JSON.stringify(second));
			strictEqual(second.conversation_id, first.conversation_id);
			ok(second.chat_id && second.chat_id !== first.chat_id, JSON.stringify(second));
			const chats = emulator.chatRequestsOf(ECHO_AGENT_ID).slice(before);
			strictEqual(chats.length, 2);
			deepStrictEqual(
				chats.map((chat) => (chat.body as { user_id?: string }).user_id),
				[user, user],
			);
			strictEqual(chats[0].query.conversation_id, undefined, JSON.stringify(chats[0].query));
			strictEqual(chats[1].query.conversation_id, first.conversation_id, JSON.stringify(chats[1].query));
			const questions = emulator
				.conversationMessages(first.conversation_id ?? '')
				.filter((message) => message.role === 'user')
				.map((message) => message.content);
			deepStrictEqual(questions, ['hello', 'and again']);
			process.stdout.write(`      conversation ${first.conversation_id}: ${JSON.stringify([first.answer, second.answer])}\n`);
		},
	});
}

/** The Coze node in the editor (headless Chromium); needs `n8n start`. */
export async function cozeNodeEditorChecks(n8n: N8nInstance, line: number, check: Check): Promise<void> {
	await check({
		name: 'the editor (headless Chromium): add the Coze node by searching "Coze", its actions per resource (Audio and Knowledge Base among them), Agent → Chat in its panel',
		run: async () => {
			const dir = join(REPO_DIR, 'build', 'editor', `n8n${line}`);
			mkdirSync(dir, { recursive: true });
			const browser = await launchChromium();
			const page = await signedInPage(browser, n8n);
			try {
				await openWorkflow(page, n8n, EDITOR_WORKFLOW);
				await openNodePicker(page);
				const names = await pickerResults(page, 'Coze');
				ok(names.includes('Coze') && names.includes('Coze Workflow'), JSON.stringify(names));
				await page.locator('[data-test-id="node-creator-item-name"]:visible', { hasText: /^Coze$/ }).first().click();
				await page.getByText('Chat with an agent').first().waitFor({ timeout: 30_000 });
				const listed = (await page.locator('[data-test-id="node-creator-item-name"]:visible').allTextContents()).map((action) => action.trim());
				process.stdout.write(`      Coze actions: ${JSON.stringify(listed)}\n`);
				// n8n 2.x draws only the rows in view, so the last resource (Workspace) is left out here.
				const expected = ['Chat with an agent', 'Submit tool outputs to a chat', 'Turn text into speech', 'Transcribe speech to text', 'Create a conversation', 'List the messages of a conversation', 'Upload a file', 'Add a document to a knowledge base', 'List the documents of a knowledge base'];
				for (const action of expected) {
					ok(listed.includes(action), `${action} is missing from ${JSON.stringify(listed)}`);
				}
				await page.screenshot({ path: join(dir, 'coze-actions.png') });
				await page.locator('[data-test-id="node-creator-item-name"]:visible', { hasText: /^Chat with an agent$/ }).click();
				const ndv = page.locator('[data-test-id="ndv"]').first();
				await ndv.waitFor({ timeout: 30_000 });
				await page.locator('[data-test-id="resource-locator-agentId"]').first().waitFor({ timeout: 30_000 });
				const shown = async (name: string) => {
					const field = page.locator(`[data-test-id="parameter-input-${name}"]`).first();
					const value = await field.locator('input').first().inputValue().catch(() => '');
					return value || (await field.innerText()).trim();
				};
				strictEqual(await shown('resource'), 'Agent');
				strictEqual(await shown('operation'), 'Chat');
				for (const label of ['User ID', 'Message']) ok(await ndv.getByText(label, { exact: true }).first().isVisible(), `the panel shows no "${label}"`);
				await page.screenshot({ path: join(dir, 'coze-agent-chat.png') });
				process.stdout.write(`      panel: ${join(dir, 'coze-agent-chat.png')}\n`);
			} catch (error) {
				const shot = join(dir, 'coze-failure.png');
				await page.screenshot({ path: shot }).catch(() => undefined);
				throw new Error(`${error instanceof Error ? error.message : String(error)}\n(what the editor showed: ${shot})`);
			} finally {
				await browser.close();
			}
		},
	});
}
