import type { SseEvent } from '../../nodes/shared/decoding/sse';
import { NotAnEventStream, readSseEvents, SseTooLarge } from '../../nodes/shared/decoding/sse';
import { foldChatStream } from '../../nodes/shared/decoding/chatStream';
import {
	foldWorkflowStream,
	WorkflowStreamEndedEarly,
	WorkflowStreamFailure,
	WorkflowStreamTooLarge,
} from '../../nodes/shared/decoding/workflowStream';

const encoder = new TextEncoder();

async function* chunksOf(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
	let offset = 0;
	let i = 0;
	while (offset < bytes.length) {
		const size = sizes[i++ % sizes.length];
		yield bytes.slice(offset, offset + size);
		offset += size;
	}
}

async function collect(events: AsyncIterable<SseEvent>): Promise<SseEvent[]> {
	const out: SseEvent[] = [];
	for await (const event of events) out.push(event);
	return out;
}

const STREAM = [
	'id: 0',
	'event: Message',
	'data: {"content":"今天 晴","node_title":"Output","node_is_finish":false,"node_seq_id":"0"}',
	'',
	': a comment',
	'event: PING',
	'data: {"content":"{}"}',
	'',
	'id: 1',
	'event: Message',
	'data: {"content":"{\\"output\\":\\"杭州 多云\\"}","node_title":"End","node_is_finish":true,"node_seq_id":"0","usage":{"token_count":9}}',
	'',
	'id: 2',
	'event: Done',
	'data: {"debug_url":"https://www.coze.cn/work_flow?execute_id=7431040978805850001&workflow_id=1"}',
	'',
	'',
];

describe('readSseEvents', () => {
	it.each([
		['LF, whole', '\n', [1_000_000]],
		['CRLF, one byte at a time', '\r\n', [1]],
		['CRLF, odd sizes that split CRLF and UTF-8 characters', '\r\n', [3, 5, 7, 2]],
	])('parses the same events: %s', async (_name, eol, sizes) => {
		const bytes = encoder.encode(STREAM.join(eol));
		const events = await collect(readSseEvents(chunksOf(bytes, sizes)));
		expect(events.map((e) => [e.id, e.event])).toEqual([
			['0', 'Message'],
			[undefined, 'PING'],
			['1', 'Message'],
			['2', 'Done'],
		]);
		expect(JSON.parse(events[0].data).content).toBe('今天 晴');
	});

	it('stops at an event larger than its budget, in one line or in many data lines, without reading on', async () => {
		let pulled = 0;
		async function* endlessLine(): AsyncGenerator<string> {
			yield 'event: Message\ndata: ';
			for (;;) {
				pulled++;
				yield 'x'.repeat(1000);
			}
		}
		await expect(collect(readSseEvents(endlessLine(), 50_000))).rejects.toThrow(SseTooLarge);
		expect(pulled).toBeLessThan(60);
		async function* manyDataLines(): AsyncGenerator<string> {
			yield 'event: Message\n';
			for (;;) yield `data: ${'y'.repeat(1000)}\n`;
		}
		await expect(collect(readSseEvents(manyDataLines(), 50_000))).rejects.toThrow(SseTooLarge);
		// Events within the budget, however many, pass.
		const fine = await collect(readSseEvents((async function* () { for (let i = 0; i < 200; i++) yield `event: Message\ndata: ${'z'.repeat(900)}\n\n`; })(), 50_000));
		expect(fine).toHaveLength(200);
	});

	it('recognises a JSON document in place of a stream', async () => {
		const body = encoder.encode('{"code":4200,"msg":"workflow not found"}');
		await expect(collect(readSseEvents(chunksOf(body, [4])))).rejects.toBeInstanceOf(NotAnEventStream);
	});

	it('yields a last event that has no blank line after it', async () => {
		const events = await collect(readSseEvents(chunksOf(encoder.encode('event: Done\ndata: {}'), [100])));
		expect(events).toEqual([{ id: undefined, event: 'Done', data: '{}' }]);
	});
});

function eventsOf(...events: Array<[string, unknown]>): AsyncGenerator<SseEvent> {
	return (async function* () {
		for (const [event, data] of events) yield { event, data: typeof data === 'string' ? data : JSON.stringify(data) };
	})();
}

describe('foldWorkflowStream', () => {
	it('returns the End node output, usage and debug URL, and the messages when asked', async () => {
		const bytes = encoder.encode(STREAM.join('\n'));
		const result = await foldWorkflowStream(readSseEvents(chunksOf(bytes, [7])), { includeMessages: true });
		expect(result).toEqual({
			output: '{"output":"杭州 多云"}',
			usage: { token_count: 9 },
			debugUrl: 'https://www.coze.cn/work_flow?execute_id=7431040978805850001&workflow_id=1',
			executeId: '7431040978805850001',
			messages: [
				{ node_title: 'Output', content: '今天 晴', node_is_finish: false, node_seq_id: '0' },
				{ node_title: 'End', content: '{"output":"杭州 多云"}', node_is_finish: true, node_seq_id: '0' },
			],
		});
	});

	it('joins a streamed End node', async () => {
		const result = await foldWorkflowStream(
			eventsOf(
				['Message', { content: 'Hel', node_title: 'End', node_is_finish: false }],
				['Message', { content: 'lo', node_title: 'End', node_is_finish: true }],
				['Done', {}],
			),
			{ includeMessages: false },
		);
		expect(result.output).toBe('Hello');
		expect(result.messages).toBeUndefined();
	});

	it('stops at an Interrupt with the question and the event to resume', async () => {
		const result = await foldWorkflowStream(
			eventsOf(
				['Message', { content: 'Which city?', node_title: '问答', node_is_finish: true }],
				['Interrupt', { interrupt_data: { event_id: '7404831988202520614/6302059919516746633', type: 2, data: '' }, node_title: '问答' }],
			),
			{ includeMessages: false },
		);
		expect(result.interrupt).toEqual({
			event_id: '7404831988202520614/6302059919516746633',
			type: 2,
			data: '',
			node_title: '问答',
			question: 'Which city?',
			paused_in: 'stream',
		});
		expect(result.executeId).toBe('7404831988202520614');
	});

	it('stops when the output kept for an unfinished node passes 32 MB', async () => {
		async function* endless(): AsyncGenerator<SseEvent> {
			const content = 'x'.repeat(64 * 1024);
			for (let i = 0; ; i++) yield { event: 'Message', data: JSON.stringify({ node_id: 'n1', node_title: 'Out', content, node_is_finish: false }) };
		}
		await expect(foldWorkflowStream(endless(), { includeMessages: false })).rejects.toThrow(WorkflowStreamTooLarge);
	});

	it('stops at the limit it is given, for a workflow and for a chat answer that never completes', async () => {
		async function* endless(event: string, fields: Record<string, unknown>): AsyncGenerator<SseEvent> {
			const content = 'z'.repeat(16 * 1024);
			for (;;) yield { event, data: JSON.stringify({ ...fields, content }) };
		}
		const limit = 1024 * 1024;
		await expect(foldWorkflowStream(endless('Message', { node_id: 'n1', node_is_finish: false }), { includeMessages: false, maxKeptChars: limit })).rejects.toThrow(
			'The streamed output passed the Max Answer Size of 1 MB before the workflow finished',
		);
		await expect(foldChatStream(endless('conversation.message.delta', { role: 'assistant', type: 'answer' }), limit)).rejects.toThrow(
			'The streamed output passed the Max Answer Size of 1 MB before the chat finished',
		);
	});

	it('turns Error events, Studio plain-text errors and a missing Done into failures', async () => {
		await expect(
			foldWorkflowStream(eventsOf(['Error', { error_code: 4000, error_message: 'Request parameter error' }]), {
				includeMessages: false,
			}),
		).rejects.toEqual(new WorkflowStreamFailure({ code: 4000, msg: 'Request parameter error' }));
		const plain = foldWorkflowStream(eventsOf(['error', 'internal server error: boom']), { includeMessages: false });
		await expect(plain).rejects.toMatchObject({ failure: { msg: 'internal server error: boom' } });
		await expect(
			foldWorkflowStream(eventsOf(['Message', { content: 'x', node_title: 'End', node_is_finish: false }]), {
				includeMessages: false,
			}),
		).rejects.toBeInstanceOf(WorkflowStreamEndedEarly);
	});
});

describe('foldChatStream', () => {
	it('returns the answer, ids and usage', async () => {
		const result = await foldChatStream(
			eventsOf(
				['conversation.chat.created', { id: '7500000000000000001', conversation_id: '7500000000000000002', status: 'created' }],
				['conversation.message.delta', { id: 'm', chat_id: '7500000000000000001', role: 'assistant', type: 'answer', content: '你' }],
				['conversation.message.delta', { id: 'm', chat_id: '7500000000000000001', role: 'assistant', type: 'answer', content: '好' }],
				['conversation.message.completed', { id: 'm', role: 'assistant', type: 'answer', content: '你好' }],
				['conversation.message.completed', { id: 'v', role: 'assistant', type: 'verbose', content: '{}' }],
				['conversation.chat.completed', { id: '7500000000000000001', conversation_id: '7500000000000000002', status: 'completed', usage: { token_count: 3 } }],
				['done', '[DONE]'],
			),
		);
		expect(result).toEqual({
			answer: '你好',
			status: 'completed',
			conversation_id: '7500000000000000002',
			chat_id: '7500000000000000001',
			usage: { token_count: 3 },
		});
	});

	it('reports requires_action and failures', async () => {
		const asked = await foldChatStream(
			eventsOf(
				['conversation.message.delta', { role: 'assistant', type: 'answer', content: 'Which city?' }],
				['conversation.chat.requires_action', { id: '1', status: 'requires_action', required_action: { type: 'question' } }],
				['done', '[DONE]'],
			),
		);
		expect(asked).toMatchObject({ answer: 'Which city?', status: 'requires_action', required_action: { type: 'question' } });
		await expect(
			foldChatStream(eventsOf(['conversation.chat.failed', { status: 'failed', last_error: { code: 4011, msg: 'balance' } }])),
		).rejects.toMatchObject({ failure: { code: 4011, msg: 'balance' } });
	});
});
