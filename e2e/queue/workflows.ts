/**
 * The queue test's workflows: Webhook (POST, answers with every item of the last node) → Split
 * Out (`body.rows`) → Coze Workflow (sync, Max Concurrent Runs 5), each row's `request_id` and
 * the n8n execution id sent to Coze as inputs, so the emulator can count every item's runs and
 * tell which execution sent it.
 */
import type { WorkflowJson } from '../../scripts/lib/n8n';
import { chain, COZE_NODE, cozeNode, splitOutNode } from '../../scripts/lib/workflows';

export const MAX_CONCURRENT_RUNS = 5;

export const QUEUE_WORKFLOWS = {
	pat: { id: 'CozeQueuePat0001', path: 'coze-queue-pat', cozeWorkflowId: '7398000000000000701' },
	oauth: { id: 'CozeQueueOAuth01', path: 'coze-queue-oauth', cozeWorkflowId: '7398000000000000702' },
} as const;

export type QueueWorkflow = (typeof QUEUE_WORKFLOWS)[keyof typeof QUEUE_WORKFLOWS];

export function queueWebhookWorkflow(workflow: QueueWorkflow, oauth: boolean): WorkflowJson {
	return {
		id: workflow.id,
		name: `Coze in queue mode (${oauth ? 'OAuth JWT' : 'access token'})`,
		nodes: [
			{
				id: 'a1f6c1f0-0000-4000-8000-0000000a0001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `b7d2e1a0-0000-4000-8000-0000000a000${oauth ? 2 : 1}`,
				parameters: { httpMethod: 'POST', path: workflow.path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			},
			splitOutNode('a1f6c1f0-0000-4000-8000-0000000a0002', 'Rows', 'body.rows', [220, 0]),
			cozeNode({
				workflowId: workflow.cozeWorkflowId,
				inputs: [
					{ name: 'request_id', value: '={{ $json.request_id }}' },
					{ name: 'exec', value: '={{ $execution.id }}' },
				],
				options: { maxConcurrency: MAX_CONCURRENT_RUNS },
				oauth,
				position: [440, 0],
			}),
		],
		connections: chain('Webhook', 'Rows', COZE_NODE),
		active: false,
		settings: { executionOrder: 'v1' },
	};
}
