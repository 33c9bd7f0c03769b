/**
 * `npm run screenshot`: the Coze Workflow node's panel in a real n8n editor, captured by
 * headless Chromium (Debian's package) into docs/coze-workflow-node.png for the README.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { startCozeEmulator } from '../test/emulator';
import { step } from './lib/log';
import { N8nInstance, OWNER, REPO_DIR, type N8nLine } from './lib/n8n';
import { COZE_NODE, cozeCredential, rowsWorkflow } from './lib/workflows';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function main(): Promise<void> {
	if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
	const line = (process.env.N8N_LINE === '1' ? 1 : 2) as N8nLine;
	const emulator = await startCozeEmulator({ dialect: 'cloud', validTokens: ['demo-token'] });
	const n8n = await N8nInstance.create(line);
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	try {
		await n8n.importCredentials([cozeCredential({ region: 'custom', baseUrl: emulator.url, accessToken: 'demo-token' })]);
		await n8n.importWorkflows([
			rowsWorkflow('CozeDemoWorkflow', 'Coze demo: weather per city', [{ city: '北京' }, { city: 'Hangzhou' }], {
				workflowId: '7398123456789012345',
				inputs: [{ name: 'city', value: '={{ $json.city }}' }],
			}),
		]);
		await n8n.start();
		await n8n.ownerSession();
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
		const page = await context.newPage();
		// Signing in through the form: n8n ties its session cookie to the browser ID the editor
		// keeps in local storage, so a cookie made elsewhere is not accepted.
		step('signing in to the editor …');
		await page.goto(`${n8n.baseUrl}/signin`, { waitUntil: 'domcontentloaded' });
		await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(OWNER.email);
		await page.locator('input[type="password"]').first().fill(OWNER.password);
		await page.getByRole('button', { name: /sign in/i }).click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
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
