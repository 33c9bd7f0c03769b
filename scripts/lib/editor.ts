/**
 * The n8n editor in headless Chromium (Debian's package, driven by playwright-core), signed in
 * as the owner: what a user sees, for the e2e checks and `npm run screenshot`.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';

import { step } from './log';
import { OWNER, REPO_DIR, type N8nInstance } from './n8n';

/** Installs Debian's Chromium if it is missing (scripts/ensure-chromium.sh) and returns its path. */
export function chromiumPath(): string {
	return execFileSync('bash', [join(REPO_DIR, 'scripts', 'ensure-chromium.sh')], { stdio: ['ignore', 'pipe', 'inherit'] })
		.toString()
		.trim();
}

export function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath: chromiumPath(),
		// Without the background-networking flags Chromium keeps dialling Google's hosts, which this
		// machine's closed network refuses.
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
}

/**
 * A page signed in through the editor's own form: n8n ties its session cookie to the browser ID
 * the editor keeps in local storage, so a cookie made elsewhere is not accepted.
 */
export async function signedInPage(browser: Browser, n8n: N8nInstance): Promise<Page> {
	await n8n.ownerSession();
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
	const page = await context.newPage();
	step(`n8n ${n8n.version}: signing in to the editor …`);
	await page.goto(`${n8n.baseUrl}/signin`, { waitUntil: 'domcontentloaded' });
	await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(OWNER.email);
	await page.locator('input[type="password"]').first().fill(OWNER.password);
	await page.getByRole('button', { name: /sign in/i }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
	return page;
}

export async function openWorkflow(page: Page, n8n: N8nInstance, workflowId: string): Promise<void> {
	await page.goto(`${n8n.baseUrl}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
}

/** The names the open node picker lists for a search term, top to bottom. */
export async function pickerResults(page: Page, term: string): Promise<string[]> {
	const search = page.locator('input[data-test-id="node-creator-search-bar"], [data-test-id="node-creator-search-bar"] input').first();
	await search.waitFor({ timeout: 30_000 });
	await search.fill(term);
	// The list re-renders as the term changes: wait until it has settled on this term's results.
	let last = '';
	for (let stable = 0, tries = 0; stable < 3 && tries < 40; tries++) {
		await page.waitForTimeout(150);
		const names = await page.locator('[data-test-id="node-creator-item-name"]:visible').allTextContents();
		const now = JSON.stringify(names.map((name) => name.trim()));
		stable = now === last ? stable + 1 : 0;
		last = now;
	}
	return JSON.parse(last) as string[];
}

/** Opens the node picker the way the canvas's "+" button does (the regular, non-AI view). */
export async function openNodePicker(page: Page): Promise<void> {
	await page.locator('[data-test-id="node-creator-plus-button"]').click();
	await page.locator('[data-test-id="node-creator"]').waitFor({ timeout: 30_000 });
}

/**
 * Opens the AI Agent's tool picker: the "+" under the agent's Tool connector. Clicked while the
 * editor is still settling, the same "+" sometimes opens "Other AI Nodes" instead (seen on 2.41.1):
 * close it and click again until the picker says "Tools".
 */
export async function openAgentToolPicker(page: Page, agentNodeId: string): Promise<void> {
	const plus = page.locator(`[data-nodeid="${agentNodeId}"][data-handleid="inputs/ai_tool/0"] [data-test-id="canvas-handle-plus"]`).first();
	const header = page.locator('[data-test-id="nodes-list-header"]:visible').first();
	let seen = '';
	for (let attempt = 0; attempt < 5; attempt++) {
		await plus.click();
		await header.waitFor({ timeout: 30_000 });
		for (let poll = 0; poll < 20; poll++) {
			seen = (await header.textContent())?.trim() ?? '';
			if (seen.startsWith('Tools')) return;
			await page.waitForTimeout(250);
		}
		await page.keyboard.press('Escape');
		await page.locator('[data-test-id="node-creator"]').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
		await page.waitForTimeout(1000);
	}
	throw new Error(`the AI Agent's Tool "+" opened "${seen}", not the tool picker`);
}

export async function failureScreenshot(page: Page, name: string): Promise<string> {
	const file = join(REPO_DIR, 'build', `${name}.png`);
	await page.screenshot({ path: file }).catch(() => undefined);
	return file;
}
