/**
 * What a user sees and does in the n8n editor, in headless Chromium (#15): add the node by
 * searching "Coze", read its actions, pick a workflow From List with a search, map its inputs,
 * execute the step and read the output panel; and the notice Map Each Input shows for a
 * workflow that does not exist. Each step leaves a screenshot in build/editor/.
 */
import { deepStrictEqual, ok } from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';

import type { CozeEmulator } from '../test/emulator';
import { SCHEMA_WORKFLOW_ID } from '../test/emulator';
import { launchChromium, openNodePicker, openWorkflow, pickerResults, signedInPage } from '../scripts/lib/editor';
import { REPO_DIR, type N8nInstance, type WorkflowJson } from '../scripts/lib/n8n';
import { manualTrigger } from '../scripts/lib/workflows';

const WORKFLOW_ID = 'CozeE2eJourney01';

type Check = (testCase: { name: string; run: () => Promise<void> }) => Promise<void>;

export function editorWorkflows(): WorkflowJson[] {
	return [{ id: WORKFLOW_ID, name: 'E2E editor journey', active: false, nodes: [manualTrigger], connections: {}, settings: { executionOrder: 'v1' } } as WorkflowJson];
}

/** The data-test-ids on the page, for a failure's report: what the editor offered instead. */
async function testIdsOf(page: Page): Promise<string[]> {
	return await page.evaluate(() => [...new Set(Array.from(document.querySelectorAll('[data-test-id]')).map((element) => element.getAttribute('data-test-id') ?? ''))]);
}

export async function editorChecks(n8n: N8nInstance, emulator: CozeEmulator, token: string, line: number, check: Check): Promise<void> {
	const dir = join(REPO_DIR, 'build', 'editor', `n8n${line}`);
	mkdirSync(dir, { recursive: true });
	const shots: string[] = [];
	await check({
		name: 'the editor (headless Chromium): add the node by searching "Coze", its four actions, a new credential tested on Save, a workflow From List by search, Map Each Input with the required inputs, execute, the output panel, the notice for an unknown workflow',
		run: async () => {
			const browser = await launchChromium();
			const page = await signedInPage(browser, n8n);
			// Each step's screenshot, taken once the step has passed its assertions.
			const shot = async (name: string) => {
				const file = join(dir, `${String(shots.length + 1).padStart(2, '0')}-${name}.png`);
				await page.screenshot({ path: file });
				shots.push(file);
				if (name !== 'failure') process.stdout.write(`      ✓ ${name}: ${file}\n`);
			};
			try {
				await openWorkflow(page, n8n, WORKFLOW_ID);
				await openNodePicker(page);
				const names = await pickerResults(page, 'Coze');
				ok(names.includes('Coze Workflow'), JSON.stringify(names));
				await shot('picker-search-coze');
				await page.locator('[data-test-id="node-creator-item-name"]:visible', { hasText: /^Coze Workflow$/ }).first().click();
				const actions = await page.locator('[data-test-id="node-creator-item-name"]:visible').allTextContents();
				// Four operations; "Async", "Stream" and "Wait For Result" were listed too while Run's
				// Mode parameter was named `mode`.
				const listed = actions.map((action) => action.trim());
				for (const action of ['Chat with a chatflow', 'Get the result of a run', 'Resume a paused run', 'Run a workflow']) ok(listed.includes(action), JSON.stringify(listed));
				for (const mode of ['Async', 'Stream', 'Wait For Result', 'Wait for Result']) ok(!listed.includes(mode), JSON.stringify(listed));
				ok(await page.getByText('Actions (4)').first().isVisible(), 'the panel does not say "Actions (4)"');
				await shot('actions');
				await page.locator('[data-test-id="node-creator-item-name"]:visible', { hasText: /^Run a workflow$/ }).click();
				await page.locator('[data-test-id="ndv"]').first().waitFor({ timeout: 30_000 });
				await page.waitForTimeout(1500);
				await shot('node-panel');
				// A new credential, as a user makes one: its Save tests it.
				await page.locator('[data-test-id="node-credentials-select"]').click();
				await page.locator('[data-test-id="node-credentials-select-item-new"]').click();
				const modal = page.locator('[data-test-id="editCredential-modal"]');
				await modal.waitFor({ timeout: 30_000 });
				// n8n 2.x offers both of the node's credential types in the dialog and may start on the
				// one used last (OAuth, after the e2e's OAuth check): pick Access Token.
				const mode = modal.locator('[data-test-id="credential-mode-dropdown-trigger"]');
				if ((await mode.count()) > 0 && !((await mode.innerText()) ?? '').includes('Access Token')) {
					await mode.click();
					await page.getByText('Access Token', { exact: true }).last().click();
				}
				await modal.locator('[data-test-id="parameter-input-accessToken"]').waitFor({ timeout: 30_000 });
				await modal.locator('[data-test-id="parameter-input-region"]').click();
				await page.getByRole('option', { name: 'Custom Coze Cloud Endpoint' }).click();
				await modal.locator('[data-test-id="parameter-input-baseUrl"] input').fill(emulator.url);
				await modal.locator('[data-test-id="parameter-input-accessToken"] input').fill(token);
				await shot('credential-filled');
				await modal.locator('[data-test-id="credential-save-button"]').click();
				// Saving tests the credential: n8n 1.x then says "Connection tested successfully" in
				// the dialog, n8n 2.x closes the dialog when the test passes (and keeps it open if not).
				const success = modal.locator('[data-test-id="credentials-config-container-test-success"]');
				await Promise.race([success.waitFor({ timeout: 30_000 }), modal.waitFor({ state: 'hidden', timeout: 30_000 })]);
				ok(emulator.requests.some((request) => request.path === '/v1/workspaces' && request.headers.authorization === `Bearer ${token}`), 'the Test did not reach Coze with the token');
				if (await modal.isVisible()) {
					ok(await success.isVisible(), 'the credential test did not pass');
					await page.keyboard.press('Escape');
					await modal.waitFor({ state: 'hidden', timeout: 30_000 });
				}
				const slot = page.locator('[data-test-id="node-credentials-select"]').first();
				const chosen = `${await slot.innerText()} ${await slot.locator('input').first().inputValue().catch(() => '')}`;
				ok(chosen.includes('Coze account'), `the node did not take the new credential: ${chosen}`);
				await shot('credential-saved');
				await page.locator('[data-test-id="resource-locator-workflowId"] [data-test-id="rlc-input"]').click();
				const visibleRows = page.locator('[data-test-id="rlc-item"]:visible');
				// Typed while the unfiltered list is still loading, n8n 1.x drops the search (CI saw the
				// text in the box and the full list under it): type once the list is there.
				await visibleRows.first().waitFor({ timeout: 30_000 });
				const searchBox = page.locator('[data-test-id="rlc-search"] input, input[data-test-id="rlc-search"]').first();
				await searchBox.fill('全类型');
				const item = page.locator('[data-test-id="rlc-item"]', { hasText: 'All input types 全类型输入' });
				await item.waitFor({ timeout: 30_000 });
				// The unfiltered list already holds this workflow, so its row shows before the search
				// answer replaces the list: wait (up to 30 s) for the list to narrow, typing again
				// every 5 s in case the editor dropped the search.
				const narrowedBy = Date.now() + 30_000;
				let retypeAt = Date.now() + 5_000;
				let found = await visibleRows.allTextContents();
				while (found.length !== 1 && Date.now() < narrowedBy) {
					await page.waitForTimeout(250);
					if (Date.now() >= retypeAt) {
						await searchBox.fill('');
						await searchBox.pressSequentially('全类型');
						retypeAt = Date.now() + 5_000;
					}
					found = await visibleRows.allTextContents();
				}
				ok(found.length === 1, `searching "全类型" listed ${JSON.stringify(found)}`);
				await shot('workflow-search');
				await item.click();
				await page.locator('[data-test-id="parameter-input-inputMode"]').click();
				await page.getByRole('option', { name: /Map Each Input/ }).click();
				const field = (name: string) => page.locator(`[data-test-id='value["${name}"]-parameter-input-options-container']`);
				await field('text').waitFor({ timeout: 30_000 });
				await shot('map-each-input');
				const input = (name: string) => page.locator(`[title='Parameter: "inputsSchema.value["${name}"]"']`).first();
				await input('text').fill('你好 n8n');
				await input('image').fill('https://example.com/cat.png');
				await page.locator('[data-test-id="node-execute-button"]').first().click();
				const output = page.locator('[data-test-id="output-panel"]');
				await output.getByText('你好 n8n').first().waitFor({ timeout: 60_000 });
				await shot('output');
				const sent = emulator.runsOf(SCHEMA_WORKFLOW_ID).at(-1)?.body as { parameters?: Record<string, unknown> } | undefined;
				// Only what the user set: the optional inputs (a boolean among them) stay out until added.
				deepStrictEqual(sent?.parameters, { text: '你好 n8n', image: 'https://example.com/cat.png' });
				// A workflow that does not exist: Map Each Input says so in place of its fields.
				await page.locator('[data-test-id="resource-locator-workflowId"] [data-test-id="rlc-mode-selector"]').click();
				await page.getByRole('option', { name: /By ID/ }).click();
				await page.locator('[data-test-id="resource-locator-workflowId"] [data-test-id="rlc-input"]').fill('7398000000000000999');
				await page.keyboard.press('Tab');
				await page.getByText('Coze could not find the workflow, or it is not published (Coze code 4200)').first().waitFor({ timeout: 30_000 });
				await shot('unknown-workflow');
			} catch (error) {
				await shot('failure').catch(() => undefined);
				writeFileSync(join(dir, 'test-ids.json'), JSON.stringify(await testIdsOf(page).catch(() => []), null, 1));
				throw new Error(`${error instanceof Error ? error.message : String(error)}\n(screenshots: ${shots.join(', ')})`);
			} finally {
				await browser.close();
			}
		},
	});
}
