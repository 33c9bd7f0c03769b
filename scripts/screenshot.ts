/**
 * `npm run screenshot`: the Coze Workflow node's panel in a real n8n editor, captured by
 * headless Chromium (Debian's package) into docs/coze-workflow-node.png for the README.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { startCozeEmulator } from '../test/emulator';
import { launchChromium, signedInPage } from './lib/editor';
import { step } from './lib/log';
import { N8nInstance, REPO_DIR, type N8nLine } from './lib/n8n';
import { COZE_NODE, cozeCredential, rowsWorkflow } from './lib/workflows';

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
		]);
		await n8n.start();
		const page = await signedInPage(browser, n8n);
		step('opening the workflow in the editor …');
		await page.goto(`${n8n.baseUrl}/workflow/CozeDemoWorkflow`, { waitUntil: 'domcontentloaded' });
		const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${COZE_NODE}"], [data-name="${COZE_NODE}"]`).first();
		try {
			await node.waitFor({ timeout: 60_000 });
		} catch (error) {
			// What the editor showed instead (a dialog, a login page) is the quickest clue.
			await page.screenshot({ path: join(REPO_DIR, 'build', 'screenshot-failure.png') });
			throw error;
		}
		await node.dblclick();
		await page.getByText('Workflow Inputs').first().waitFor({ timeout: 30_000 });
		await page.waitForTimeout(1500);
		const out = join(REPO_DIR, 'docs');
		mkdirSync(out, { recursive: true });
		const file = join(out, 'coze-workflow-node.png');
		await page.screenshot({ path: file });
		step(`saved ${file}`);
	} finally {
		await browser.close();
		await n8n.dispose();
		await emulator.close();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`npm run screenshot failed: ${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	},
);
