/**
 * `POST /v3/chat` (and cloud `submit_tool_outputs`) with stream:true — the SSE of both dialects
 * (coze-api.md §10.1, §10.6).
 *
 * Wire: `event:<name>\ndata:<json>\n\n`, no space after the colons, no `id:` lines — cloud
 * [PY:tests/testdata/chat_text_stream_resp.txt] (coze-py refuses any other field line [PY:model.py]),
 * Studio = hertz-contrib/sse's encoder [SSE:encoder.go] [ST:infra/sse/impl/sse/sse.go].
 * Order: conversation.chat.created → conversation.chat.in_progress → per message: deltas
 * (answers only) + conversation.message.completed → the final chat event → the end:
 * - cloud: `conversation.chat.completed` / `conversation.chat.requires_action` then `event:done`
 *   `data:"[DONE]"` (the quotes included) [PY:tests/testdata/chat_text_stream_resp.txt];
 *   `conversation.chat.failed` (last_error 5000) and no done [PY:tests/testdata/chat_failed_resp.txt];
 * - Studio: `conversation.chat.completed` then `event:conversation.stream.done` with empty data
 *   [ST:application/conversation/build_chunk_event.go buildDoneEvent]; a failure is `event:error`
 *   {code,msg} and the stream ends without done [ST:domain/conversation/agentrun/internal/run_process_event.go StepToFailed]
 *   (ASSUMPTION: code 103100001, msg "event interval error"); headers add `X-Accel-Buffering: no`
 *   [ST:api/handler/coze/agent_run_service.go].
 * A cancel during the stream: `conversation.chat.canceled` (cloud) / `conversation.chat.cancelled`
 * (Studio [ST:domain/conversation/agentrun/entity/const.go]) then the dialect's done — ASSUMPTION: that a
 * done follows. A continued chat (submit_tool_outputs) starts at in_progress (ASSUMPTION).
 * A client that goes away mid-stream: the chat still completes in the emulator (ASSUMPTION), so the
 * conversation is not left busy.
 */
import type { AgentChat, PlannedMessage } from './agentModel';
import { appendMessage, finishPhase, isActive, pieces, STUDIO_CONV_ERR } from './agentModel';
import { chatJson, streamMessageJson } from './agentJson';
import type { EmulatorState, Reply, RequestContext } from './core';
import { toJson } from './json';
import { SseWriter } from './sse';
import { sseHeaders } from './stream';

function headers(state: EmulatorState): Record<string, string> {
	return state.dialect === 'cloud' ? sseHeaders('cloud') : { ...sseHeaders('studio'), 'X-Accel-Buffering': 'no' };
}

function writer(state: EmulatorState, res: Parameters<Extract<Reply, { kind: 'custom' }>['write']>[0], rctx: RequestContext): { w: SseWriter; send: (event: string, data: string) => Promise<boolean> } {
	const o = state.agents.options;
	const w = new SseWriter(res, rctx, { chunking: o.chunking, delayMs: o.delayMs, lineEnding: o.lineEnding });
	const eol = w.eol;
	return { w, send: (event, data) => w.bytes(Buffer.from(`event:${event}${eol}data:${data}${eol}${eol}`, 'utf8')) };
}

/** Studio's pre-run error: HTTP 200 SSE with one `event:error` and nothing else [ST:api/handler/coze/agent_run_service.go ChatV3]. */
export function studioStreamError(state: EmulatorState, code: number, msg: string): Reply {
	return {
		kind: 'custom',
		write: async (res, rctx) => {
			const { w, send } = writer(state, res, rctx);
			w.begin(200, headers(state));
			await send('error', toJson({ code, msg }));
			await w.finish();
		},
	};
}

/** Waits `ms` unless the chat is cancelled first; true = cancelled. */
function waitOrCancel(rctx: RequestContext, chat: AgentChat, ms: number): Promise<boolean> {
	if (ms <= 0 || chat.status === 'canceled') return Promise.resolve(chat.status === 'canceled');
	return new Promise<boolean>((resolve) => {
		let settled = false;
		const settle = (v: boolean): void => {
			if (settled) return;
			settled = true;
			resolve(v);
		};
		chat.onCancel.push(() => settle(true));
		void rctx.sleep(ms).then(() => settle(chat.status === 'canceled'));
	});
}

export function agentStreamReply(state: EmulatorState, chat: AgentChat, continuation: boolean): Reply {
	return {
		kind: 'custom',
		write: async (res, rctx) => {
			const { w, send } = writer(state, res, rctx);
			const cloud = state.dialect === 'cloud';
			const chatEvent = (name: string): Promise<boolean> => send(`conversation.chat.${name}`, toJson(chatJson(state, chat, 'stream')));
			const done = (): Promise<boolean> => (cloud ? send('done', '"[DONE]"') : send('conversation.stream.done', ''));
			const message = async (m: PlannedMessage): Promise<boolean> => {
				if (m.deltas) {
					const n = state.agents.options.deltaChars;
					const parts: Array<{ content: string; reasoning?: string }> = [];
					if (m.reasoning !== undefined) for (const r of pieces(m.reasoning, n)) parts.push({ content: '', reasoning: r });
					for (const c of pieces(m.content, n)) parts.push(m.reasoning !== undefined ? { content: c, reasoning: '' } : { content: c });
					for (const part of parts) {
						if (chat.status === 'canceled') return true;
						if (!(await send('conversation.message.delta', toJson(streamMessageJson(state, chat, m, part))))) return false;
					}
				}
				appendMessage(state, chat, m);
				return send('conversation.message.completed', toJson(streamMessageJson(state, chat, m)));
			};
			w.begin(200, headers(state));
			try {
				if (!continuation && !(await chatEvent('created'))) return;
				if (chat.status === 'created') chat.status = 'in_progress';
				if (chat.status === 'in_progress' && !(await chatEvent('in_progress'))) return;
				const cancelled = await waitOrCancel(rctx, chat, chat.phase.waitMs);
				if (!cancelled) {
					for (const m of chat.phase.messages) {
						if (chat.status === 'canceled') break;
						if (!(await message(m))) return;
					}
				}
				if (chat.status === 'canceled') {
					if (await chatEvent(cloud ? 'canceled' : 'cancelled')) await done();
					return;
				}
				finishPhase(state, chat);
				switch (chat.status) {
					case 'completed':
						if (await chatEvent('completed')) await done();
						return;
					case 'requires_action':
						if (await chatEvent('requires_action')) await done();
						return;
					case 'failed':
						if (cloud) await chatEvent('failed');
						else await send('error', toJson({ code: STUDIO_CONV_ERR.agentRun, msg: chat.lastError?.msg ?? 'event interval error' }));
						return;
				}
			} finally {
				if (isActive(chat)) finishPhase(state, chat);
				await w.finish();
			}
		},
	};
}
