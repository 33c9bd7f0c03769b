/**
 * The Run operation inside n8n's execution engine, against the Coze emulator over real HTTP,
 * in both dialects: Coze cloud (through a custom base URL, as for a proxy) and Coze Studio.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Dialect } from './emulator';
import type { CozeCredentials, CozeRunOutcome } from './harness/engine';
import { capturedLogs, runCozeNode } from './harness/engine';
import { useEmulators } from './harness/emulators';

const TOKEN = 'pat_secret_TOKEN_do_not_leak_0123456789';
const WF = '7398123456789012345';

const emulators = useEmulators(TOKEN);

function credentialsFor(dialect: Dialect, accessToken = TOKEN): CozeCredentials {
	return { region: dialect === 'studio' ? 'studio' : 'custom', baseUrl: `${emulators[dialect].url}/`, accessToken };
}

function runParameters(overrides: INodeParameters = {}): INodeParameters {
	return {
		operation: 'run',
		workflowId: { __rl: true, mode: 'id', value: WF },
		inputMode: 'keyValue',
		parameters: { parameter: [{ name: 'city', value: '={{ $json.city }}' }] },
		options: {},
		...overrides,
	};
}

async function run(
	dialect: Dialect,
	parameters: INodeParameters,
	items: Array<Record<string, unknown>> = [{ city: 'Beijing' }],
	extra: { continueOnFail?: boolean; accessToken?: string } = {},
): Promise<CozeRunOutcome> {
	const outcome = await runCozeNode({
		items: items as never,
		parameters,
		credentials: credentialsFor(dialect, extra.accessToken),
		continueOnFail: extra.continueOnFail,
	});
	assertTokenAbsent(outcome);
	return outcome;
}

/** Every run is checked: the token must not reach outputs, errors or n8n's log. */
function assertTokenAbsent(outcome: CozeRunOutcome) {
	const everything = [
		JSON.stringify(outcome.run),
		JSON.stringify(outcome.error ?? null),
		inspect(outcome.error, { depth: 8 }),
		outcome.error?.description ?? '',
		capturedLogs.join('\n'),
	].join('\n');
	expect(everything).not.toContain(TOKEN);
}

describe.each<Dialect>(['cloud', 'studio'])('Run against the %s dialect', (dialect) => {
	it('sends typed inputs with the Bearer token and returns parsed data, raw string, debug_url, execute_id and logid', async () => {
		const outcome = await run(
			dialect,
			runParameters({
				parameters: {
					parameter: [
						{ name: 'city', value: '={{ $json.city }}' },
						{ name: 'days', value: '={{ $json.days }}' },
						{ name: 'metric', value: '={{ $json.metric }}' },
						{ name: 'tags', value: '={{ $json.tags }}' },
						{ name: 'filters', value: '={{ $json.filters }}' },
						{ name: 'literal', value: '42' },
					],
				},
			}),
			[
				{ city: '北京', days: 3, metric: true, tags: ['雨', 'wind'], filters: { min: 1.5 } },
				{ city: 'Hangzhou', days: 0, metric: false, tags: [], filters: {} },
			],
		);

		expect(outcome.status).toBe('success');
		expect(outcome.output).toHaveLength(2);
		const runs = emulators[dialect].runsOf(WF);
		expect(runs).toHaveLength(2);
		expect(runs[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(runs[0].body).toEqual({
			workflow_id: WF,
			parameters: { city: '北京', days: 3, metric: true, tags: ['雨', 'wind'], filters: { min: 1.5 }, literal: '42' },
		});

		const [first, second] = outcome.output;
		expect(first.pairedItem).toEqual({ item: 0 });
		expect(second.pairedItem).toEqual({ item: 1 });
		const data = first.json.data as Record<string, unknown>;
		expect(data.parameters).toEqual({
			city: '北京',
			days: 3,
			metric: true,
			tags: ['雨', 'wind'],
			filters: { min: 1.5 },
			literal: '42',
		});
		expect(typeof first.json.raw).toBe('string');
		expect(JSON.parse(first.json.raw as string)).toEqual(data);
		expect(first.json.debug_url).toMatch(/work_flow\?execute_id=\d{19}/);
		expect(first.json.execute_id).toMatch(/^\d{19}$/);
		expect(first.json.debug_url).toContain(`execute_id=${first.json.execute_id}`);
		expect(typeof first.json.logid).toBe('string');
		expect((first.json.logid as string).length).toBeGreaterThan(8);
		expect((second.json.data as Record<string, unknown>).parameters).toMatchObject({ city: 'Hangzhou', days: 0 });
	});

	it('returns JSON results, plain text, and unwraps text-mode results unless told not to', async () => {
		emulators[dialect].setRunScenario(WF, { kind: 'json', data: { output: '杭州 多云', temp: 26 } });
		let outcome = await run(dialect, runParameters());
		expect(outcome.output[0].json.data).toEqual({ output: '杭州 多云', temp: 26 });
		expect(outcome.output[0].json.raw).toBe('{"output":"杭州 多云","temp":26}');

		emulators[dialect].setRunScenario(WF, { kind: 'rawData', data: 'Beijing is at 116.4074E, 39.9042N' });
		outcome = await run(dialect, runParameters());
		expect(outcome.output[0].json.data).toBe('Beijing is at 116.4074E, 39.9042N');
		expect(outcome.output[0].json.raw).toBe('Beijing is at 116.4074E, 39.9042N');

		emulators[dialect].setRunScenario(WF, { kind: 'text', text: '你好, George' });
		outcome = await run(dialect, runParameters());
		expect(outcome.output[0].json.data).toBe('你好, George');
		// Coze cloud wraps a text End node's text; Coze Studio answers the text itself (coze-api.md §9.5).
		const wrapper = { content_type: 1, data: '你好, George', type_for_model: 2 };
		if (dialect === 'studio') expect(outcome.output[0].json.raw).toBe('你好, George');
		else expect(JSON.parse(outcome.output[0].json.raw as string)).toEqual(wrapper);

		outcome = await run(dialect, runParameters({ options: { unwrapText: false } }));
		expect(outcome.output[0].json.data).toEqual(dialect === 'studio' ? '你好, George' : wrapper);
	});

	it('takes inputs as a JSON object, keeping 19-digit numbers exact', async () => {
		const outcome = await run(
			dialect,
			runParameters({
				inputMode: 'json',
				parametersJson: '={{ JSON.stringify({ city: $json.city }).slice(0, -1) + \', "order_id": 7398123456789012345}\' }}',
			}),
			[{ city: '上海' }],
		);
		expect(outcome.status).toBe('success');
		expect(emulators[dialect].runsOf(WF)[0].body).toMatchObject({
			parameters: { city: '上海', order_id: '7398123456789012345' },
		});
	});

	it('finds the workflow ID in an editor URL', async () => {
		const outcome = await run(
			dialect,
			runParameters({
				workflowId: {
					__rl: true,
					mode: 'url',
					value: `https://www.coze.cn/work_flow?space_id=7361424235321600000&workflow_id=${WF}`,
				},
			}),
		);
		expect(outcome.status).toBe('success');
		expect(emulators[dialect].runsOf(WF)).toHaveLength(1);
	});

	it('sends the options Coze knows, ext values as strings', async () => {
		const outcome = await run(
			dialect,
			runParameters({
				options: {
					botId: '7400000000000000001',
					connectorId: '1024',
					workflowVersion: 'v0.0.5',
					ext: { values: { user_id: 'user-42', latitude: '={{ 39.9042 }}', longitude: '116.4074' } },
				},
			}),
		);
		expect(outcome.status).toBe('success');
		expect(emulators[dialect].runsOf(WF)[0].body).toEqual({
			workflow_id: WF,
			parameters: { city: 'Beijing' },
			bot_id: '7400000000000000001',
			connector_id: '1024',
			workflow_version: 'v0.0.5',
			ext: { user_id: 'user-42', latitude: '39.9042', longitude: '116.4074' },
		});
	});

	it('refuses Bot ID together with App ID before sending anything', async () => {
		const outcome = await run(
			dialect,
			runParameters({ options: { botId: '7400000000000000001', appId: '7400000000000000002' } }),
		);
		expect(outcome.status).toBe('error');
		expect(outcome.error?.message).toBe('Bot ID and App ID cannot both be set');
		expect(outcome.error?.context?.itemIndex).toBe(0);
		expect(emulators[dialect].requests).toHaveLength(0);
	});

	it('rejects a bad token with a hint about the region', async () => {
		const outcome = await run(dialect, runParameters(), undefined, { accessToken: 'pat_wrong' });
		expect(outcome.status).toBe('error');
		if (dialect === 'cloud') {
			expect(outcome.error?.message).toBe('Coze rejected the access token (Coze code 4100)');
			expect(outcome.error?.description).toContain('www.coze.com only with "Coze International"');
		} else {
			expect(outcome.error?.message).toBe('Coze Studio rejected the API key (Coze code 700012006)');
			expect(outcome.error?.description).toContain('Coze says: authentication failed');
		}
	});

	it('explains an unpublished workflow', async () => {
		emulators[dialect].setRunScenario(WF, { kind: 'unpublished' });
		const outcome = await run(dialect, runParameters());
		expect(outcome.status).toBe('error');
		expect(outcome.error?.message).toBe(
			dialect === 'cloud'
				? 'Coze could not find the workflow, or it is not published (Coze code 4200)'
				: 'The workflow is not published in Coze Studio (Coze code 6031)',
		);
		expect(outcome.error?.description).toMatch(/Publish the workflow/);
		if (dialect === 'cloud') expect(outcome.error?.description).toMatch(/Log ID: \w+/);
	});

	it('reports an HTML error page, an empty body and malformed JSON without resending the run', async () => {
		emulators[dialect].setRunScenario(WF, { kind: 'html', status: 500 });
		let outcome = await run(dialect, runParameters());
		expect(outcome.error?.message).toMatch(/^Coze answered HTTP 500 with an HTML page .*instead of JSON \(HTTP 500\)$/);
		expect(outcome.error?.description).toContain('not resent');
		expect(outcome.error?.httpCode).toBe('500');

		emulators[dialect].setRunScenario(WF, { kind: 'empty', status: 503 });
		outcome = await run(dialect, runParameters());
		expect(outcome.error?.message).toBe('Coze answered HTTP 503 with an empty body (HTTP 503)');

		emulators[dialect].setRunScenario(WF, { kind: 'malformed' });
		outcome = await run(dialect, runParameters());
		expect(outcome.error?.message).toBe('Coze answered HTTP 200 with a body that is not valid JSON (HTTP 200)');

		expect(emulators[dialect].runsOf(WF)).toHaveLength(3);
	});

	it('times out a hanging run after the Timeout option and does not resend it', async () => {
		emulators[dialect].setRunScenario(WF, { kind: 'hang' });
		const started = Date.now();
		const outcome = await run(dialect, runParameters({ options: { timeout: 1 } }));
		expect(Date.now() - started).toBeLessThan(8000);
		expect(outcome.error?.message).toBe('Coze did not answer within 1 s');
		expect(outcome.error?.description).toContain('not resent automatically');
		expect(emulators[dialect].runsOf(WF)).toHaveLength(1);
	});

	it('reports a dropped connection and does not resend the run', async () => {
		emulators[dialect].setRunScenario(WF, { kind: 'drop' });
		const outcome = await run(dialect, runParameters());
		expect(outcome.error?.message).toMatch(/^The connection to 127\.0\.0\.1:\d+ broke before Coze answered$/);
		expect(outcome.error?.description).toContain('may have started');
		expect(emulators[dialect].runsOf(WF)).toHaveLength(1);
	});

	it('surfaces interrupt_data, or Studio\'s refusal to pause a sync run', async () => {
		emulators[dialect].setRunScenario(WF, {
			kind: 'interrupt',
			eventId: '7404831988202520614/6302059919516746633',
			type: 2,
			data: '{"question":"Which city?"}',
		});
		const outcome = await run(dialect, runParameters());
		if (dialect === 'cloud') {
			expect(outcome.status).toBe('success');
			expect(outcome.output[0].json.interrupt).toMatchObject({
				event_id: '7404831988202520614/6302059919516746633',
				type: 2,
				data: { question: 'Which city?' },
			});
		} else {
			expect(outcome.error?.message).toBe('The workflow stopped at a question or input node (Coze code 6039)');
			expect(outcome.error?.description).toContain('streamed or async run');
		}
	});
});

describe('Coze error codes', () => {
	it.each([
		[4000, 'Request parameter error', 'Coze rejected the request parameters (Coze code 4000)', 'Start node'],
		[4101, 'The token you entered is incorrect', 'The access token lacks the permission for this (Coze code 4101)', '"run" to run'],
		[6003, 'Workflow execution with is_async=true is a premium feature', 'Async runs need a paid Coze plan (Coze code 6003)', 'plan'],
		[720701013, 'Workflow execution failure', 'The workflow failed while running (Coze code 720701013)', 'debug URL'],
	])('code %d', async (code, msg, message, hint) => {
		emulators.cloud.setRunScenario(WF, { kind: 'error', code, msg, withDebugUrl: true });
		const outcome = await run('cloud', runParameters());
		expect(outcome.status).toBe('error');
		expect(outcome.error?.message).toBe(`${message}`);
		expect(outcome.error?.description).toContain(`Coze says: ${msg}`);
		expect(outcome.error?.description).toContain(hint);
		expect(outcome.error?.description).toMatch(/Debug URL: https:\/\/www\.coze\.cn\/work_flow\?execute_id=\d+/);
		expect(outcome.error?.context?.itemIndex).toBe(0);
	});
});

describe('items', () => {
	it('one item at a time, stops at the first failing item and names it', async () => {
		const outcome = await run(
			'cloud',
			runParameters({ parameters: { parameter: [{ name: '={{ $json.name }}', value: 'x' }] }, options: { maxConcurrency: 1 } }),
			[{ name: 'a' }, { name: '' }, { name: 'c' }],
		);
		expect(outcome.status).toBe('error');
		expect(outcome.error?.message).toBe('Workflow input 1 has no name');
		expect(outcome.error?.context?.itemIndex).toBe(1);
		expect(emulators.cloud.runsOf(WF)).toHaveLength(1);
	});

	it('in parallel, reports the first failing item in input order', async () => {
		const outcome = await run(
			'cloud',
			runParameters({ parameters: { parameter: [{ name: '={{ $json.name }}', value: 'x' }] }, options: { maxConcurrency: 5 } }),
			[{ name: 'a' }, { name: 'b' }, { name: '' }, { name: 'd' }, { name: '' }],
		);
		expect(outcome.error?.message).toBe('Workflow input 1 has no name');
		expect(outcome.error?.context?.itemIndex).toBe(2);
	});

	it('reads per item the parameters that hold expressions, and the same value for all items where none do', async () => {
		const outcome = await run(
			'cloud',
			runParameters({
				workflowId: { __rl: true, mode: 'id', value: '={{ $json.wf }}' },
				options: { maxConcurrency: 3, workflowVersion: '={{ $json.version }}', connectorId: '1024' },
			}),
			[
				{ city: 'a', wf: WF, version: 'v1' },
				{ city: 'b', wf: '7398000000000000099', version: 'v2' },
				{ city: 'c', wf: WF, version: 'v3' },
			],
		);
		expect(outcome.status).toBe('success');
		const bodies = [...emulators.cloud.runsOf(WF), ...emulators.cloud.runsOf('7398000000000000099')].map((r) => r.body as IDataObject);
		expect(bodies.sort((x, y) => String((x.parameters as IDataObject).city).localeCompare(String((y.parameters as IDataObject).city)))).toEqual([
			{ workflow_id: WF, parameters: { city: 'a' }, workflow_version: 'v1', connector_id: '1024' },
			{ workflow_id: '7398000000000000099', parameters: { city: 'b' }, workflow_version: 'v2', connector_id: '1024' },
			{ workflow_id: WF, parameters: { city: 'c' }, workflow_version: 'v3', connector_id: '1024' },
		]);
	});

	it('under Continue On Fail gives one item per input, in order, errors paired to their inputs', async () => {
		const failing = '7398000000000000002';
		emulators.cloud.setRunScenario(failing, { kind: 'error', code: 4200, msg: 'workflow not found' });
		const outcome = await run(
			'cloud',
			runParameters({
				workflowId: { __rl: true, mode: 'id', value: '={{ $json.wf }}' },
				inputMode: 'json',
				parametersJson: '={{ $json.inputs }}',
			}),
			[
				{ wf: WF, inputs: '{"n":0}' },
				{ wf: failing, inputs: '{"n":1}' },
				{ wf: WF, inputs: '{"n":' },
				{ wf: 'not-an-id', inputs: '{}' },
				{ wf: WF, inputs: '{"n":4}' },
			],
			{ continueOnFail: true },
		);
		expect(outcome.status).toBe('success');
		expect(outcome.output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect((outcome.output[0].json.data as Record<string, unknown>).parameters).toEqual({ n: 0 });
		expect(outcome.output[1].json).toMatchObject({
			error: 'Coze could not find the workflow, or it is not published (Coze code 4200)',
			code: 4200,
			msg: 'workflow not found',
		});
		expect(outcome.output[1].json.logid).toEqual(expect.any(String));
		expect(outcome.output[2].json.error).toBe('The value in the "Inputs (JSON)" field is not valid JSON');
		expect(outcome.output[3].json.error).toBe('"not-an-id" is not a Coze workflow ID');
		expect((outcome.output[4].json.data as Record<string, unknown>).parameters).toEqual({ n: 4 });
		expect(emulators.cloud.requests.filter((r) => r.path === '/v1/workflow/run')).toHaveLength(3);
	});
});

describe('transport', () => {
	it('reports a refused connection after retrying it, as nothing was sent', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const { port } = closed.address() as AddressInfo;
		await new Promise((resolve) => closed.close(resolve));
		const outcome = await runCozeNode({
			items: [{}],
			parameters: runParameters({ options: { retryWait: 0.01, maxAttempts: 3 } }),
			credentials: { region: 'custom', baseUrl: `http://127.0.0.1:${port}`, accessToken: TOKEN },
		});
		assertTokenAbsent(outcome);
		expect(outcome.error?.message).toBe(`Could not connect to 127.0.0.1:${port}: connection refused`);
		expect(outcome.error?.description).toContain('Gave up after 3 attempts.');
	});

	it('does not follow a redirect, so another host never sees the token', async () => {
		const seenByOther: Array<string | undefined> = [];
		const other = createServer((req, res) => {
			seenByOther.push(req.headers.authorization);
			res.end('{"code":0,"data":"{}"}');
		});
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
		const otherUrl = `http://localhost:${(other.address() as AddressInfo).port}`;
		const redirecting = createServer((req, res) => {
			res.writeHead(307, { location: `${otherUrl}${req.url}` });
			res.end();
		});
		await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
		try {
			const outcome = await runCozeNode({
				items: [{}],
				parameters: runParameters(),
				credentials: {
					region: 'custom',
					baseUrl: `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`,
					accessToken: TOKEN,
				},
			});
			assertTokenAbsent(outcome);
			expect(outcome.error?.message).toMatch(/^Coze answered with a redirect to localhost:\d+ \(HTTP 307\)$/);
			expect(seenByOther).toEqual([]);
		} finally {
			redirecting.close();
			other.close();
		}
	});

	it('rejects a Base URL that is not http(s)', async () => {
		const outcome = await runCozeNode({
			items: [{}],
			parameters: runParameters(),
			credentials: { region: 'studio', baseUrl: 'ftp://127.0.0.1:8888', accessToken: TOKEN },
		});
		expect(outcome.error?.message).toBe('The Base URL "ftp://127.0.0.1:8888" is not an http(s) address');
	});

	it('refuses a Base URL with a user name and password, which would replace the Bearer token, and never quotes it', async () => {
		const outcome = await runCozeNode({
			items: [{ json: {} }] as never,
			parameters: runParameters(),
			credentials: { region: 'studio', baseUrl: 'http://admin:s3cret-pass@127.0.0.1:8888', accessToken: TOKEN },
		});
		expect(outcome.status).toBe('error');
		expect(outcome.error?.message).toBe('The Base URL contains a user name or password');
		expect(JSON.stringify(outcome.run) + String(outcome.error?.description)).not.toContain('s3cret-pass');
		expect(emulators.studio.requests).toHaveLength(0);
	});
});

describe('logs', () => {
	// Each test empties the log and makes the runs it reads: jest runs them in random order.
	it('n8n logs a failed run at debug level, and never the token', async () => {
		capturedLogs.length = 0;
		emulators.cloud.setRunScenario(WF, { kind: 'unpublished' });
		const outcome = await run('cloud', runParameters());
		expect(outcome.status).toBe('error');
		const log = capturedLogs.join('\n');
		expect(log).toMatch(/debug/i);
		expect(log).toContain('Coze could not find the workflow, or it is not published');
		expect(log).not.toContain(TOKEN);
	});

	it('n8n logs a refused token without the token', async () => {
		const wrongToken = 'pat_wrong_but_still_secret_9876543210';
		capturedLogs.length = 0;
		const outcome = await run('cloud', runParameters(), undefined, { accessToken: wrongToken });
		expect(outcome.error?.message).toBe('Coze rejected the access token (Coze code 4100)');
		const log = capturedLogs.join('\n');
		expect(log).toContain('Coze rejected the access token');
		expect(log).not.toContain(wrongToken);
	});
});
