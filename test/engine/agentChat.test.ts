/**
 * The Coze node's Agent → Chat in n8n's execution engine, against the emulator over real HTTP,
 * in both dialects: a streamed and a polled answer, a conversation kept over turns, files from
 * binary data, a reasoning model, failures, and what goes on the wire.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Dialect } from '../emulator';
import { ECHO_AGENT_ID, ECHO_FOLLOW_UPS, FAILING_AGENT_ERROR, FAILING_AGENT_ID, REASONING_AGENT_ID, UNKNOWN_AGENT_ID } from '../emulator/agentCatalogue';
import { DIALECTS, useNodeRuns } from '../harness/nodeRuns';
import { chatParameters, COZE_ID } from '../harness/agents';
import { binaryItem } from '../harness/parameters';

const TOKEN = 'pat_agent_chat_secret_token_0123456789';
const ID = COZE_ID;


describe('Coze → Agent → Chat', () => {
	const { emulators, run } = useNodeRuns(TOKEN);

	describe.each<Dialect>(DIALECTS)('%s dialect', (dialect) => {
		it.each(['stream', 'poll'])('returns the answer, the follow-ups, the messages and the IDs (%s)', async (responseMode) => {
			const outcome = await run(dialect, chatParameters(ECHO_AGENT_ID, '你好', { responseMode, pollInterval: 0.1 }));
			expect(outcome.error).toBeUndefined();
			const json = outcome.output[0].json;
			expect(json).toMatchObject({
				answer: 'Echo: 你好 (turn 1)',
				follow_ups: [...ECHO_FOLLOW_UPS],
				status: 'completed',
				conversation_id: expect.stringMatching(ID),
				chat_id: expect.stringMatching(ID),
			});
			// The answer and the suggestions; the verbose "answers finished" message only with Include Tool Messages.
			expect((json.messages as IDataObject[]).map((message) => message.type)).toEqual(['answer', 'follow_up', 'follow_up']);
			const sent = emulators[dialect].chatRequestsOf(ECHO_AGENT_ID);
			expect(sent).toHaveLength(1);
			expect(sent[0].body).toMatchObject({
				bot_id: ECHO_AGENT_ID,
				user_id: 'customer-42',
				stream: responseMode === 'stream',
				additional_messages: [{ role: 'user', type: 'question', content: '你好', content_type: 'text' }],
			});
			if (responseMode === 'poll') {
				const paths = emulators[dialect].requests.map((request) => `${request.method} ${request.path}`);
				expect(paths).toContain('GET /v3/chat/retrieve');
				expect(paths.at(-1)).toBe('GET /v3/chat/message/list');
			}
		});

		it('keeps the conversation over turns, and adds tool and verbose messages when asked', async () => {
			const first = await run(dialect, chatParameters(ECHO_AGENT_ID, 'one'));
			const conversationId = first.output[0].json.conversation_id as string;
			const second = await run(dialect, chatParameters(ECHO_AGENT_ID, 'two', { conversationId, includeToolMessages: true }));
			expect(second.output[0].json).toMatchObject({ answer: 'Echo: two (turn 2)', conversation_id: conversationId });
			expect((second.output[0].json.messages as IDataObject[]).map((message) => message.type)).toContain('verbose');
			// The conversation goes in the query, where both dialects read it (§10.1, §10.6).
			const sent = emulators[dialect].chatRequestsOf(ECHO_AGENT_ID);
			expect(sent[1].query.conversation_id).toBe(conversationId);
			expect(sent[1].body).not.toHaveProperty('conversation_id');
		});

		it('sends custom variables, metadata and earlier messages, the assistant turn as an answer', async () => {
			const outcome = await run(
				dialect,
				chatParameters(ECHO_AGENT_ID, 'now', {
					customVariables: { value: [{ name: 'city', value: '杭州' }] },
					metadata: { value: [{ name: 'order', value: 'A-1' }] },
					history: { message: [{ role: 'user', content: 'before' }, { role: 'assistant', content: 'ok' }] },
				}),
			);
			// The earlier user message is a turn the agent has seen.
			expect(outcome.output[0].json.answer).toBe('Echo: now (turn 2) [vars: city=杭州]');
			expect(emulators[dialect].chatRequestsOf(ECHO_AGENT_ID)[0].body).toMatchObject({
				custom_variables: { city: '杭州' },
				meta_data: { order: 'A-1' },
				additional_messages: [
					{ role: 'user', type: 'question', content: 'before' },
					{ role: 'assistant', type: 'answer', content: 'ok' },
					{ role: 'user', type: 'question', content: 'now' },
				],
			});
		});

		it('uploads an image and a file from binary data and sends them with the text as object_string', async () => {
			const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]);
			const outcome = await run(dialect, chatParameters(ECHO_AGENT_ID, 'What is on it?', { binaryProperties: 'data, doc' }), [], {
				inputItems: [
					binaryItem({}, { data: { name: '照片.png', mime: 'image/png', bytes: png }, doc: { name: 'report (1).pdf', mime: 'application/pdf', bytes: Buffer.from('%PDF') } }),
				],
			});
			expect(outcome.error).toBeUndefined();
			const uploads = emulators[dialect].uploads;
			expect(uploads.map((upload) => upload.fileName)).toEqual(['照片.png', 'report (1).pdf']);
			const question = (emulators[dialect].chatRequestsOf(ECHO_AGENT_ID)[0].body as { additional_messages: IDataObject[] }).additional_messages.at(-1) as IDataObject;
			expect(question.content_type).toBe('object_string');
			const items = JSON.parse(String(question.content)) as IDataObject[];
			expect(items).toEqual([
				{ type: 'text', text: 'What is on it?' },
				{ type: 'image', file_id: expect.stringMatching(/^\d+$/) },
				{ type: 'file', file_id: expect.stringMatching(/^\d+$/) },
			]);
			expect(outcome.output[0].json.answer).toBe(`Echo: What is on it? (turn 1) [image:${String(items[1].file_id)}] [file:${String(items[2].file_id)}]`);
		});

		it("returns a reasoning model's thinking apart from its answer", async () => {
			const outcome = await run(dialect, chatParameters(REASONING_AGENT_ID, 'why?'));
			expect(outcome.error).toBeUndefined();
			expect(outcome.output[0].json.reasoning).toEqual(expect.any(String));
			expect(String(outcome.output[0].json.reasoning).length).toBeGreaterThan(0);
			expect(outcome.output[0].json.answer).not.toContain(String(outcome.output[0].json.reasoning));
		});

		it.each(['stream', 'poll'])('turns a failed chat into an error (%s)', async (responseMode) => {
			const outcome = await run(dialect, chatParameters(FAILING_AGENT_ID, 'hi', { responseMode, pollInterval: 0.1 }));
			expect(outcome.status).toBe('error');
			if (dialect === 'cloud') expect(outcome.error?.message).toContain(`Coze code ${FAILING_AGENT_ERROR.code}`);
			else expect(outcome.error?.message).not.toContain('stack=');
		});

		it('names an unknown agent, without Studio\'s stack trace', async () => {
			const outcome = await run(dialect, chatParameters(UNKNOWN_AGENT_ID, 'hi'));
			expect(outcome.status).toBe('error');
			const said = `${outcome.error?.message} ${outcome.error?.description ?? ''}`;
			expect(said).not.toContain('stack=');
			if (dialect === 'studio') expect(said).toContain('agent not exists');
		});

		it('under Continue On Fail gives one item per input, in order, an empty message as an error item', async () => {
			const outcome = await run(dialect, chatParameters(ECHO_AGENT_ID, '={{ $json.text }}'), [{ text: 'a' }, { text: '' }, { text: 'c' }], { continueOnFail: true });
			expect(outcome.output.map((item) => [item.pairedItem, item.json.answer ?? item.json.error])).toEqual([
				[{ item: 0 }, 'Echo: a (turn 1)'],
				[{ item: 1 }, 'The message is empty'],
				[{ item: 2 }, 'Echo: c (turn 1)'],
			]);
		});
	});

	it('refuses an agent ID that arrived as a number, and reads an agent editor URL', async () => {
		const asNumber = await run('cloud', { ...chatParameters(ECHO_AGENT_ID, 'hi'), agentId: { __rl: true, mode: 'id', value: 7567000000000000001 } });
		expect(outcome(asNumber)).toContain('arrived as a number');
		const byUrl = await run('cloud', { ...chatParameters(ECHO_AGENT_ID, 'hi'), agentId: { __rl: true, mode: 'url', value: `https://www.coze.cn/space/7561000000000000001/bot/${ECHO_AGENT_ID}` } });
		expect(byUrl.output[0].json.answer).toBe('Echo: hi (turn 1)');
	});
});

function outcome(result: { error?: Error }): string {
	return result.error?.message ?? '';
}
