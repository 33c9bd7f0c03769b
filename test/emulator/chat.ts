/**
 * `POST /v1/workflows/chat` (chat flow) in both dialects (coze-api.md §2.6).
 *
 * Streams the chat event family: `conversation.chat.created`, `conversation.chat.in_progress`,
 * `conversation.message.delta` (the answer in chunks), `conversation.message.completed`,
 * `conversation.chat.completed` (with `usage`), `done`; a question node ends with
 * `conversation.chat.requires_action` + `done` instead, and the next chat in the same conversation
 * (its last user message is the answer) continues the run; a failure sends
 * `conversation.chat.failed` (`last_error`) or an `error` event, and no `done`.
 *
 * cloud (shapes from [PY:tests/testdata/workflows_chat_stream_resp.txt], a captured workflows/chat
 * stream): no `id:` lines; chat objects `{id, conversation_id, created_at, (completed_at | failed_at),
 * last_error{code,msg}, status, usage{token_count,output_count,input_count}, section_id}`; messages
 * `{id, conversation_id, role, type, content, content_type, chat_id, section_id, (created_at)}`;
 * after the answer's `completed` a `verbose` message (`generate_answer_finish`) is completed too;
 * `done` data `{"debug_url":"…"}` with `&` written `\u0026` (Go's encoding/json) — the JS SDK
 * turns `done` into `'[DONE]'` and chat v3 sends `"[DONE]"`, hence the `doneData` option.
 * ASSUMPTIONS: requires_action is a chat object with status `requires_action` (no captured example);
 * `conversation.chat.failed` ends the stream without `done` (as the chat v3 capture
 * [PY:tests/testdata/chat_failed_resp.txt]); conversation ids are digits only (else 4002).
 *
 * Studio [ST:backend/api/handler/coze/workflow_service.go OpenAPIChatFlowRun / sendChatFlowStreamRunSSE,
 * backend/application/workflow/chatflow.go OpenAPIChatFlowRun / convertToChatFlowRunResponseList,
 * backend/domain/workflow/entity/vo/chatflow.go]: SSE ids count from 1; ChatFlowDetail
 * `{id, conversation_id, bot_id?, status, usage?, execute_id, section_id}` (omitempty: created /
 * in_progress / requires_action have no bot_id; completed has bot_id "0" without bot/app);
 * MessageDetail `{id, chat_id, conversation_id, bot_id, role, type, content, content_type,
 * section_id}`; completed usage with token_count = output_count + output_count (sic, Studio's code);
 * a workflow failure is an `error` event with ErrorDetail `{code (string), msg, debug_url}`;
 * `done` data `{"debug_url":"…"}`.
 *
 * Request validation. cloud (ASSUMPTION: HTTP 200 JSON `{code,msg,detail}` before streaming):
 * workflow_id, additional_messages (1…50 objects `{role, content}` strings, last role `user`),
 * parameters an object → else 4000 "Request parameter error"; more than 50 messages → 4004;
 * exactly one of bot_id / app_id (neither or both → 4000, the code the docs give for "both").
 * Studio: preprocessing / binding failures → HTTP 400; application errors → HTTP 200 `{code,msg}`
 * (pre-stream, content type per `studioPreStreamContentType`) with 777777775 "Workflow operation
 * failure: <cause>": "additional_messages is requird" (sic), "the role of the last day message must
 * be user", mustParseInt64 panics (workflow_id, connector_id, app_id, bot_id, conversation_id),
 * "project_id and bot_id cannot be set at the same time", "conversation not found" (a
 * conversation_id without bot_id that the emulator did not create), "conversation name is requried"
 * (sic: neither conversation_id nor a string `parameters.CONVERSATION_NAME`), "invalid message
 * content type <t>" (the last message's content_type is not text / object_string). Studio does not
 * require bot_id or app_id (bizID 0); a CONVERSATION_NAME is looked up or created per name.
 */
import type { ServerResponse } from 'node:http';

import type { Conversation, EmulatorState, Reply, RequestContext } from './core';
import { cloudBadRequest, cloudDebugUrl, cloudError, studioDebugUrl } from './dialect';
import { rememberExecution } from './executions';
import { SPACE_ID } from './ids';
import { isJsonObject, jsonTypeName, toJson } from './json';
import {
	bindMismatch,
	isJsonContentType,
	mustParseInt64Cause,
	STUDIO_ERR,
	STUDIO_MSG,
	studioBindExt,
	studioBindStrings,
	studioPreprocess,
} from './run';
import { SseEmitter, SseWriter } from './sse';
import { sseHeaders, studioPreStreamError } from './stream';
import type { ChatOptions, ChatScenario, Dialect, Usage } from './types';

export const CHAT_PATH = '/v1/workflows/chat';

interface ChatRequest {
	workflowId: string;
	userText: string;
	parameters: Record<string, unknown>;
	conversation: Conversation;
	/** bot_id or app_id ("0" when neither: Studio's bizID). */
	bizId: string;
	botId?: string;
}

export function chatHandler(ctx: RequestContext): Reply {
	const { state } = ctx;
	const v = state.dialect === 'cloud' ? cloudValidateChat(ctx) : studioValidateChat(ctx);
	if ('reply' in v) return v.reply;
	const req = v.req;
	const conv = req.conversation;
	const scenario: ChatScenario = state.chatScenarios.get(req.workflowId) ?? { kind: 'answer', text: req.userText };

	const chatId = state.ids.nextId();
	let executeId: string;
	let steps: ChatStep[];
	let opts: ChatOptions = scenario;
	const pending = conv.pending && conv.pending.workflowId === req.workflowId ? conv.pending : undefined;
	if (pending) {
		// The answer to the open question: the run continues (same execution).
		conv.pending = undefined;
		executeId = pending.executeId;
		const text = pending.then.split('{{answer}}').join(req.userText);
		steps = answerSteps(text, pending.chunks, undefined);
		opts = pending.opts;
	} else {
		executeId = state.ids.nextExecuteId();
		switch (scenario.kind) {
			case 'answer':
				steps = answerSteps(scenario.text, scenario.chunks, scenario.usage);
				break;
			case 'question':
				conv.pending = { workflowId: req.workflowId, then: scenario.then, executeId, chunks: scenario.chunks, opts: scenario };
				steps = [{ t: 'created' }, { t: 'inProgress' }, { t: 'delta', content: scenario.question }, { t: 'completed', content: scenario.question }, { t: 'requiresAction' }, { t: 'done' }];
				break;
			case 'failed':
				steps = [{ t: 'created' }, { t: 'inProgress' }, { t: 'failed', code: scenario.code, msg: scenario.msg, via: scenario.via ?? (state.dialect === 'cloud' ? 'chatFailed' : 'errorEvent') }];
				break;
		}
	}
	const c: ChatCtx = {
		state,
		dialect: state.dialect,
		workflowId: req.workflowId,
		executeId,
		chatId,
		messageId: state.ids.nextId(),
		conv,
		bizId: req.bizId,
		userText: req.userText,
		opts,
		createdAt: Math.floor(Date.now() / 1000),
	};
	const final = steps.find((s) => s.t === 'failed' || s.t === 'chatCompleted' || s.t === 'requiresAction');
	rememberExecution(state, ctx, {
		executeId,
		workflowId: req.workflowId,
		runMode: 1,
		botId: req.botId,
		parameters: req.parameters,
		// The chat's real input is the user message, USER_INPUT of the Start node (coze-api.md §2.6).
		keyParameters: 'USER_INPUT' in req.parameters ? req.parameters : { ...req.parameters, USER_INPUT: req.userText },
		status: final?.t === 'failed' ? 'Fail' : final?.t === 'requiresAction' ? '<UNSET>' : 'Success',
		output: final?.t === 'chatCompleted' ? final.content : null,
		usage: final?.t === 'chatCompleted' ? usageOf(c, final) : undefined,
		errorCode: final?.t === 'failed' ? String(final.code) : null,
		errorMsg: final?.t === 'failed' ? final.msg : null,
		debugUrl: debugUrlOf(c),
	});
	return {
		kind: 'custom',
		write: async (res: ServerResponse, rctx: RequestContext) => {
			const w = new SseWriter(res, rctx, { ...c.opts, pingBetween: false });
			w.begin(200, sseHeaders(c.dialect));
			const em = new SseEmitter(w, c.dialect === 'studio' ? 1 : null, false);
			for (const step of steps) {
				for (const e of format(c, step)) if (!(await em.emit(e.event, e.data))) return;
			}
			await w.finish();
		},
	};
}

// ---------------------------------------------------------------- steps and formatting

type ChatStep =
	| { t: 'created' }
	| { t: 'inProgress' }
	| { t: 'delta'; content: string }
	| { t: 'completed'; content: string }
	| { t: 'chatCompleted'; content: string; usage?: Usage }
	| { t: 'requiresAction' }
	| { t: 'failed'; code: number; msg: string; via: 'chatFailed' | 'errorEvent' }
	| { t: 'done' };

interface ChatCtx {
	state: EmulatorState;
	dialect: Dialect;
	workflowId: string;
	executeId: string;
	chatId: string;
	messageId: string;
	conv: Conversation;
	bizId: string;
	userText: string;
	opts: ChatOptions;
	createdAt: number;
}

/** Splits `text` into `n` (default 3) pieces on code-point boundaries; at most one piece per character. */
function split(text: string, n = 3): string[] {
	const cps = [...text];
	const k = Math.max(1, Math.min(n, cps.length));
	const out: string[] = [];
	for (let i = 0; i < k; i++) out.push(cps.slice(Math.floor((i * cps.length) / k), Math.floor(((i + 1) * cps.length) / k)).join(''));
	return out;
}

function answerSteps(text: string, chunks: number | undefined, usage: Usage | undefined): ChatStep[] {
	return [
		{ t: 'created' },
		{ t: 'inProgress' },
		...split(text, chunks).map((content): ChatStep => ({ t: 'delta', content })),
		{ t: 'completed', content: text },
		{ t: 'chatCompleted', content: text, usage },
		{ t: 'done' },
	];
}

function usageOf(c: ChatCtx, s: Extract<ChatStep, { t: 'chatCompleted' }>): Usage {
	if (s.usage) return s.usage;
	const input = [...c.userText].length;
	const output = [...s.content].length;
	return { input_count: input, output_count: output, token_count: input + output };
}

function debugUrlOf(c: ChatCtx): string {
	return c.dialect === 'cloud' ? cloudDebugUrl(c.executeId, c.workflowId) : studioDebugUrl(c.state, c.workflowId, SPACE_ID, c.executeId);
}

function doneData(c: ChatCtx): string {
	switch (c.opts.doneData ?? 'debugUrl') {
		case '[DONE]':
			return '[DONE]';
		case '"[DONE]"':
			return '"[DONE]"';
		case '{}':
			return '{}';
		case 'debugUrl': {
			const d = toJson({ debug_url: debugUrlOf(c) });
			return c.dialect === 'cloud' ? d.replace(/&/g, '\\u0026') : d;
		}
	}
}

function format(c: ChatCtx, s: ChatStep): Array<{ event: string; data: string }> {
	return c.dialect === 'cloud' ? formatCloud(c, s) : formatStudio(c, s);
}

function formatCloud(c: ChatCtx, s: ChatStep): Array<{ event: string; data: string }> {
	const now = Math.floor(Date.now() / 1000);
	const zero: Usage = { input_count: 0, output_count: 0, token_count: 0 };
	const chat = (status: string, extra: Record<string, unknown> = {}, lastError = { code: 0, msg: '' }, usage: Usage = zero): string =>
		toJson({
			id: c.chatId,
			conversation_id: c.conv.id,
			created_at: c.createdAt,
			...extra,
			last_error: lastError,
			status,
			usage: { token_count: usage.token_count, output_count: usage.output_count, input_count: usage.input_count },
			section_id: c.conv.sectionId,
		});
	const message = (content: string, extra: Record<string, unknown> = {}, id = c.messageId, type = 'answer'): string =>
		toJson({ id, conversation_id: c.conv.id, role: 'assistant', type, content, content_type: 'text', chat_id: c.chatId, section_id: c.conv.sectionId, ...extra });
	switch (s.t) {
		case 'created':
			return [{ event: 'conversation.chat.created', data: chat('created') }];
		case 'inProgress':
			return [{ event: 'conversation.chat.in_progress', data: chat('in_progress') }];
		case 'delta':
			return [{ event: 'conversation.message.delta', data: message(s.content) }];
		case 'completed':
			return [{ event: 'conversation.message.completed', data: message(s.content, { created_at: now }) }];
		case 'chatCompleted': {
			const verbose = toJson({ msg_type: 'generate_answer_finish', data: toJson({ finish_reason: 0, FinData: '' }), from_module: null, from_unit: null });
			return [
				{ event: 'conversation.message.completed', data: message(verbose, { created_at: now, updated_at: now }, c.state.ids.nextId(), 'verbose') },
				{ event: 'conversation.chat.completed', data: chat('completed', { completed_at: now }, undefined, usageOf(c, s)) },
			];
		}
		case 'requiresAction':
			return [{ event: 'conversation.chat.requires_action', data: chat('requires_action') }];
		case 'failed':
			if (s.via === 'errorEvent') return [{ event: 'error', data: toJson({ code: s.code, msg: s.msg }) }];
			return [{ event: 'conversation.chat.failed', data: chat('failed', { completed_at: now, failed_at: now }, { code: s.code, msg: s.msg }) }];
		case 'done':
			return [{ event: 'done', data: doneData(c) }];
	}
}

function formatStudio(c: ChatCtx, s: ChatStep): Array<{ event: string; data: string }> {
	/** ChatFlowDetail in its struct order; `after` goes between status and execute_id (usage, last_error). */
	const detail = (status: string, botId?: string, after: Record<string, unknown> = {}): string =>
		toJson({ id: c.chatId, conversation_id: c.conv.id, bot_id: botId, status, ...after, execute_id: c.executeId, section_id: c.conv.sectionId });
	const message = (content: string): string =>
		toJson({
			id: c.messageId,
			chat_id: c.chatId,
			conversation_id: c.conv.id,
			bot_id: c.bizId,
			role: 'assistant',
			type: 'answer',
			content,
			content_type: 'text',
			section_id: c.conv.sectionId,
		});
	switch (s.t) {
		case 'created':
			return [{ event: 'conversation.chat.created', data: detail('created') }];
		case 'inProgress':
			return [{ event: 'conversation.chat.in_progress', data: detail('in_progress') }];
		case 'delta':
			return [{ event: 'conversation.message.delta', data: message(s.content) }];
		case 'completed':
			return [{ event: 'conversation.message.completed', data: message(s.content) }];
		case 'chatCompleted': {
			const u = usageOf(c, s);
			// token_count = OutputTokens + OutputTokens: Studio's own arithmetic, reproduced on purpose.
			const usage = { token_count: u.output_count + u.output_count, output_count: u.output_count, input_count: u.input_count };
			return [{ event: 'conversation.chat.completed', data: detail('completed', c.bizId, { usage }) }];
		}
		case 'requiresAction':
			return [{ event: 'conversation.chat.requires_action', data: detail('requires_action') }];
		case 'failed':
			if (s.via === 'chatFailed') {
				return [{ event: 'conversation.chat.failed', data: detail('failed', undefined, { last_error: { code: s.code, msg: s.msg } }) }];
			}
			return [{ event: 'error', data: toJson({ code: String(s.code), msg: s.msg, debug_url: debugUrlOf(c) }) }];
		case 'done':
			return [{ event: 'done', data: doneData(c) }];
	}
}

// ---------------------------------------------------------------- validation

function newConversation(state: EmulatorState, id = state.ids.nextId()): Conversation {
	const existing = state.conversations.get(id);
	if (existing) return existing;
	const conv: Conversation = { id, sectionId: id };
	state.conversations.set(id, conv);
	return conv;
}

function lastUser(messages: unknown[]): Record<string, unknown> | undefined {
	const last = messages[messages.length - 1];
	return isJsonObject(last) ? last : undefined;
}

function cloudValidateChat(ctx: RequestContext): { req: ChatRequest } | { reply: Reply } {
	const { logId, state } = ctx;
	const bad = { reply: cloudBadRequest(logId) };
	const b = ctx.recorded.body;
	if (!isJsonObject(b)) return bad;
	const wf = b.workflow_id;
	if (typeof wf !== 'string' || wf === '') return bad;
	const msgs = b.additional_messages;
	if (!Array.isArray(msgs) || msgs.length === 0) return bad;
	if (msgs.length > 50) return { reply: cloudError(logId, 4004, 'additional_messages exceeds the limit of 50 messages') }; // ASSUMPTION: msg text
	for (const m of msgs) if (!isJsonObject(m) || typeof m.role !== 'string' || typeof m.content !== 'string') return bad;
	const last = lastUser(msgs);
	if (!last || last.role !== 'user') return bad;
	const params = b.parameters;
	if (params !== undefined && params !== null && !isJsonObject(params)) return bad;
	const has = (k: string): boolean => typeof b[k] === 'string' && b[k] !== '';
	if (has('bot_id') === has('app_id')) return bad; // neither or both
	let conv: Conversation;
	if (b.conversation_id !== undefined && b.conversation_id !== null && b.conversation_id !== '') {
		if (typeof b.conversation_id !== 'string' || !/^\d+$/.test(b.conversation_id)) return { reply: cloudError(logId, 4002, 'Invalid conversation id') }; // ASSUMPTION: msg text
		conv = newConversation(state, b.conversation_id);
	} else {
		conv = newConversation(state);
	}
	const botId = has('bot_id') ? (b.bot_id as string) : undefined;
	return {
		req: {
			workflowId: wf,
			userText: last.content as string,
			parameters: params ?? {},
			conversation: conv,
			bizId: botId ?? (b.app_id as string),
			botId,
		},
	};
}

const STUDIO_CHAT_STRINGS = ['workflow_id', 'parameters', 'bot_id', 'execute_mode', 'version', 'connector_id', 'app_id', 'conversation_id', 'project_id'];

function studioValidateChat(ctx: RequestContext): { req: ChatRequest } | { reply: Reply } {
	const { state } = ctx;
	const pre = studioPreprocess(ctx);
	if ('reply' in pre) return pre;
	const raw = ctx.recorded.rawBody;
	const b: Record<string, unknown> = isJsonContentType(ctx) ? pre.body : {};
	const bad = studioBindStrings(raw, b, STUDIO_CHAT_STRINGS) ?? studioBindExt(raw, b);
	if (bad) return { reply: bad };
	const msgsRaw = b.additional_messages;
	if (msgsRaw !== undefined && msgsRaw !== null && !Array.isArray(msgsRaw)) return { reply: bindMismatch(raw, 'additional_messages', '[]*workflow.EnterMessage', msgsRaw) };
	const msgs: unknown[] = Array.isArray(msgsRaw) ? msgsRaw : [];
	for (const m of msgs) {
		if (m === null) continue;
		if (!isJsonObject(m)) return { reply: bindMismatch(raw, 'additional_messages', 'workflow.EnterMessage', m) };
		const e = studioBindStrings(raw, m, ['role', 'content', 'content_type', 'type']);
		if (e) return { reply: e };
	}

	const fail = (cause: string): { reply: Reply } => ({ reply: studioPreStreamError(state, STUDIO_ERR.operationFail, STUDIO_MSG.operationFail(cause)) });
	if (msgs.length === 0) return fail('additional_messages is requird');
	const last = lastUser(msgs) ?? {};
	if (last.role !== 'user') return fail('the role of the last day message must be user');
	let parameters: Record<string, unknown> = {};
	if (typeof b.parameters === 'string' && b.parameters.length > 0) {
		let p: unknown;
		try {
			p = JSON.parse(b.parameters);
		} catch {
			return fail('Syntax error at index 0: invalid char'); // ASSUMPTION: sonic's wording, as in run.ts
		}
		if (p !== null && !isJsonObject(p)) return fail(`Mismatch type map[string]interface {} with value ${jsonTypeName(p)}`);
		parameters = p ?? {};
	}
	const str = (k: string): string | undefined => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
	const workflowId = str('workflow_id') ?? '';
	for (const v of [workflowId, str('connector_id') || undefined, str('app_id'), str('bot_id')]) {
		if (v === undefined) continue;
		const panic = mustParseInt64Cause(v);
		if (panic) return fail(panic);
	}
	const appId = str('app_id');
	const botId = str('bot_id');
	if (appId !== undefined && botId !== undefined) return fail('project_id and bot_id cannot be set at the same time');

	let conv: Conversation;
	const convId = str('conversation_id');
	if (convId !== undefined) {
		const panic = mustParseInt64Cause(convId);
		if (panic) return fail(panic);
		const id = BigInt(convId).toString();
		if (botId === undefined && !state.conversations.has(id)) return fail('conversation not found');
		conv = newConversation(state, id);
	} else {
		const name = parameters.CONVERSATION_NAME;
		if (typeof name !== 'string') return fail('conversation name is requried');
		const known = state.conversationNames.get(name);
		conv = newConversation(state, known);
		state.conversationNames.set(name, conv.id);
	}
	const ct = typeof last.content_type === 'string' ? last.content_type : '';
	if (ct !== 'text' && ct !== 'object_string') return fail(`invalid message content type ${ct}`);
	return {
		req: {
			workflowId,
			userText: typeof last.content === 'string' ? last.content : '',
			parameters,
			conversation: conv,
			bizId: botId ?? appId ?? '0',
			botId,
		},
	};
}
