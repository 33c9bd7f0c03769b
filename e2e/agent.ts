/**
 * n8n's AI Agent calling the Coze Workflow Tool (#15), and the Coze Tool (./agents.ts): an OpenAI
 * Chat Model whose Base URL is a small scripted OpenAI-compatible server on loopback. Its first
 * answer calls the first tool it is offered, filling each of the tool's parameters (a `message`
 * with MODEL_CHOSEN_MESSAGE, any other with MODEL_CHOSEN_CITY); its second quotes what the tool
 * returned.
 * The check proves that the emulator got the inputs the model chose ($fromAI) and that the
 * agent's answer holds the workflow's result.
 */
import { ok, strictEqual } from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { CozeEmulator } from '../test/emulator';
import { nodeOutput, type CredentialJson, type N8nInstance, type WorkflowJson } from '../scripts/lib/n8n';
import { CREDENTIAL_ID, CREDENTIAL_NAME, manualTrigger } from '../scripts/lib/workflows';

export const AGENT_WF = '7398000000000000301';
const WORKFLOW_ID = 'CozeE2eAgentTool';
const OPENAI_CREDENTIAL = { id: 'CozeE2eOpenAi001', name: 'Scripted OpenAI' };
/** What the scripted model puts into every parameter of the tool it calls, but `message`. */
export const MODEL_CHOSEN_CITY = '杭州';
/** What it puts into a parameter named `message` (the Coze Tool's question to the agent). */
export const MODEL_CHOSEN_MESSAGE = '我的订单在哪里? Where is my order #4711?';
const argumentFor = (name: string): string => (name === 'message' ? MODEL_CHOSEN_MESSAGE : MODEL_CHOSEN_CITY);

type Check = (testCase: { name: string; run: () => Promise<void> }) => Promise<void>;

interface ChatMessage {
	role: string;
	content?: string | null;
}
interface ChatRequest {
	messages?: ChatMessage[];
	tools?: Array<{ function: { name: string; parameters?: { properties?: Record<string, unknown> } } }>;
	stream?: boolean;
}

export interface ScriptedOpenAi {
	url: string;
	requests: ChatRequest[];
	credential: CredentialJson;
	close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/** The answer to one chat completion request: a tool call first, then a text quoting the tool. */
function completionFor(request: ChatRequest): Record<string, unknown> {
	const toolResult = request.messages?.find((message) => message.role === 'tool');
	const message = toolResult
		? { role: 'assistant', content: `The Coze tool answered: ${String(toolResult.content)}` }
		: (() => {
				const tool = request.tools?.[0]?.function;
				const args = Object.fromEntries(Object.keys(tool?.parameters?.properties ?? {}).map((name) => [name, argumentFor(name)]));
				return {
					role: 'assistant',
					content: null,
					tool_calls: [{ id: 'call_1', type: 'function', function: { name: tool?.name ?? 'missing_tool', arguments: JSON.stringify(args) } }],
				};
			})();
	return {
		id: `chatcmpl-${request.messages?.length ?? 0}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: 'gpt-4o-mini',
		choices: [{ index: 0, message, finish_reason: toolResult ? 'stop' : 'tool_calls' }],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

export async function startScriptedOpenAi(): Promise<ScriptedOpenAi> {
	const requests: ChatRequest[] = [];
	const server: Server = createServer((request, response) => {
		void (async () => {
			const text = await bodyOf(request);
			if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
				response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
				return;
			}
			const chat = JSON.parse(text) as ChatRequest;
			requests.push(chat);
			const completion = completionFor(chat);
			if (!chat.stream) {
				response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion));
				return;
			}
			// The same answer as one streamed chunk, for a client that asks for a stream.
			const choice = (completion.choices as Array<{ message: Record<string, unknown>; finish_reason: string }>)[0];
			const delta = { ...choice.message, tool_calls: (choice.message.tool_calls as unknown[] | undefined)?.map((call, index) => ({ index, ...(call as object) })) };
			response.writeHead(200, { 'content-type': 'text/event-stream' });
			response.write(`data: ${JSON.stringify({ ...completion, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: choice.finish_reason }] })}\n\n`);
			response.end('data: [DONE]\n\n');
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		requests,
		credential: { ...OPENAI_CREDENTIAL, type: 'openAiApi', data: { apiKey: 'sk-scripted-model', url: `${url}/v1` } },
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** Manual Trigger → AI Agent, with the scripted model and the Coze Workflow Tool, whose input the model fills. */
export function agentWorkflows(): WorkflowJson[] {
	const nodes = [
		manualTrigger,
		{
			id: 'a1f6c1f0-0000-4000-8000-0000000a0001',
			name: 'AI Agent',
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 1.7,
			position: [300, 0],
			parameters: { promptType: 'define', text: 'What is the weather in Hangzhou tomorrow? Ask the Coze workflow.', options: {} },
		},
		{
			id: 'a1f6c1f0-0000-4000-8000-0000000a0002',
			name: 'OpenAI Chat Model',
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.2,
			position: [200, 200],
			parameters: { model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' }, options: {} },
			credentials: { openAiApi: OPENAI_CREDENTIAL },
		},
		{
			id: 'a1f6c1f0-0000-4000-8000-0000000a0003',
			name: 'Coze Weather',
			type: 'n8n-nodes-coze.cozeWorkflowTool',
			typeVersion: 1,
			position: [400, 200],
			parameters: {
				toolDescription: 'Looks up the weather of a city with a Coze workflow',
				operation: 'run',
				workflowId: { __rl: true, mode: 'id', value: AGENT_WF },
				runMode: 'sync',
				inputMode: 'keyValue',
				parameters: { parameter: [{ name: 'city', value: "={{ $fromAI('city', 'The city to look up', 'string') }}" }] },
				options: {},
			},
			credentials: { cozeApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
		},
	];
	const connections = {
		[manualTrigger.name]: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
		'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
		'Coze Weather': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
	};
	return [{ id: WORKFLOW_ID, name: 'E2E AI Agent calls the Coze tool', nodes, connections, active: false, settings: { executionOrder: 'v1' } } as WorkflowJson];
}

/** Runs with `n8n execute`, so before `n8n start`. */
export async function agentChecks(n8n: N8nInstance, emulator: CozeEmulator, model: ScriptedOpenAi, check: Check): Promise<void> {
	await check({
		name: "an AI Agent calls the Coze Workflow Tool with the input the model chose ($fromAI) and answers with the workflow's result",
		run: async () => {
			emulator.setRunScenario(AGENT_WF, { kind: 'json', data: { forecast: `${MODEL_CHOSEN_CITY} 多云 22°C` } });
			const result = await n8n.execute(WORKFLOW_ID);
			strictEqual(result.run.status, 'success', result.output.slice(-3000));
			const runs = emulator.runsOf(AGENT_WF);
			strictEqual(runs.length, 1, JSON.stringify(emulator.requests.map((request) => request.path)));
			strictEqual(JSON.stringify((runs[0].body as { parameters: unknown }).parameters), JSON.stringify({ city: MODEL_CHOSEN_CITY }));
			const tools = model.requests[0]?.tools ?? [];
			ok(tools.length === 1 && Object.keys(tools[0].function.parameters?.properties ?? {}).includes('city'), JSON.stringify(tools));
			const [answer] = nodeOutput(result.run, 'AI Agent');
			const output = String(answer?.json.output);
			ok(output.includes('多云 22°C'), output);
			strictEqual(model.requests.length, 2);
		},
	});
}
