/**
 * The Run operation in n8n's execution engine, against the emulator over real HTTP, in both
 * dialects: Coze cloud (through a custom base URL, as for a proxy) and Coze Studio. Wait for
 * Result, Stream and Async modes, the three input modes, file inputs, and what the real servers
 * answer that the emulator once did not (coze-api.md §9).
 */
import { createHash } from 'node:crypto';

import type { INodeParameters } from 'n8n-workflow';

import type { Dialect } from '../emulator';
import { SCHEMA_WORKFLOW_ID } from '../emulator';
import { runCozeNode } from '../harness/engine';
import { DIALECTS, useNodeRuns } from '../harness/nodeRuns';
import { binaryItem, runParametersFor } from '../harness/parameters';

describe('Wait for Result', () => {
	const TOKEN = 'pat_secret_TOKEN_do_not_leak_0123456789';
	const WF = '7398123456789012345';
	const { emulators, run } = useNodeRuns(TOKEN, { items: [{ city: 'Beijing' }], baseUrlSuffix: '/' });
	const runParameters = (overrides: INodeParameters = {}) => runParametersFor(WF, overrides);

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
			const outcome = await run(dialect, runParameters({ options: { timeout: 0.2 } }));
			expect(Date.now() - started).toBeLessThan(8000);
			expect(outcome.error?.message).toBe('Coze did not answer within 0.2 s');
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
});

describe('Stream and Async modes', () => {
	const WF = '7398123456789012345';
	const { emulators, run } = useNodeRuns('pat_modes_secret_token_0123456789');

	const runWith = (mode: string, options: INodeParameters = {}, extra: INodeParameters = {}) => runParametersFor(WF, { runMode: mode, options, ...extra });

	describe.each<Dialect>(DIALECTS)('%s dialect', (dialect) => {
		describe('Run in Stream mode', () => {
			it('returns the End node output in the same shape as a waited-for run, with the messages when asked', async () => {
				const outcome = await run(dialect, runWith('stream', { includeMessages: true }));
				expect(outcome.status).toBe('success');
				const json = outcome.output[0].json;
				expect(json.data).toMatchObject({ parameters: { city: '杭州' } });
				expect(JSON.parse(json.raw as string)).toEqual(json.data);
				expect(json.logid).toEqual(expect.any(String));
				const messages = json.messages as Array<{ node_title: string; content: string }>;
				expect(messages.map((m) => m.content).join('')).toContain('工作流');
				expect(messages.at(-1)?.content).toBe(json.raw);
				expect(emulators[dialect].streamsOf(WF)).toHaveLength(1);
			});

			it.each([
				['byte by byte, CRLF, with PINGs', { chunking: 'byte', lineEnding: '\r\n', pingBetween: true, delayMs: 0 }],
				['in random cuts', { chunking: 'random', seed: 7 }],
			] as const)('reads a stream written %s', async (_name, options) => {
				emulators[dialect].setStreamScenario(WF, {
					kind: 'result',
					output: { answer: '多云转晴，气温 26°C' },
					messages: [{ node_title: 'Message', chunks: ['正在', '查询'] }],
					...options,
				});
				const outcome = await run(dialect, runWith('stream'));
				expect(outcome.output[0].json.data).toEqual({ answer: '多云转晴，气温 26°C' });
			});

			it('turns an Error event into an error naming the code', async () => {
				emulators[dialect].setStreamScenario(WF, { kind: 'errorEvent', code: 4000, message: 'Request parameter error', afterMessages: 2 });
				const outcome = await run(dialect, runWith('stream'));
				expect(outcome.error?.message).toBe('Coze rejected the request parameters (Coze code 4000)');
				expect(outcome.error?.description).toContain('Coze says: Request parameter error');
			});

			it.each(['not json {', '"a JSON string, not an object"', ''])(
				'calls a Message event whose data is %j a garbled stream, not an empty success',
				async (data) => {
					emulators[dialect].setStreamScenario(WF, { kind: 'garbledMessage', data });
					const outcome = await run(dialect, runWith('stream'));
					expect(outcome.status).toBe('error');
					expect(outcome.error?.message).toBe('Coze sent a Message event whose data is not valid JSON');
					expect(outcome.error?.description).toContain('not resent automatically');
					expect(emulators[dialect].streamsOf(WF)).toHaveLength(1);
				},
			);

			it('recognises a JSON refusal in place of the stream', async () => {
				emulators[dialect].setStreamScenario(WF, { kind: 'unpublished' });
				const outcome = await run(dialect, runWith('stream'));
				expect(outcome.status).toBe('error');
				expect(outcome.error?.message).toMatch(dialect === 'cloud' ? /Coze code 4200\)$/ : /^The workflow is not published in Coze Studio \(Coze code 720702011\)$/);
			});

			it('reports a stream that ends without Done, and one that goes silent', async () => {
				emulators[dialect].setStreamScenario(WF, { kind: 'truncated', afterEvents: 3 });
				let outcome = await run(dialect, runWith('stream'));
				expect(outcome.error?.message).toBe('The stream from Coze ended before the workflow finished');
				expect(outcome.error?.description).toContain('not resent');

				emulators[dialect].setStreamScenario(WF, { kind: 'stall', afterEvents: 2 });
				const started = Date.now();
				outcome = await run(dialect, runWith('stream', { idleTimeout: 0.2 }));
				expect(Date.now() - started).toBeLessThan(6000);
				expect(outcome.error?.message).toBe('Coze sent nothing for 0.2 s');
				expect(emulators[dialect].streamsOf(WF)).toHaveLength(2);
			});
		});

		describe('Run in Async mode', () => {
			it('polls the run history until the run succeeds', async () => {
				emulators[dialect].setAsyncScenario(WF, { kind: 'complete', pollsUntilDone: 2, output: { result: '完成' } });
				const outcome = await run(dialect, runWith('async', { pollInterval: 0.05 }));
				expect(outcome.status).toBe('success');
				const json = outcome.output[0].json;
				expect(json).toMatchObject({ status: 'Success', data: { result: '完成' } });
				expect(json.execute_id).toMatch(/^\d{19}$/);
				expect(emulators[dialect].historyPollsOf(json.execute_id as string)).toBe(3);
				expect(emulators[dialect].runsOf(WF)).toHaveLength(1);
			});

			it('turns a failed run into an error with its code and message', async () => {
				emulators[dialect].setAsyncScenario(WF, { kind: 'fail', pollsUntilDone: 1, errorCode: 720701013, errorMessage: 'node 代码 failed' });
				const outcome = await run(dialect, runWith('async', { pollInterval: 0.05 }));
				expect(outcome.error?.message).toBe('The workflow failed while running (Coze code 720701013)');
				expect(outcome.error?.description).toContain('Coze says: node 代码 failed');
			});

			it('gives up waiting after Max Wait and says how to fetch the result later', async () => {
				emulators[dialect].setAsyncScenario(WF, { kind: 'neverFinishes' });
				const outcome = await run(dialect, runWith('async', { pollInterval: 0.05, maxWait: 0.2 }));
				expect(outcome.error?.message).toBe('The workflow was still running after 0.2 s');
				expect(outcome.error?.description).toContain('Get Run Result');
			});

			it('stops polling as soon as n8n cancels the execution', async () => {
				emulators[dialect].setAsyncScenario(WF, { kind: 'neverFinishes' });
				const started = Date.now();
				const outcome = await run(dialect, runWith('async', { pollInterval: 0.05, maxWait: 60 }), undefined, { cancelAfterMs: 200 });
				expect(Date.now() - started).toBeLessThan(4000);
				expect(outcome.status).not.toBe('success');
				expect(outcome.error?.message ?? '').not.toContain('still running');
				const polls = () => emulators[dialect].requests.filter((r) => /run_histor/.test(r.path)).length;
				// A look sent just before the cancel may reach the emulator a moment after it.
				await new Promise((resolve) => setTimeout(resolve, 100));
				const pollsAtCancel = polls();
				expect(pollsAtCancel).toBeGreaterThan(0);
				// Six poll intervals: a poll loop still going would have looked again.
				await new Promise((resolve) => setTimeout(resolve, 300));
				expect(polls()).toBe(pollsAtCancel);
			});
		});
	});

	describe('long streams', () => {
		it('follows a stream of 20 000 messages and keeps only the result', async () => {
			emulators.cloud.setStreamScenario(WF, { kind: 'many', count: 20_000, chunking: { every: 65_536 } });
			const outcome = await run('cloud', runWith('stream'));
			expect(outcome.status).toBe('success');
			expect(outcome.output[0].json.data).toEqual({ count: 20_000 });
			expect(outcome.output[0].json.messages).toBeUndefined();
		});
	});

	describe('plans and big numbers', () => {
		it('explains that async runs need a paid plan (6003)', async () => {
			emulators.cloud.setAsyncScenario(WF, { kind: 'premiumRequired' });
			const outcome = await run('cloud', runWith('async'));
			expect(outcome.error?.message).toBe('Async runs need a paid Coze plan (Coze code 6003)');
		});

		it('keeps 19-digit execute IDs exact although Coze Studio sends them as numbers', async () => {
			emulators.studio.setAsyncScenario(WF, { kind: 'complete', pollsUntilDone: 0, output: { ok: true } });
			const outcome = await run('studio', runWith('async', { pollInterval: 0.05 }));
			const executeId = outcome.output[0].json.execute_id as string;
			expect(executeId).toMatch(/^\d{19}$/);
			const history = emulators.studio.requests.find((r) => r.path === '/v1/workflow/get_run_history');
			expect(history?.query.execute_id).toBe(executeId);
		});
	});
});

describe("inputs from the workflow's schema, and files", () => {
	const TOKEN = 'pat_catalog_secret_token_0123456789';
	const { emulators, credentialsFor: credentials } = useNodeRuns(TOKEN);
	const schemaRun = (value: Record<string, string>, extra: INodeParameters = {}): INodeParameters => ({
		operation: 'run',
		workflowId: { __rl: true, mode: 'list', value: SCHEMA_WORKFLOW_ID },
		runMode: 'sync',
		inputMode: 'schema',
		inputsSchema: { mappingMode: 'defineBelow', value, schema: [] },
		options: {},
		...extra,
	});



	/** A Studio file URL as Studio's own editor passes it to a workflow: with the file's name. */
	function studioUrl(url: string, fileName: string): string {
		const parsed = new URL(url);
		parsed.searchParams.set('x-wf-file_name', fileName);
		return parsed.toString();
	}

	describe('Map Each Input', () => {
		it('sends typed values, uploads the file inputs from binary data, and keeps URLs as they are', async () => {
			const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x10, 0x80]);
			const pdf = Buffer.from('%PDF-1.4 文档', 'utf8');
			const outcome = await runCozeNode({
				items: [],
				inputItems: [binaryItem({}, { data: { name: '照片.png', mime: 'image/png', bytes: png }, doc: { name: 'report.pdf', mime: 'application/pdf', bytes: pdf } })],
				parameters: schemaRun({
					text: '你好',
					count: '5',
					verbose: 'true',
					tags: '["a","b"]',
					image: 'data',
					document: 'doc',
					attachment: 'https://example.invalid/file.zip',
				}),
				credentials: credentials('cloud'),
			});
			expect(outcome.error).toBeUndefined();
			const uploads = emulators.cloud.uploads;
			expect(uploads.map((u) => [u.fileName, u.mimeType, u.size])).toEqual([
				['照片.png', 'image/png', png.length],
				['report.pdf', 'application/pdf', pdf.length],
			]);
			expect(uploads[0].sha256).toBe(createHash('sha256').update(png).digest('hex'));
			const sent = (emulators.cloud.runsOf(SCHEMA_WORKFLOW_ID)[0].body as { parameters: Record<string, unknown> }).parameters;
			expect(sent).toEqual({
				text: '你好',
				count: 5,
				verbose: true,
				tags: ['a', 'b'],
				image: JSON.stringify({ file_id: uploads[0].id }),
				document: JSON.stringify({ file_id: uploads[1].id }),
				attachment: 'https://example.invalid/file.zip',
			});
			expect(emulators.cloud.requests.filter((r) => r.path === `/v1/workflows/${SCHEMA_WORKFLOW_ID}`)).toHaveLength(1);
		});

		it('names a missing required input and a wrong type before sending anything', async () => {
			let outcome = await runCozeNode({ items: [{}], parameters: schemaRun({ text: 'x' }), credentials: credentials('cloud') });
			expect(outcome.error?.message).toBe('The workflow input "image" is required');
			outcome = await runCozeNode({
				items: [{}],
				parameters: schemaRun({ text: 'x', image: 'https://example.invalid/a.png', count: 'many' }),
				credentials: credentials('cloud'),
			});
			expect(outcome.error?.message).toBe('The workflow input "count" must be a whole number');
			expect(emulators.cloud.runsOf(SCHEMA_WORKFLOW_ID)).toHaveLength(0);
		});
	});

	describe('File Inputs', () => {
		it.each<Dialect>(['cloud', 'studio'])('uploads files for Key/Value inputs on %s, several as an array', async (dialect) => {
			const one = Buffer.from('first file \u0000\u0001');
			const two = Buffer.from('second');
			const outcome = await runCozeNode({
				items: [],
				inputItems: [binaryItem({ q: 'x' }, { data: { name: 'a.txt', mime: 'text/plain', bytes: one }, more: { name: 'b.csv', mime: 'text/csv', bytes: two } })],
				parameters: {
					operation: 'run',
					workflowId: { __rl: true, mode: 'id', value: '7398000000000000077' },
					runMode: 'sync',
					inputMode: 'keyValue',
					parameters: { parameter: [{ name: 'q', value: '={{ $json.q }}' }] },
					options: { fileInputs: { file: [{ name: 'doc', binaryProperty: 'data' }, { name: 'docs', binaryProperty: 'data, more', asArray: true }] } },
				},
				credentials: credentials(dialect),
			});
			expect(outcome.error).toBeUndefined();
			const uploads = emulators[dialect].uploads;
			expect(uploads.map((u) => u.fileName)).toEqual(['a.txt', 'a.txt', 'b.csv']);
			const reference = (index: number) => (dialect === 'cloud' ? JSON.stringify({ file_id: uploads[index].id }) : studioUrl(uploads[index].url ?? '', uploads[index].fileName));
			const sent = (emulators[dialect].runsOf('7398000000000000077')[0].body as { parameters: Record<string, unknown> }).parameters;
			expect(sent).toEqual({ q: 'x', doc: reference(0), docs: [reference(1), reference(2)] });
		});

		// Browsers name a second download "report (1).pdf"; Go's parser on Studio drops a part whose filename* is not valid RFC 5987.
		it.each<Dialect>(['cloud', 'studio'])('keeps names with parentheses, spaces, quotes and CJK on %s', async (dialect) => {
			const names = ['report (1).pdf', '报告 2025.pdf', "it's *final*.txt"];
			const binary = Object.fromEntries(names.map((name, index) => [`f${index}`, { name, mime: 'application/pdf', bytes: Buffer.from(name) }]));
			const outcome = await runCozeNode({
				items: [],
				inputItems: [binaryItem({}, binary)],
				parameters: {
					operation: 'run',
					workflowId: { __rl: true, mode: 'id', value: '7398000000000000077' },
					runMode: 'sync',
					inputMode: 'json',
					parametersJson: '{}',
					options: { fileInputs: { file: [{ name: 'docs', binaryProperty: 'f0, f1, f2', asArray: true }] } },
				},
				credentials: credentials(dialect),
			});
			expect(outcome.error).toBeUndefined();
			expect(emulators[dialect].uploads.map((u) => u.fileName)).toEqual(names);
			if (dialect === 'studio') {
				const sent = (emulators.studio.runsOf('7398000000000000077')[0].body as { parameters: { docs: string[] } }).parameters.docs;
				expect(sent.map((url) => new URL(url).searchParams.get('x-wf-file_name'))).toEqual(names);
			}
		});

		it('names the input and the file when Coze refuses it, and a missing binary property', async () => {
			emulators.cloud.uploadLimits = { ...emulators.cloud.uploadLimits, maxBytes: 4 };
			const outcome = await runCozeNode({
				items: [],
				inputItems: [binaryItem({}, { data: { name: 'big.pdf', mime: 'application/pdf', bytes: Buffer.alloc(64, 1) } })],
				parameters: {
					operation: 'run',
					workflowId: { __rl: true, mode: 'id', value: '7398000000000000078' },
					inputMode: 'json',
					parametersJson: '{}',
					options: { fileInputs: { file: [{ name: 'doc', binaryProperty: 'data' }] } },
				},
				credentials: credentials('cloud'),
				continueOnFail: true,
			});
			expect(outcome.output[0].json.error).toBe('The file is too large for Coze (Coze code 4302) for the file "big.pdf" of the input "doc"');
			const missing = await runCozeNode({
				items: [{}],
				parameters: {
					operation: 'run',
					workflowId: { __rl: true, mode: 'id', value: '7398000000000000078' },
					inputMode: 'json',
					parametersJson: '{}',
					options: { fileInputs: { file: [{ name: 'doc', binaryProperty: 'data' }] } },
				},
				credentials: credentials('cloud'),
			});
			expect(missing.error?.message).toBe('The item has no binary property "data" for the input "doc"');
			expect(emulators.cloud.runsOf('7398000000000000078')).toHaveLength(0);
		});
	});
});

describe('what the real servers do', () => {
	const TOKEN = 'pat_real_servers_secret_token_0123456789';
	const WF = '7398123456789012399';
	const { emulators, run } = useNodeRuns(TOKEN);

	const asyncRun = runParametersFor(WF, { runMode: 'async', options: { pollInterval: 0.05 } });

	describe('an async run that pauses at a question node', () => {
		it('is an error on Coze Studio, whose history says "<UNSET>" and not which question, never an empty success', async () => {
			emulators.studio.setAsyncScenario(WF, { kind: 'pause', pollsUntilDone: 1 });
			const outcome = await run('studio', asyncRun);
			expect(outcome.status).toBe('error');
			expect(outcome.error?.message).toBe('The workflow paused at a question or input node');
			expect(outcome.error?.description).toContain('Run the workflow in Stream mode');
		});
	});

	describe("Coze Studio's internal codes", () => {
		it('explains a stream refused as not published (720702011) like the Open API code 6031', async () => {
			emulators.studio.setStreamScenario(WF, { kind: 'unpublished' });
			const outcome = await run('studio', { ...asyncRun, runMode: 'stream', options: {} });
			expect(outcome.error?.message).toBe('The workflow is not published in Coze Studio (Coze code 720702011)');
			expect(outcome.error?.description).toContain('Publish the workflow in Coze Studio');
		});
	});
});
