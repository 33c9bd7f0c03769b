/**
 * `npm run screenshot`: the Coze Workflow node's panel in a real n8n editor, captured by
 * headless Chromium (Debian's package) into docs/coze-workflow-node.png for the README; and the
 * Coze node's panel (Agent → Chat, executed against the emulator's echo agent, its answer in the
 * output panel) into docs/coze-node.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';

import { ECHO_AGENT_ID, startCozeEmulator } from '../test/emulator';
import { launchChromium, signedInPage } from './lib/editor';
import { step } from './lib/log';
import { N8nInstance, REPO_DIR, type N8nLine } from './lib/n8n';
import { COZE_AGENT_NODE, COZE_NODE, cozeAgentChatNode, cozeCredential, linearWorkflow, rowsWorkflow } from './lib/workflows';

const AGENT_WORKFLOW = 'CozeDemoAgent001';

async function main(): Promise<void> {
	const line = (process.env.N8N_LINE === '1' ? 1 : 2) as N8nLine;
	const emulator = await startCozeEmulator({ dialect: 'cloud', validTokens: ['demo-token'] });
	const n8n = await N8nInstance.create(line);
	const browser = await launchChromium();
	try {
		await n8n.importCredentials([cozeCredential({ region: 'custom', baseUrl: emulator.url, accessToken: 'demo-token' })]);
		await n8n.importWorkflows([
			rowsWorkflow('CozeDemoWorkflow', 'Coze demo: one run per city', [{ city: '北京' }, { city: 'Hangzhou' }], {
				workflowId: '7398123456789012345',
				inputs: [{ name: 'city', value: '={{ $json.city }}' }],
			}),
			linearWorkflow(AGENT_WORKFLOW, 'Coze demo: ask the support agent', [
				cozeAgentChatNode({ agentId: ECHO_AGENT_ID, userId: 'customer-8613800138000', message: 'Where is my order #4711? 我的订单在哪里？' }),
			]),
		]);
		await n8n.start();
		const page = await signedInPage(browser, n8n);
		step('opening the workflow in the editor …');
		await openNode(page, `${n8n.baseUrl}/workflow/CozeDemoWorkflow`, COZE_NODE);
		await page.getByText('Workflow Inputs').first().waitFor({ timeout: 30_000 });
		await page.waitForTimeout(1500);
		const out = join(REPO_DIR, 'docs');
		mkdirSync(out, { recursive: true });
		const file = join(out, 'coze-workflow-node.png');
		await page.screenshot({ path: file });
		step(`saved ${file}`);

		step('opening the Coze node (Agent → Chat) and executing it …');
		await openNode(page, `${n8n.baseUrl}/workflow/${AGENT_WORKFLOW}`, COZE_AGENT_NODE);
		await page.locator('[data-test-id="node-execute-button"]').first().click();
		const output = page.locator('[data-test-id="output-panel"]');
		await output.getByText('Echo: Where is my order').first().waitFor({ timeout: 60_000 });
		// The JSON view shows the whole answer on one line, where the table squeezes it into a column.
		await output.getByText('JSON', { exact: true }).first().click();
		await output.getByText('"conversation_id"').first().waitFor({ timeout: 30_000 });
		await page.locator('.el-notification .el-notification__closeBtn').first().click().catch(() => undefined);
		await page.waitForTimeout(1500);
		const agentFile = join(out, 'coze-node.png');
		await page.screenshot({ path: agentFile });
		step(`saved ${agentFile}`);
	} finally {
		await browser.close();
		await n8n.dispose();
		await emulator.close();
	}
}

/** Opens a workflow and the panel of one of its nodes. */
async function openNode(page: Page, url: string, name: string): Promise<void> {
	await page.goto(url, { waitUntil: 'domcontentloaded' });
	const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"], [data-name="${name}"]`).first();
	try {
		await node.waitFor({ timeout: 60_000 });
	} catch (error) {
		// What the editor showed instead (a dialog, a login page) is the quickest clue.
		await page.screenshot({ path: join(REPO_DIR, 'build', 'screenshot-failure.png') });
		throw error;
	}
	await node.dblclick();
	await page.locator('[data-test-id="ndv"]').first().waitFor({ timeout: 30_000 });
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`npm run screenshot failed: ${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	},
);
