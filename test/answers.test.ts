/**
 * Answers that are not what Coze itself sends, but what a gateway, proxy or broken server in
 * front of it does: each must come out as the right error, never as an empty success.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { Dialect } from './emulator';
import { capturedLogs, runCozeNode } from './harness/engine';
import { useEmulators } from './harness/emulators';

const TOKEN = 'pat_answers_secret_token_0123456789';
const WF = '7398123456789012399';
const emulators = useEmulators(TOKEN);

const parameters: INodeParameters = {
	operation: 'run',
	workflowId: { __rl: true, mode: 'id', value: WF },
	inputMode: 'keyValue',
	parameters: { parameter: [{ name: 'city', value: 'Beijing' }] },
	options: {},
};

async function runAgainst(dialect: Dialect, status: number, body: string, contentType = 'application/json') {
	emulators[dialect].setRunScenario(WF, { kind: 'verbatim', status, body, contentType });
	const outcome = await runCozeNode({
		items: [{ json: {} }],
		parameters,
		credentials: { region: dialect === 'studio' ? 'studio' : 'custom', baseUrl: emulators[dialect].url, accessToken: TOKEN },
	});
	expect(JSON.stringify(outcome.run)).not.toContain(TOKEN);
	return outcome;
}

describe.each<Dialect>(['cloud', 'studio'])('odd answers from the %s address', (dialect) => {
	it('reads a code sent as a string ("4100") as the number', async () => {
		const outcome = await runAgainst(dialect, 200, '{"code":"4100","msg":"token expired"}');
		expect(outcome.status).toBe('error');
		expect(outcome.error?.message).toBe('Coze rejected the access token (Coze code 4100)');
		expect(outcome.error?.description).toContain('Coze says: token expired');
	});

	it('calls an answer with neither a code nor data a failure, quoting its message', async () => {
		const outcome = await runAgainst(dialect, 200, '{"msg":"internal error"}');
		expect(outcome.status).toBe('error');
		expect(outcome.error?.message).toBe('Coze answered with neither a result nor an error code');
		expect(outcome.error?.description).toContain('Coze says: internal error');
		expect(outcome.error?.description).toContain('not resent automatically');
		expect(emulators[dialect].runsOf(WF)).toHaveLength(1);
	});

	it.each([
		[401, '', 'Coze rejected the access token (HTTP 401)'],
		[401, 'Unauthorized', 'Coze rejected the access token (HTTP 401)'],
		[403, 'Forbidden', 'The access token lacks the permission for this (HTTP 403)'],
		[404, '404 page not found', 'No Coze API answered at this address (HTTP 404)'],
	])('explains HTTP %s with the body %j as it explains the JSON one', async (status, body, message) => {
		const outcome = await runAgainst(dialect, status, body, 'text/plain; charset=utf-8');
		expect(outcome.status).toBe('error');
		expect(outcome.error?.message).toBe(message);
		if (body) expect(outcome.error?.description).toContain(`Coze says: ${body}`);
		expect(emulators[dialect].runsOf(WF)).toHaveLength(1);
	});

	it('still succeeds on an answer whose code is "0"', async () => {
		const outcome = await runAgainst(dialect, 200, '{"code":"0","msg":"","data":"{\\"ok\\":true}"}');
		expect(outcome.status).toBe('success');
		expect(outcome.output[0]?.json.data).toEqual({ ok: true });
	});
});

describe('answers too big or too deep for an error or for n8n', () => {
	it('quotes at most 2 000 characters of a 20 MB msg, in the description, the details and the log', async () => {
		// 20 MB of UTF-8, Coze's own cap: within the default Max Answer Size.
		const msg = '错'.repeat(7 * 1024 * 1024);
		const before = capturedLogs.length;
		const outcome = await runAgainst('cloud', 200, JSON.stringify({ code: 4000, msg }));
		expect(outcome.error?.message).toBe('Coze rejected the request parameters (Coze code 4000)');
		expect(outcome.error?.description).toContain(`… (${msg.length - 2000} more characters left out)`);
		expect(String(outcome.error?.description).length).toBeLessThan(3000);
		expect(JSON.stringify(outcome.run).length).toBeLessThan(100_000);
		expect(capturedLogs.slice(before).join('\n').length).toBeLessThan(100_000);
	});

	it('refuses a result nested deeper than n8n can store, instead of crashing n8n when it saves the run', async () => {
		const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
		const outcome = await runAgainst('cloud', 200, JSON.stringify({ code: 0, msg: '', data: deep }));
		expect(outcome.status).toBe('error');
		expect(outcome.error?.message).toContain("Coze's answer is nested more than 500 levels deep");
		expect(outcome.error?.description).toContain('Flatten the output');
	});

	it('still returns a result nested a sane depth', async () => {
		const nested = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
		const outcome = await runAgainst('cloud', 200, JSON.stringify({ code: 0, msg: '', data: nested }));
		expect(outcome.status).toBe('success');
		expect(JSON.stringify(outcome.output[0].json.data)).toBe(nested);
	});
});
