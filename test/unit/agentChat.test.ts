import type { SseEvent } from '../../nodes/shared/decoding/sse';
import { agentTurnOutput, chatMessagesOf, chatObjectOf, chatStatusOf, toolCallsOf } from '../../nodes/shared/decoding/agentChat';
import { foldChatEvents } from '../../nodes/shared/decoding/chatStream';
import { studioErrorOf } from '../../nodes/shared/decoding/errors';
import { WorkflowStreamEndedEarly, WorkflowStreamGarbled } from '../../nodes/shared/decoding/workflowStream';

async function* eventsOf(...pairs: Array<[string, unknown]>): AsyncGenerator<SseEvent> {
	for (const [event, data] of pairs) yield { event, data: typeof data === 'string' ? data : JSON.stringify(data) };
}

const CHAT = { id: '7500000000000000001', conversation_id: '7500000000000000002', bot_id: '7567000000000000001' };
const message = (fields: Record<string, unknown>) => ({ chat_id: CHAT.id, conversation_id: CHAT.conversation_id, role: 'assistant', ...fields });

describe('foldChatEvents', () => {
	it('folds a turn with every event type of a completed chat, as coze.cn streams it', async () => {
		const turn = await foldChatEvents(
			eventsOf(
				['conversation.chat.created', { ...CHAT, status: 'created' }],
				['conversation.chat.in_progress', { ...CHAT, status: 'in_progress' }],
				['conversation.message.delta', message({ id: 'r', type: 'answer', content: '', reasoning_content: 'Think' })],
				['conversation.message.delta', message({ id: 'r', type: 'answer', content: '你', reasoning_content: 'ing' })],
				['conversation.audio.delta', message({ id: 'a', type: 'answer', content: 'AAAA', content_type: 'audio' })],
				['conversation.message.delta', message({ id: 'r', type: 'answer', content: '好' })],
				['conversation.message.completed', message({ id: 'r', type: 'answer', content: '你好', reasoning_content: 'Thinking' })],
				['conversation.message.completed', message({ id: 'v', type: 'verbose', content: '{"msg_type":"generate_answer_finish"}' })],
				['conversation.message.completed', message({ id: 'f', type: 'follow_up', content: 'More?' })],
				['PING', ''],
				['conversation.chat.completed', { ...CHAT, status: 'completed', usage: { token_count: 9 } }],
				['done', '"[DONE]"'],
			),
		);
		expect(turn.status).toBe('completed');
		expect(turn.messages.map((m) => m.id)).toEqual(['r', 'v', 'f']);
		expect(agentTurnOutput(turn, { includeToolMessages: false })).toEqual({
			answer: '你好',
			reasoning: 'Thinking',
			follow_ups: ['More?'],
			status: 'completed',
			conversation_id: CHAT.conversation_id,
			chat_id: CHAT.id,
			usage: { token_count: 9 },
			messages: [turn.messages[0], turn.messages[2]],
		});
	});

	it('ends on Coze Studio\'s conversation.stream.done without data, and reads its cancelled spelling', async () => {
		const done = await foldChatEvents(
			eventsOf(['conversation.message.delta', message({ id: 'm', type: 'answer', content: 'partial' })], ['conversation.chat.completed', { ...CHAT, status: 'completed' }], ['conversation.stream.done', '']),
		);
		// A message streamed but never completed is kept from its deltas.
		expect(done.messages).toEqual([expect.objectContaining({ id: 'm', content: 'partial' })]);
		const cancelled = await foldChatEvents(eventsOf(['conversation.chat.cancelled', { ...CHAT, status: 'cancelled' }], ['conversation.stream.done', '']));
		expect(cancelled.status).toBe('canceled');
		expect(chatStatusOf({ status: 'conversation.chat.cancelled' })).toBe('canceled');
	});

	it('stops at requires_action with the tool calls, their arguments parsed', async () => {
		const required_action = {
			type: 'submit_tool_outputs',
			submit_tool_outputs: { tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"杭州","id":7398123456789012345}' } }] },
		};
		const turn = await foldChatEvents(
			eventsOf(
				['conversation.message.completed', message({ id: 'c', type: 'function_call', content: '{"name":"get_weather"}' })],
				['conversation.chat.requires_action', { ...CHAT, status: 'requires_action', required_action }],
				['done', '"[DONE]"'],
			),
		);
		const output = agentTurnOutput(turn, { includeToolMessages: true });
		expect(output).toMatchObject({ status: 'requires_action', tool_calls: [{ id: 'call_1', type: 'function', name: 'get_weather', arguments: { city: '杭州', id: '7398123456789012345' } }] });
		expect((output.messages as unknown[]).length).toBe(1);
		expect(agentTurnOutput(turn, { includeToolMessages: false }).messages).toEqual([]);
		expect(toolCallsOf({ submit_tool_outputs: { tool_calls: [{ id: 'x', function: { name: 'f', arguments: 'not json' } }] } })).toEqual([{ id: 'x', type: 'function', name: 'f', arguments: 'not json' }]);
	});

	it('turns conversation.chat.failed, error events and Studio\'s errno text into failures, without the stack', async () => {
		await expect(foldChatEvents(eventsOf(['conversation.chat.failed', { ...CHAT, status: 'failed', last_error: { code: 5000, msg: 'event interval error' } }]))).rejects.toMatchObject({
			failure: { code: 5000, msg: 'event interval error' },
		});
		await expect(foldChatEvents(eventsOf(['error', { code: 4000, msg: 'Request parameter error' }]))).rejects.toMatchObject({ failure: { code: 4000 } });
		await expect(
			foldChatEvents(eventsOf(['error', { code: 103100001, msg: 'code=103100002 message=agent not exists\nstack=goroutine 1 [running]:\nmain.go:12' }])),
		).rejects.toMatchObject({ failure: { code: 103100002, msg: 'agent not exists' } });
		expect(studioErrorOf('plain words')).toBeUndefined();
	});

	it('reports a stream that ends early, a garbled event, and a turn over the size limit', async () => {
		await expect(foldChatEvents(eventsOf(['conversation.chat.in_progress', { ...CHAT, status: 'in_progress' }]))).rejects.toBeInstanceOf(WorkflowStreamEndedEarly);
		await expect(foldChatEvents(eventsOf(['conversation.message.completed', '{"id":']))).rejects.toBeInstanceOf(WorkflowStreamGarbled);
		async function* many(): AsyncGenerator<SseEvent> {
			for (let n = 0; ; n++) yield { event: 'conversation.message.completed', data: JSON.stringify(message({ id: `m${n}`, type: 'answer', content: 'x'.repeat(1024) })) };
		}
		await expect(foldChatEvents(many(), 64 * 1024)).rejects.toThrow('Max Answer Size');
	});
});

describe('chat answers read back', () => {
	it("reads cloud's data and Coze Studio's Messages and ChatV3ChatDetail", () => {
		expect(chatMessagesOf({ code: 0, data: [{ id: '1' }] })).toEqual([{ id: '1' }]);
		expect(chatMessagesOf({ code: 0, Messages: [{ id: '2' }], BaseResp: null })).toEqual([{ id: '2' }]);
		expect(chatObjectOf({ ChatV3ChatDetail: { id: '3', status: 'cancelled' }, BaseResp: null })).toEqual({ id: '3', status: 'cancelled' });
	});

	it('drops the user\'s own messages from a polled turn', () => {
		const output = agentTurnOutput(
			{ status: 'completed', chat: CHAT, messages: [{ role: 'user', type: 'question', content: 'hi' }, { role: 'assistant', type: 'answer', content: 'hello' }] },
			{ includeToolMessages: true },
		);
		expect(output).toMatchObject({ answer: 'hello', messages: [{ role: 'assistant', content: 'hello' }] });
	});
});

describe('what a chat stream may keep', () => {
	it('counts every field of the messages it keeps against Max Answer Size, not only their text', async () => {
		async function* bulky(): AsyncGenerator<SseEvent> {
			for (let n = 0; n < 200; n++) {
				yield { event: 'conversation.message.completed', data: JSON.stringify(message({ id: `m${n}`, type: 'answer', content: '', meta_data: { blob: 'x'.repeat(10_000) } })) };
			}
			yield { event: 'done', data: '"[DONE]"' };
		}
		await expect(foldChatEvents(bulky(), 100_000)).rejects.toThrow('Max Answer Size');
	});

	it('takes a done without a final chat event for an early end, when the chat must send one', async () => {
		const stream = () => eventsOf(['conversation.chat.created', { ...CHAT, status: 'created' }], ['done', '"[DONE]"']);
		await expect(foldChatEvents(stream(), undefined, { requireFinalEvent: true })).rejects.toBeInstanceOf(WorkflowStreamEndedEarly);
		await expect(foldChatEvents(stream())).resolves.toMatchObject({ status: 'completed' });
	});
});
