/**
 * `POST /v1/workflow/stream_run` and `POST /v1/workflow/stream_resume` in both dialects
 * (coze-api.md §2.3, §2.4, §5.2, §7.4).
 *
 * Order of work: (auth, dispatch.ts) → the workflow's StreamScenario → the same body validation as
 * /v1/workflow/run (run.ts) → pre-stream failures as JSON → the SSE response, written lazily event
 * by event through sse.ts (chunking, line ending, PINGs, pacing). All run state (execution status,
 * open interrupt) is settled when the request is accepted, before the first byte is streamed.
 *
 * Wire shapes:
 * - ids `0, 1, …` per response (a resume starts again at 0); node_seq_id counts per node from 0.
 * - cloud Message keys in sorted order as captured [PY:tests/testdata/workflow_run_stream_resp.txt]:
 *   content, content_type, (End: cost) node_id, node_is_finish, node_seq_id, node_title, (End: token,
 *   usage). ASSUMPTION: node_id values `900001` (End, as Studio) / `1…` and no node_execute_uuid.
 * - Studio = its streamRunData struct order [ST:backend/api/handler/coze/workflow_service.go]:
 *   content, content_type, node_seq_id, node_id, node_is_finish, node_type, node_title, token (only
 *   when the node reports usage: the End message here), debug_url, error_code, error_message,
 *   interrupt_data. So Studio's Interrupt has NO node_title, and Done/Error/Interrupt carry debug_url
 *   [ST:backend/application/workflow/workflow.go convertStreamRunEvent].
 * - `Done`: cloud `{}` as in the doc example (the doc table says it carries the debug URL: option
 *   `doneDebugUrl`); Studio `{"debug_url":"…"}`. No `Done` after an Interrupt or an Error.
 * - Interrupt event ids are `<execute_id>/<19-digit interrupt id>` on both. Interrupt `data`: cloud
 *   `""` (doc example); Studio the question node's interrupt data
 *   `{"messages":[{"type":"question","content_type":"text","content":"<q>","id":"<node>_0"}]}`
 *   [ST:backend/domain/workflow/internal/nodes/qa/question_answer.go]. ASSUMPTION: both send the
 *   question as a Message of the question node before the Interrupt (the doc example does).
 * - Headers: Studio `text/event-stream; charset=utf-8`, Cache-Control no-cache, Connection
 *   keep-alive, Access-Control-Allow-Origin * (its handler); cloud ASSUMPTION `text/event-stream`
 *   + Cache-Control no-cache.
 *
 * Pre-stream failures:
 * - cloud: HTTP 200 `application/json` `{code,msg,detail}` (4000 bad body, 4200 unpublished).
 * - Studio: binding failures are HTTP 400 JSON (before the SSE writer exists); application errors
 *   come after the handler created the SSE writer: HTTP 200 `{code,msg}` with the INTERNAL code
 *   (720702011 unpublished, 720702001 bad parameters, 720701013 panics / resume failures), chunked
 *   like every Hertz SSE response. Content type: Hertz's JSON render sets `application/json;
 *   charset=utf-8` over the event-stream type the handler had set [hertz pkg/app/server/render/
 *   render.go writeContentType], but coze-api.md §5.2 leaves it UNCERTAIN, so it is configurable
 *   (`studioPreStreamContentType`).
 */
import type { ServerResponse } from 'node:http';

import type { EmulatorState, Reply, RequestContext, StreamRun } from './core';
import { cloudBadRequest, cloudBody, cloudDebugUrl, cloudError, studioDebugUrl, ZERO_USAGE } from './dialect';
import { rememberExecution, updateExecution } from './executions';
import { SPACE_ID } from './ids';
import { isJsonObject, toJson } from './json';
import {
	bindMismatch,
	bodyWorkflowId,
	CLOUD_UNPUBLISHED_MSG,
	cloudValidateRun,
	echoPayload,
	isJsonContentType,
	mustParseInt64Cause,
	sonicSyntaxError,
	STUDIO_ERR,
	STUDIO_MSG,
	studioBindExt,
	studioBindStrings,
	studioParseRun,
} from './run';
import { SseEmitter, SseWriter } from './sse';
import type { Dialect, StreamOptions, StreamScenario, Usage } from './types';

export const STREAM_RUN_PATH = '/v1/workflow/stream_run';
export const STREAM_RESUME_PATH = '/v1/workflow/stream_resume';

/** "at most 3 resumes (3 unsatisfying answers ⇒ workflow fails)" [DOC:workflow_resume]. */
export const MAX_RESUMES = 3;
/** ASSUMPTION: code and text of the failure after too many resumes (undocumented). */
export const RESUME_LIMIT_ERROR = { code: 720701013, message: `Workflow execution failure: the workflow was resumed ${MAX_RESUMES} times without completing` };
/** ASSUMPTION: msg of cloud's 4315 "execution already finished, cannot resume" (§5.1 gives only the meaning). */
export const CLOUD_FINISHED_MSG = 'The workflow execution has already finished and cannot be resumed.';
/** ASSUMPTION: msg of cloud's 4314 for resume. */
export const CLOUD_NO_EVENT_MSG = 'The execution record does not exist. Please check the workflow_id and event_id.';

// ---------------------------------------------------------------- steps

interface Node {
	title: string;
	id: string;
	/** Studio node_type (GetDisplayKey). */
	type: 'End' | 'Message' | 'Question';
}

const END_NODE: Node = { title: 'End', id: '900001', type: 'End' };
const outputNode = (title: string, i: number): Node => ({ title, id: String(135271 + 1000 * i), type: 'Message' });
const questionNode = (title: string): Node => ({ title, id: '170425', type: 'Question' });

type Step =
	| { t: 'message'; node: Node; content: string; seq: number; finish: boolean; usage?: Usage }
	| { t: 'error'; code: number; message: string }
	| { t: 'plainError'; text: string }
	| { t: 'interrupt'; eventId: string; type: number; data: string; nodeTitle: string }
	| { t: 'done' }
	| { t: 'verbatim'; event: string; data: string };

/** Per-response context for formatting. */
interface StreamCtx {
	state: EmulatorState;
	dialect: Dialect;
	executeId: string;
	workflowId: string;
	opts: StreamOptions;
}

function debugUrlOf(c: StreamCtx): string {
	return c.dialect === 'cloud' ? cloudDebugUrl(c.executeId, c.workflowId) : studioDebugUrl(c.state, c.workflowId, SPACE_ID, c.executeId);
}

/** SSE event name + data text of a step. */
function format(c: StreamCtx, step: Step): { event: string; data: string; noId?: boolean } {
	const cloud = c.dialect === 'cloud';
	switch (step.t) {
		case 'message': {
			const end = step.node.type === 'End';
			const usage = step.usage ?? ZERO_USAGE;
			const o: Record<string, unknown> = { content: step.content, content_type: 'text' };
			if (cloud) {
				if (end) o.cost = '0';
				o.node_id = step.node.id;
				o.node_is_finish = step.finish;
				o.node_seq_id = String(step.seq);
				o.node_title = step.node.title;
				if (end) {
					o.token = usage.token_count;
					o.usage = usage;
				}
			} else {
				o.node_seq_id = String(step.seq);
				o.node_id = step.node.id;
				o.node_is_finish = step.finish;
				o.node_type = step.node.type;
				o.node_title = step.node.title;
				if (end) o.token = usage.input_count + usage.output_count;
			}
			return { event: 'Message', data: toJson(o) };
		}
		case 'error':
			return {
				event: 'Error',
				data: toJson(
					cloud
						? { error_code: step.code, error_message: step.message }
						: { debug_url: debugUrlOf(c), error_code: step.code, error_message: step.message },
				),
			};
		case 'plainError':
			return { event: 'error', data: step.text, noId: true };
		case 'interrupt':
			return {
				event: 'Interrupt',
				data: toJson(
					cloud
						? { interrupt_data: { data: step.data, event_id: step.eventId, type: step.type }, node_title: step.nodeTitle }
						: { debug_url: debugUrlOf(c), interrupt_data: { event_id: step.eventId, type: step.type, data: step.data } },
				),
			};
		case 'done':
			return { event: 'Done', data: cloud && !c.opts.doneDebugUrl ? '{}' : toJson({ debug_url: debugUrlOf(c) }) };
		case 'verbatim':
			return { event: step.event, data: step.data };
	}
}

const outputText = (v: unknown): string => (typeof v === 'string' ? v : toJson(v));

const DEFAULT_MESSAGES = [{ node_title: 'Message', chunks: ['工作流', '正在运行…'] }];

function* resultSteps(s: Extract<StreamScenario, { kind: 'result' }>, echo: () => unknown): Generator<Step> {
	const messages = s.messages ?? DEFAULT_MESSAGES;
	for (let i = 0; i < messages.length; i++) {
		const m = messages[i];
		for (let j = 0; j < m.chunks.length; j++) {
			yield { t: 'message', node: outputNode(m.node_title, i), content: m.chunks[j], seq: j, finish: j === m.chunks.length - 1 };
		}
	}
	yield { t: 'message', node: END_NODE, content: outputText(s.output === undefined ? echo() : s.output), seq: 0, finish: true, usage: s.usage ?? ZERO_USAGE };
	yield { t: 'done' };
}

/** `afterMessages` chunks of an Output node that never finishes. */
function* partialMessages(n: number): Generator<Step> {
	const node = outputNode('Message', 0);
	for (let i = 0; i < n; i++) yield { t: 'message', node, content: `部分 ${i} `, seq: i, finish: false };
}

/** An Output node that streams forever (truncated / stall stop it). */
function* endless(): Generator<Step> {
	const node = outputNode('Message', 0);
	for (let i = 0; ; i++) yield { t: 'message', node, content: `chunk ${i} 数据；`, seq: i, finish: false };
}

function* manySteps(s: Extract<StreamScenario, { kind: 'many' }>): Generator<Step> {
	const node = outputNode('Message', 0);
	for (let i = 0; i < s.count; i++) {
		yield { t: 'message', node, content: s.chunkText ?? `chunk ${i} 数据；`, seq: i, finish: i === s.count - 1 };
	}
	yield { t: 'message', node: END_NODE, content: toJson({ count: s.count }), seq: 0, finish: true, usage: ZERO_USAGE };
	yield { t: 'done' };
}

/** The question with index `k` (message + interrupt); opens a new interrupt on the run. */
function questionSteps(c: StreamCtx, run: StreamRun, k: number): Step[] {
	const title = run.scenario.nodeTitle ?? '问答';
	const node = questionNode(title);
	const question = run.scenario.questions[k];
	const eventId = `${run.executeId}/${c.state.ids.nextId()}`;
	run.openEventId = eventId;
	const data =
		c.dialect === 'cloud'
			? ''
			: toJson({ messages: [{ type: 'question', content_type: 'text', content: question, id: `${node.id}_0` }] });
	return [
		{ t: 'message', node, content: question, seq: 0, finish: true },
		{ t: 'interrupt', eventId, type: 2, data, nodeTitle: title },
	];
}

/** The steps after `run` received its latest answer (or of the first stream when no answer yet); settles run + execution state. */
function questionsContinuation(c: StreamCtx, run: StreamRun): Step[] {
	const k = run.answers.length;
	const n = run.scenario.questions.length;
	if (k < n) {
		if (run.resumes >= MAX_RESUMES) {
			run.openEventId = undefined;
			updateExecution(c.state, run.executeId, { status: 'Fail', errorCode: String(RESUME_LIMIT_ERROR.code), errorMsg: RESUME_LIMIT_ERROR.message });
			return [{ t: 'error', code: RESUME_LIMIT_ERROR.code, message: RESUME_LIMIT_ERROR.message }];
		}
		updateExecution(c.state, run.executeId, { status: '<UNSET>' });
		return questionSteps(c, run, k);
	}
	run.openEventId = undefined;
	const output = outputText(run.scenario.output === undefined ? { answers: run.answers } : run.scenario.output);
	updateExecution(c.state, run.executeId, { status: 'Success', output });
	return [
		{ t: 'message', node: END_NODE, content: output, seq: 0, finish: true, usage: ZERO_USAGE },
		{ t: 'done' },
	];
}

// ---------------------------------------------------------------- writing

export function sseHeaders(dialect: Dialect): Record<string, string> {
	return dialect === 'cloud'
		? { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' }
		: {
				'Content-Type': 'text/event-stream; charset=utf-8',
				'Cache-Control': 'no-cache',
				Connection: 'keep-alive',
				'Access-Control-Allow-Origin': '*',
			};
}

interface Limit {
	after: number;
	then: 'truncate' | 'stall';
}

function streamReply(c: StreamCtx, steps: Iterable<Step>, limit?: Limit): Reply {
	return {
		kind: 'custom',
		write: async (res: ServerResponse, ctx: RequestContext) => {
			const w = new SseWriter(res, ctx, c.opts);
			w.begin(200, sseHeaders(c.dialect));
			const em = new SseEmitter(w, 0, c.opts.pingBetween ?? false);
			for (const step of steps) {
				if (limit && em.count >= limit.after) break;
				const f = format(c, step);
				if (!(await em.emit(f.event, f.data, f.noId))) return; // client gone / emulator closing
			}
			if (limit?.then === 'stall') await w.stall();
			else await w.finish();
		},
	};
}

/** Studio's HTTP 200 `{code,msg}` after the SSE writer was created (chunked; content type configurable). */
export function studioPreStreamError(state: EmulatorState, code: number, msg: string, contentType?: string): Reply {
	const ct = contentType ?? `${state.studioPreStreamContentType}; charset=utf-8`;
	return {
		kind: 'custom',
		write: (res: ServerResponse) => {
			res.writeHead(200, { ...sseHeaders('studio'), 'Content-Type': ct });
			res.write(toJson({ code, msg }));
			res.end();
		},
	};
}

function cloudJson(logId: string, code: number, msg: string, contentType = 'application/json; charset=utf-8'): Reply {
	return { kind: 'raw', status: 200, body: toJson(cloudBody(logId, { code, msg })), contentType };
}

// ---------------------------------------------------------------- stream_run

export function streamScenarioOf(state: EmulatorState, workflowId: string | undefined): StreamScenario {
	return (workflowId !== undefined ? state.streamScenarios.get(workflowId) : undefined) ?? { kind: 'result' };
}

type LiveScenario = Exclude<StreamScenario, { kind: 'unpublished' } | { kind: 'jsonInsteadOfStream' }>;

export function streamRunHandler(ctx: RequestContext): Reply {
	const { state } = ctx;
	const dialect = state.dialect;
	const scenario = streamScenarioOf(state, bodyWorkflowId(ctx.recorded.body));

	let workflowId: string;
	let parameters: Record<string, unknown>;
	let body: Record<string, unknown>;
	let botId: string | undefined;
	if (dialect === 'cloud') {
		const v = cloudValidateRun(ctx);
		if ('reply' in v) return v.reply;
		if (scenario.kind === 'unpublished') return cloudError(ctx.logId, 4200, CLOUD_UNPUBLISHED_MSG);
		if (scenario.kind === 'jsonInsteadOfStream') return cloudJson(ctx.logId, scenario.code, scenario.msg, scenario.contentType);
		({ workflowId, parameters, body } = v.req);
		botId = typeof body.bot_id === 'string' && body.bot_id !== '' ? body.bot_id : undefined;
	} else {
		const p = studioParseRun(ctx, scenario.kind === 'unpublished');
		if ('reply' in p) return p.reply;
		if ('fail' in p) return studioPreStreamError(state, p.fail.code, p.fail.msg);
		if (scenario.kind === 'jsonInsteadOfStream') return studioPreStreamError(state, scenario.code, scenario.msg, scenario.contentType);
		({ workflowId, parameters, bound: body, botId } = p.req);
	}
	const s = scenario as LiveScenario; // both branches returned for the two pre-stream kinds

	const executeId = state.ids.nextExecuteId();
	const c: StreamCtx = { state, dialect, executeId, workflowId, opts: s };
	rememberExecution(state, ctx, { executeId, workflowId, runMode: 1, botId, parameters, status: 'Running', debugUrl: debugUrlOf(c) });
	const fail = (code: number, message: string): void =>
		updateExecution(state, executeId, { status: 'Fail', errorCode: String(code), errorMsg: message });

	switch (s.kind) {
		case 'result': {
			const echo = (): unknown => echoPayload(dialect, body, parameters);
			updateExecution(state, executeId, { status: 'Success', output: outputText(s.output === undefined ? echo() : s.output), usage: s.usage });
			return streamReply(c, resultSteps(s, echo));
		}
		case 'questions': {
			const run: StreamRun = { executeId, workflowId, scenario: s, answers: [], resumes: 0 };
			state.streamRuns.set(executeId, run);
			return streamReply(c, questionsContinuation(c, run));
		}
		case 'errorEvent':
			fail(s.code, s.message);
			return streamReply(c, [...partialMessages(s.afterMessages ?? 0), { t: 'error', code: s.code, message: s.message }]);
		case 'studioPlainError':
			fail(500, s.text);
			return streamReply(c, [...partialMessages(s.afterMessages ?? 0), { t: 'plainError', text: s.text }]);
		case 'truncated':
			return streamReply(c, endless(), { after: s.afterEvents, then: 'truncate' });
		case 'stall':
			return streamReply(c, endless(), { after: s.afterEvents, then: 'stall' });
		case 'many':
			updateExecution(state, executeId, { status: 'Success', output: toJson({ count: s.count }) });
			return streamReply(c, manySteps(s));
		case 'garbledMessage':
			updateExecution(state, executeId, { status: 'Success', output: '' });
			return streamReply(c, [{ t: 'verbatim', event: 'Message', data: s.data }, { t: 'done' }]);
	}
}

// ---------------------------------------------------------------- stream_resume

/** Studio's numeric status in "is not interrupted, status is %v" (WorkflowExecuteStatus has no String method). */
const STUDIO_STATUS_NUMBER: Record<string, number> = { Running: 1, Success: 2, Fail: 3, Cancel: 4, '<UNSET>': 5 };

/**
 * cloud: body checks → 4000 (ASSUMPTION: workflow_id / event_id non-empty strings, interrupt_type an
 * integer, resume_data a string); event_id not `<execute_id>/<n>` of a stream run of this workflow →
 * 4314; the run is not waiting at exactly this interrupt (finished, failed, or an older event id) →
 * 4315. All HTTP 200 JSON (ASSUMPTION, like every cloud business error).
 *
 * Studio [ST:backend/application/workflow/workflow.go OpenAPIStreamResume, backend/domain/workflow/
 * service/executable_impl.go StreamResume]: no preprocessing; binding failures → HTTP 400; then
 * (every error wrapped into 720701013 "Workflow execution failure: <root cause>", sent as pre-stream
 * JSON): event_id not exactly two `/`-separated parts → "invalid event id when stream resume: <id>";
 * a part that is not an int64 → the root cause of the strconv error, "invalid syntax" / "value out
 * of range"; workflow_id through mustParseInt64 (panic); unknown execution → "workflow execution does
 * not exist, id: <n>"; not interrupted → "workflow execution <n> is not interrupted, status is <n>,
 * cannot resume". ASSUMPTION: Studio does not compare the interrupt part of the event id nor the
 * workflow_id with the execution (its application layer does not), so neither does the emulator.
 */
export function streamResumeHandler(ctx: RequestContext): Reply {
	const { state } = ctx;
	const dialect = state.dialect;
	const raw = ctx.recorded.rawBody;
	let run: StreamRun | undefined;
	let resumeData: string;

	if (dialect === 'cloud') {
		const b = ctx.recorded.body;
		if (!isJsonObject(b)) return cloudBadRequest(ctx.logId);
		const { workflow_id: wf, event_id: ev, interrupt_type: it, resume_data: rd } = b;
		if (typeof wf !== 'string' || wf === '' || typeof ev !== 'string' || ev === '' || typeof rd !== 'string' || !Number.isInteger(it)) {
			return cloudBadRequest(ctx.logId);
		}
		const m = /^(\d+)\/(\d+)$/.exec(ev);
		const exe = m ? state.executions.get(m[1]) : undefined;
		if (!m || !exe || exe.workflowId !== wf) return cloudError(ctx.logId, 4314, CLOUD_NO_EVENT_MSG);
		run = state.streamRuns.get(m[1]);
		if (!run || run.openEventId !== ev) return cloudError(ctx.logId, 4315, CLOUD_FINISHED_MSG);
		resumeData = rd;
	} else {
		let b: Record<string, unknown> = {};
		if (isJsonContentType(ctx) && raw.trim() !== '') {
			let parsed: unknown;
			try {
				parsed = JSON.parse(raw);
			} catch (e) {
				return studioPlain400(sonicSyntaxError(raw, e));
			}
			if (!isJsonObject(parsed)) return studioPlain400(`Mismatch type workflow.OpenAPIStreamResumeFlowRequest with value ${Array.isArray(parsed) ? 'array' : typeof parsed}`);
			b = parsed;
		}
		const bad = studioBindStrings(raw, b, ['event_id', 'resume_data', 'workflow_id', 'connector_id']) ?? studioBindExt(raw, b);
		if (bad) return bad;
		if (b.interrupt_type !== undefined && b.interrupt_type !== null && !Number.isInteger(b.interrupt_type)) {
			return bindMismatch(raw, 'interrupt_type', 'int64', b.interrupt_type);
		}
		const fail = (cause: string): Reply => studioPreStreamError(state, STUDIO_ERR.executeFail, STUDIO_MSG.executeFail(cause));
		const eventId = typeof b.event_id === 'string' ? b.event_id : '';
		const parts = eventId.split('/');
		if (parts.length !== 2) return fail(`invalid event id when stream resume: ${eventId}`);
		for (const part of parts) {
			const why = mustParseInt64Cause(part);
			if (why) return fail(/^[+-]?\d+$/.test(part) ? 'value out of range' : 'invalid syntax');
		}
		const panic = mustParseInt64Cause(typeof b.workflow_id === 'string' ? b.workflow_id : '');
		if (panic) return fail(panic);
		const executeId = BigInt(parts[0]).toString();
		const exe = state.executions.get(executeId);
		if (!exe) return fail(`workflow execution does not exist, id: ${executeId}`);
		run = state.streamRuns.get(executeId);
		if (!run || run.openEventId === undefined) {
			return fail(`workflow execution ${executeId} is not interrupted, status is ${STUDIO_STATUS_NUMBER[exe.status] ?? 0}, cannot resume`);
		}
		resumeData = typeof b.resume_data === 'string' ? b.resume_data : '';
	}

	run.answers.push(resumeData);
	run.resumes++;
	const c: StreamCtx = { state, dialect, executeId: run.executeId, workflowId: run.workflowId, opts: run.scenario };
	return streamReply(c, questionsContinuation(c, run));
}

function studioPlain400(msg: string): Reply {
	return { kind: 'json', status: 400, body: { code: 400, msg } };
}
