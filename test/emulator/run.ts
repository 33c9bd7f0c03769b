/**
 * `POST /v1/workflow/run` (sync and async run) in both dialects (coze-api.md §2.1, §2.2, §5, §6, §7).
 *
 * Order of work, for both dialects: (auth, done by dispatch.ts) → look up the scenario of the
 * body's workflow_id → `delay` waits → transport faults (`html`, `empty`, `malformed`, `hang`,
 * `drop`, `redirect`) answer without validating anything (they model a proxy / the network) → request
 * validation as the real server does it → the business answer. With `is_async: true` the business
 * answer comes from the workflow's AsyncScenario instead (an `unpublished` RunScenario still wins).
 *
 * The request parsing of both dialects is exported: stream.ts (stream_run) validates the same body.
 */
import { countRun } from './accounting';
import { BIG_JSON_DATA, bigJsonReply, bigJsonText } from './bigjson';
import type { EmulatorState, FinalState, Reply, RequestContext } from './core';
import { json } from './core';
import {
	cloudBadRequest,
	cloudBody,
	cloudDebugUrl,
	cloudError,
	cloudOk,
	goPanicMessage,
	nginxErrorPage,
	parseIntError,
	studioDebugUrl,
	studioPlain,
	studioRunBody,
	studioRunError,
	studioZeroDebugUrl,
	ZERO_USAGE,
} from './dialect';
import type { NewExecution } from './executions';
import { rememberExecution } from './executions';
import { parseInt64Error, SPACE_ID } from './ids';
import { isJsonObject, jsonTypeName, toJson } from './json';
import type { AsyncScenario, Dialect, RunScenario, Usage } from './types';

export const RUN_PATH = '/v1/workflow/run';

/** Workflow ids without a configured scenario get this. */
const ECHO: RunScenario = { kind: 'echo' };

/** The workflow_id named by a recorded body, if it is a string. */
export function bodyWorkflowId(body: unknown): string | undefined {
	if (!isJsonObject(body)) return undefined;
	const id = body.workflow_id;
	return typeof id === 'string' ? id : undefined;
}

export async function runHandler(ctx: RequestContext): Promise<Reply> {
	const { state } = ctx;
	const workflowId = bodyWorkflowId(ctx.recorded.body);
	const resolved = await resolveRunScenario(ctx, (workflowId !== undefined ? state.runScenarios.get(workflowId) : undefined) ?? ECHO);
	if ('reply' in resolved) return resolved.reply;
	return state.dialect === 'cloud' ? cloudRun(ctx, resolved.s) : studioRun(ctx, resolved.s);
}

/** Waits out `delay`s and answers transport faults; otherwise hands back the business scenario. */
export async function resolveRunScenario(ctx: RequestContext, scenario: RunScenario): Promise<{ s: RunScenario } | { reply: Reply }> {
	let s = scenario;
	while (s.kind === 'delay') {
		if (!(await ctx.sleep(s.ms))) return { reply: { kind: 'hang' } }; // closed meanwhile: nothing to answer
		s = s.then;
	}
	const fault = transportFault(ctx.state.dialect, s);
	return fault ? { reply: fault } : { s };
}

function transportFault(dialect: Dialect, s: RunScenario): Reply | undefined {
	switch (s.kind) {
		case 'html':
			return nginxErrorPage(s.status);
		case 'empty':
			return { kind: 'raw', status: s.status, body: '' };
		case 'verbatim':
			return { kind: 'raw', status: s.status, body: s.body, ...(s.contentType ? { contentType: s.contentType } : {}) };
		case 'malformed':
			return malformedReply(dialect);
		case 'hang':
			return { kind: 'hang' };
		case 'drop':
			return { kind: 'drop' };
		case 'redirect':
			// Status default 307 (keeps POST + body); empty body; no log id (a gateway's answer, ASSUMPTION).
			return { kind: 'raw', status: s.status ?? 307, body: '', headers: { Location: s.to }, noLogId: true };
		default:
			return undefined;
	}
}

/** A complete success envelope of the dialect (a sync run's answer), used by the malformed answers. */
export function successEnvelopeText(dialect: Dialect): string {
	return dialect === 'cloud'
		? '{"code":0,"msg":"","data":"{\\"output\\":\\"这是一个被截断的回答\\"}","debug_url":"https://www.coze.cn/work_flow?execute_id=7560000000000000000","usage":{"input_count":1,"output_count":2,"token_count":3}}'
		: '{"code":0,"msg":null,"data":"{\\"output\\":\\"这是一个被截断的回答\\"}","token":0,"cost":"0.00000","debug_url":"http://127.0.0.1/work_flow","execute_id":"7560000000000000000","BaseResp":null}';
}

/** HTTP 200, JSON content type, the success envelope cut at a character boundary in the middle of `data`: valid UTF-8, invalid JSON. */
export function malformedReply(dialect: Dialect): Reply {
	return { kind: 'raw', status: 200, body: successEnvelopeText(dialect).slice(0, 40), contentType: 'application/json; charset=utf-8' };
}

/** What the echo scenario's `data` describes: the run request as the server understood it. */
export function echoPayload(dialect: Dialect, body: Record<string, unknown>, parameters: unknown): Record<string, unknown> {
	const out: Record<string, unknown> = { parameters, workflow_id: body.workflow_id };
	const versionField = dialect === 'cloud' ? 'workflow_version' : 'version';
	for (const k of ['bot_id', 'app_id', 'ext', versionField, 'connector_id']) {
		if (body[k] !== undefined && body[k] !== null) out[k] = body[k];
	}
	return out;
}

/** `data` string + usage for the successful scenario kinds. */
function successData(
	dialect: Dialect,
	s: RunScenario,
	body: Record<string, unknown>,
	parameters: unknown,
): { data: string; rawOutput: string; usage: Usage; textMode: boolean } | undefined {
	switch (s.kind) {
		case 'echo': {
			const data = toJson(echoPayload(dialect, body, parameters));
			return { data, rawOutput: data, usage: ZERO_USAGE, textMode: false };
		}
		case 'json': {
			const data = toJson(s.data);
			return { data, rawOutput: data, usage: s.usage ?? ZERO_USAGE, textMode: false };
		}
		case 'rawData':
			return { data: s.data, rawOutput: s.data, usage: ZERO_USAGE, textMode: false };
		case 'text':
			// Studio answers a text-mode End node with the text itself [ST:domain/workflow/internal/execute/event_handle.go
			// ~42-53, service/executable_impl.go; coze-api.md §9.5]. cloud wraps it; key order is Go's
			// sorted map order: content_type, data, type_for_model (§2.1).
			if (dialect === 'studio') return { data: s.text, rawOutput: s.text, usage: ZERO_USAGE, textMode: true };
			return { data: toJson({ content_type: 1, data: s.text, type_for_model: 2 }), rawOutput: s.text, usage: ZERO_USAGE, textMode: true };
		default:
			return undefined;
	}
}

function isSet(v: unknown): boolean {
	return v !== undefined && v !== null && v !== '';
}

/** The final state an async scenario reaches and after how many `Running` polls. */
export function asyncPlan(
	s: AsyncScenario,
	echo: () => unknown,
	executeId = '',
): { runningPolls: number; final: FinalState; usage: Usage; textMode: boolean } {
	const out = (v: unknown): string => (typeof v === 'string' ? v : toJson(v));
	switch (s.kind) {
		case 'pause':
			return {
				runningPolls: s.pollsUntilDone,
				final: {
					status: '<UNSET>',
					output: null,
					errorCode: null,
					errorMsg: null,
					pause: {
						// `<execute_id>/<interrupt id>`, as in a stream's Interrupt event (coze-api.md §2.4).
						eventId: `${executeId}/${BigInt(executeId || '0') + 1n}`,
						type: s.interruptType ?? 2,
						question: s.question ?? 'Which city?',
						cloudStatus: s.cloudStatus ?? 'Running',
					},
				},
				usage: ZERO_USAGE,
				textMode: false,
			};
		case 'complete':
			return {
				runningPolls: s.pollsUntilDone,
				final: { status: 'Success', output: out(s.output === undefined ? echo() : s.output), errorCode: null, errorMsg: null },
				usage: s.usage ?? ZERO_USAGE,
				textMode: s.textMode ?? false,
			};
		case 'fail':
			return {
				runningPolls: s.pollsUntilDone,
				final: { status: 'Fail', output: null, errorCode: String(s.errorCode), errorMsg: s.errorMessage },
				usage: ZERO_USAGE,
				textMode: false,
			};
		case 'cancel':
			return {
				runningPolls: s.pollsUntilDone,
				final: { status: 'Cancel', output: null, errorCode: '777777777', errorMsg: 'workflow cancel by user' },
				usage: ZERO_USAGE,
				textMode: false,
			};
		case 'neverFinishes':
			return {
				runningPolls: Number.POSITIVE_INFINITY,
				final: { status: 'Success', output: null, errorCode: null, errorMsg: null },
				usage: ZERO_USAGE,
				textMode: false,
			};
		case 'premiumRequired': // studio (not plan-gated): the default plan
			return asyncPlan({ kind: 'complete', pollsUntilDone: 2 }, echo);
	}
}

/** An async run started (or resumed): `Running` until the history has been polled past its plan (history.ts). */
export function rememberAsyncRun(
	state: EmulatorState,
	ctx: RequestContext,
	run: Pick<NewExecution, 'executeId' | 'workflowId' | 'parameters' | 'debugUrl' | 'botId' | 'keyParameters'>,
	plan: ReturnType<typeof asyncPlan>,
): void {
	rememberExecution(state, ctx, {
		...run,
		runMode: 2,
		status: 'Running',
		usage: plan.usage,
		textMode: plan.textMode,
		pending: { runningPolls: plan.runningPolls, final: plan.final },
	});
}

/** A paused async run can be resumed with POST /v1/workflows/resume (resume.ts). */
function rememberAsyncPause(state: EmulatorState, s: AsyncScenario, final: FinalState, workflowId: string, parameters: Record<string, unknown>): void {
	if (s.kind !== 'pause' || !final.pause) return;
	const { eventId } = final.pause;
	const executeId = eventId.split('/')[0];
	state.syncInterrupts.set(eventId, { executeId, workflowId, eventId, parameters, resumes: 0, finished: false, asyncThen: s.then ?? { kind: 'complete', pollsUntilDone: 1 } });
}

function asyncScenarioOf(state: EmulatorState, workflowId: string): AsyncScenario {
	return state.asyncScenarios.get(workflowId) ?? { kind: 'complete', pollsUntilDone: 2 };
}

// ====================================================================== cloud

/** ASSUMPTION (coze-api.md §7.3: msg text UNCERTAIN) — the 4200 text for an unpublished workflow. */
export const CLOUD_UNPUBLISHED_MSG =
	'The requested resource does not exist or has not been published. Please publish the workflow and try again.';

/** §7.3, quoted from [DOC:workflow_run]. */
export const CLOUD_PREMIUM_MSG =
	'Workflow execution with is_async=true is a premium feature available only to Coze Professional users';

export interface CloudRunRequest {
	body: Record<string, unknown>;
	workflowId: string;
	parameters: Record<string, unknown>;
}

/** Validation of a run / stream_run body on cloud; a Reply is the 4000 answer. */
export function cloudValidateRun(ctx: RequestContext): { req: CloudRunRequest } | { reply: Reply } {
	const { logId } = ctx;
	const body = ctx.recorded.body;
	// Not JSON / not an object → 4000 (ASSUMPTION: HTTP 200, like every documented business error).
	if (!isJsonObject(body)) return { reply: cloudBadRequest(logId) };
	const workflowId = body.workflow_id;
	if (typeof workflowId !== 'string' || workflowId === '') return { reply: cloudBadRequest(logId) };
	// parameters must be an object. ASSUMPTION: the doc table types it "String / JSON-serialized" but
	// its curl example and both SDKs send an object; the emulator rejects a string with 4000 so the
	// node keeps to the object form, which works on both dialects.
	const params = body.parameters;
	if (params !== undefined && params !== null && !isJsonObject(params)) return { reply: cloudBadRequest(logId) };
	// bot_id together with app_id → 4000 [DOC:workflow_stream_run]; empty strings count as unset (ASSUMPTION).
	if (isSet(body.bot_id) && isSet(body.app_id)) return { reply: cloudBadRequest(logId) };
	// `ext` values must be strings on Studio; what cloud does with non-strings is undocumented, so they
	// are accepted here (ASSUMPTION). A Studio-only `version` field is ignored (not echoed).
	return { req: { body, workflowId, parameters: params ?? {} } };
}

function cloudRun(ctx: RequestContext, s: RunScenario): Reply {
	const v = cloudValidateRun(ctx);
	if ('reply' in v) return v.reply;
	if (s.kind === 'unpublished') return cloudError(ctx.logId, 4200, CLOUD_UNPUBLISHED_MSG);
	// ASSUMPTION: only the JSON value `true` starts an async run; other values are ignored.
	if (v.req.body.is_async === true) return cloudAsync(ctx, v.req);
	return cloudAnswer(ctx, s, v.req, ctx.state.ids.nextExecuteId());
}

/**
 * The business answer of a sync run (also of /v1/workflows/resume, which continues `executeId`).
 * Remembers the execution (history, run_mode 0) and, for `interrupt`, the resumable interrupt.
 */
export function cloudAnswer(ctx: RequestContext, s: RunScenario, req: CloudRunRequest, executeId: string, resumes = 0): Reply {
	const { logId, state } = ctx;
	const { body, workflowId, parameters } = req;
	const botId = typeof body.bot_id === 'string' && body.bot_id !== '' ? body.bot_id : undefined;
	const base = { executeId, workflowId, runMode: 0 as const, botId, parameters, debugUrl: cloudDebugUrl(executeId, workflowId) };
	if (s.kind === 'bigJson') {
		rememberExecution(state, ctx, { ...base, status: 'Success', lazyOutput: () => bigJsonText(s.bytes) });
		return bigJsonReply(cloudBody(logId, { code: 0, msg: '', data: BIG_JSON_DATA, debug_url: base.debugUrl, usage: ZERO_USAGE }), s.bytes);
	}
	const ok = successData('cloud', s, body, parameters);
	if (ok) {
		rememberExecution(state, ctx, { ...base, status: 'Success', output: ok.rawOutput, usage: ok.usage, textMode: ok.textMode });
		// Sync success has NO execute_id; it is only inside debug_url (§2.1).
		return cloudOk(logId, { data: ok.data, debug_url: base.debugUrl, usage: ok.usage });
	}
	switch (s.kind) {
		case 'error': {
			rememberExecution(state, ctx, { ...base, status: 'Fail', errorCode: String(s.code), errorMsg: s.msg });
			const extra = s.withDebugUrl ? { debug_url: cloudDebugUrl(executeId, workflowId, true) } : {};
			return cloudError(logId, s.code, s.msg, extra, s.httpStatus ?? 200);
		}
		case 'interrupt': {
			// ASSUMPTION: an interrupted run shows `Running` in the cloud history (no status name is documented for it).
			rememberExecution(state, ctx, { ...base, status: 'Running' });
			state.syncInterrupts.set(s.eventId, { executeId, workflowId, eventId: s.eventId, then: s.then, parameters, resumes, finished: false });
			// ASSUMPTION (§2.1, added 2025-11-18, no captured example): code 0, no `data` key (empty
			// string fields look omitted on cloud, cf. the missing execute_id), usage, debug_url and
			// interrupt_data {event_id, type, data, required_parameters?}.
			const interrupt: Record<string, unknown> = { event_id: s.eventId, type: s.type, data: s.data };
			if (s.requiredParameters !== undefined) interrupt.required_parameters = s.requiredParameters;
			return cloudOk(logId, { debug_url: base.debugUrl, usage: ZERO_USAGE, interrupt_data: interrupt });
		}
		case 'unpublished':
			return cloudError(logId, 4200, CLOUD_UNPUBLISHED_MSG);
		default:
			return cloudError(logId, 5000, `emulator: unhandled scenario ${s.kind}`);
	}
}

/**
 * Async start (§2.2, §7.5): `{code:0,msg:"",execute_id,debug_url,detail}` — no `data` key (the doc
 * example has none; cozepy's mock sends `data: null`, so clients must accept both). 6003 for the
 * `premiumRequired` scenario (§7.3).
 */
function cloudAsync(ctx: RequestContext, req: CloudRunRequest): Reply {
	const { state, logId } = ctx;
	const s = asyncScenarioOf(state, req.workflowId);
	if (s.kind === 'premiumRequired') return cloudError(logId, 6003, CLOUD_PREMIUM_MSG);
	const executeId = state.ids.nextExecuteId();
	const plan = asyncPlan(s, () => echoPayload('cloud', req.body, req.parameters), executeId);
	rememberAsyncPause(state, s, plan.final, req.workflowId, req.parameters);
	const debugUrl = cloudDebugUrl(executeId, req.workflowId);
	const botId = typeof req.body.bot_id === 'string' && req.body.bot_id !== '' ? req.body.bot_id : undefined;
	rememberAsyncRun(state, ctx, { executeId, workflowId: req.workflowId, botId, parameters: req.parameters, debugUrl }, plan);
	return cloudOk(logId, { execute_id: executeId, debug_url: debugUrl });
}

// ====================================================================== studio

export const STUDIO_MSG = {
	notPublished:
		'Workflow not published. The requested operation cannot be performed on an unpublished workflow. Please publish the workflow and try again.',
	interruptNotSupported:
		'Synchronous requests do not support interruption. Please switch to asynchronous requests for interruptible operations.',
	invalidParameter:
		'Invalid request parameters. Please check your input and ensure all required fields are correctly formatted and within allowed ranges.',
	executeFail: (cause: string): string => `Workflow execution failure: ${cause}`,
	operationFail: (cause: string): string => `Workflow operation failure: ${cause}`,
} as const;

/** Studio's internal error codes (errno) used here, and their Open-API mapping for the sync run (§5.2). */
export const STUDIO_ERR = {
	invalidParameter: 720702001,
	notPublished: 720702011,
	executeFail: 720701013,
	operationFail: 777777775,
} as const;
const CODE_FOR_OPENAPI: Record<number, number> = { 720702001: 4000, 720702002: 4000, 720712014: 4000, 720702011: 6031, 720702078: 6039, 720702085: 6023 };

/** Fields of OpenAPIRunFlowRequest bound from the JSON body and their Go types. */
const STUDIO_STRING_FIELDS = ['workflow_id', 'bot_id', 'execute_mode', 'version', 'connector_id', 'app_id', 'project_id'];

export interface StudioRunRequest {
	bound: Record<string, unknown>;
	workflowId: string;
	parameters: Record<string, unknown>;
	botId?: string;
}

/**
 * Parse result of a Studio run / stream_run body: `reply` = an HTTP 400 from preprocessing or
 * binding (written before any SSE header); `fail` = an application error with its INTERNAL code
 * (the sync run maps it with CodeForOpenAPI, stream_run sends it as is); `req` = accepted.
 */
export type StudioParsed = { reply: Reply } | { fail: { code: number; msg: string } } | { req: StudioRunRequest };

/**
 * Coze Studio's handlers, step by step [ST:backend/api/handler/coze/workflow_service.go OpenAPIRunFlow /
 * OpenAPIStreamRunFlow, backend/application/workflow/workflow.go OpenAPIRun / OpenAPIStreamRun]:
 * 1. preprocessWorkflowRequestBody: body must unmarshal into a map, else HTTP 400
 *    `failed to unmarshal request body: …`; a non-string `parameters` is re-serialized to a string.
 * 2. BindAndValidate: JSON body fields bound only when Content-Type is application/json; a type
 *    mismatch (e.g. a number inside `ext`, which is map<string,string>) → HTTP 400 `{"code":400,…}`.
 *    `workflow_id` is NOT required by the binding.
 * 3. Application: `parameters` must be a JSON object text → else 720702001 (4000 for the sync run);
 *    workflow_id, app_id/project_id, bot_id, connector_id go through mustParseInt64, whose panic is
 *    recovered into 720701013 "Workflow execution failure: panic error: …" (so a missing/empty
 *    workflow_id or an empty-string bot_id ends up there); unpublished → 720702011 (6031);
 *    app + bot → 720701013; the version field `version` is ignored (latest published version runs).
 */
export function studioParseRun(ctx: RequestContext, unpublished: boolean): StudioParsed {
	// 1. preprocess
	const pre = studioPreprocess(ctx);
	if ('reply' in pre) return pre;
	const body = pre.body;

	// 2. binding (ASSUMPTION: mismatch messages imitate sonic's wording; the real text also quotes the input around the error index)
	const raw = ctx.recorded.rawBody;
	const bound: Record<string, unknown> = isJsonContentType(ctx) ? body : {};
	const bad = studioBindStrings(raw, bound, STUDIO_STRING_FIELDS) ?? studioBindExt(raw, bound);
	if (bad) return { reply: bad };
	if (bound.is_async !== undefined && bound.is_async !== null && typeof bound.is_async !== 'boolean') {
		return { reply: bindMismatch(raw, 'is_async', 'bool', bound.is_async) };
	}

	// 3. application
	let parameters: Record<string, unknown> = {};
	if (typeof bound.parameters === 'string') {
		let p: unknown;
		try {
			p = JSON.parse(bound.parameters);
		} catch {
			return { fail: { code: STUDIO_ERR.invalidParameter, msg: STUDIO_MSG.invalidParameter } };
		}
		if (p !== null && !isJsonObject(p)) return { fail: { code: STUDIO_ERR.invalidParameter, msg: STUDIO_MSG.invalidParameter } };
		parameters = p ?? {};
	}
	const workflowId = typeof bound.workflow_id === 'string' ? bound.workflow_id : '';
	const panic = mustParseInt64Cause(workflowId);
	if (panic) return { fail: { code: STUDIO_ERR.executeFail, msg: STUDIO_MSG.executeFail(panic) } };
	if (unpublished) return { fail: { code: STUDIO_ERR.notPublished, msg: STUDIO_MSG.notPublished } };

	const str = (k: string): string | undefined => (typeof bound[k] === 'string' ? (bound[k] as string) : undefined);
	const appId = str('app_id') ?? str('project_id');
	const botId = str('bot_id');
	const connectorId = str('connector_id');
	for (const v of [appId, botId, connectorId]) {
		if (v !== undefined) {
			const p = mustParseInt64Cause(v);
			if (p) return { fail: { code: STUDIO_ERR.executeFail, msg: STUDIO_MSG.executeFail(p) } };
		}
	}
	if (appId !== undefined && botId !== undefined) {
		return { fail: { code: STUDIO_ERR.executeFail, msg: STUDIO_MSG.executeFail('project_id and bot_id cannot be set at the same time') } };
	}
	return { req: { bound, workflowId, parameters, botId } };
}

function studioRun(ctx: RequestContext, s: RunScenario): Reply {
	const { state } = ctx;
	const parsed = studioParseRun(ctx, s.kind === 'unpublished');
	if ('reply' in parsed) return parsed.reply;
	if ('fail' in parsed) return studioRunError(CODE_FOR_OPENAPI[parsed.fail.code] ?? parsed.fail.code, parsed.fail.msg, studioZeroDebugUrl(state));
	const { bound, workflowId, parameters, botId } = parsed.req;

	const executeId = state.ids.nextExecuteId();
	const debugUrl = studioDebugUrl(state, workflowId, SPACE_ID, executeId);
	const base = { executeId, workflowId, botId, parameters, debugUrl };
	if (bound.is_async === true) {
		// Async (§2.2): data null, execute_id set; never plan-gated on Studio.
		const scenario = asyncScenarioOf(state, workflowId);
		const plan = asyncPlan(scenario, () => echoPayload('studio', bound, parameters), executeId);
		rememberAsyncPause(state, scenario, plan.final, workflowId, parameters);
		rememberAsyncRun(state, ctx, base, plan);
		return json(200, studioRunBody({ code: 0, msg: null, data: null, token: null, cost: null, debug_url: debugUrl, execute_id: executeId }));
	}
	if (s.kind === 'bigJson') {
		rememberExecution(state, ctx, { ...base, runMode: 0, status: 'Success', lazyOutput: () => bigJsonText(s.bytes) });
		return bigJsonReply(
			studioRunBody({ code: 0, msg: null, data: BIG_JSON_DATA, token: 0, cost: '0.00000', debug_url: debugUrl, execute_id: executeId }),
			s.bytes,
		);
	}
	const ok = successData('studio', s, bound, parameters);
	if (ok) {
		const token = ok.usage.input_count + ok.usage.output_count;
		rememberExecution(state, ctx, { ...base, runMode: 0, status: 'Success', output: ok.rawOutput, usage: ok.usage, textMode: ok.textMode });
		return json(
			200,
			studioRunBody({ code: 0, msg: null, data: ok.data, token, cost: '0.00000', debug_url: debugUrl, execute_id: executeId }),
		);
	}
	switch (s.kind) {
		case 'error':
			rememberExecution(state, ctx, { ...base, runMode: 0, status: 'Fail', errorCode: String(s.code), errorMsg: s.msg });
			return studioRunError(s.code, s.msg, s.withDebugUrl ? debugUrl : studioZeroDebugUrl(state), s.httpStatus ?? 200);
		case 'interrupt':
			// The workflow ran up to the interrupt (a run for the accounting), but no execution is remembered.
			countRun(state, workflowId, parameters);
			// vo.NewError(ErrInterruptNotSupported) carries no execution ids → zero-id debug_url.
			return studioRunError(6039, STUDIO_MSG.interruptNotSupported, studioZeroDebugUrl(state));
		default:
			return studioPlain(500, 500, 'internal server error');
	}
}

// ---------------------------------------------------------------- Studio request helpers (also stream / chat)

/** preprocessWorkflowRequestBody: the body as a map with `parameters` re-serialized to a string; else HTTP 400. */
export function studioPreprocess(ctx: RequestContext): { body: Record<string, unknown> } | { reply: Reply } {
	const raw = ctx.recorded.rawBody;
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch (e) {
		return { reply: studioPlain(400, 400, `failed to unmarshal request body: ${sonicSyntaxError(raw, e)}`) };
	}
	if (parsed !== null && !isJsonObject(parsed)) {
		return {
			reply: studioPlain(
				400,
				400,
				`failed to unmarshal request body: Mismatch type map[string]interface {} with value ${jsonTypeName(parsed)} "at index 0: mismatched type with value"`,
			),
		};
	}
	const body: Record<string, unknown> = { ...(parsed ?? {}) };
	if ('parameters' in body && typeof body.parameters !== 'string') body.parameters = JSON.stringify(body.parameters ?? null);
	return { body };
}

/** Binding of Go `string` / `*string` fields: null or absent is fine, any other non-string → HTTP 400. */
export function studioBindStrings(raw: string, bound: Record<string, unknown>, fields: string[]): Reply | undefined {
	for (const f of fields) {
		const v = bound[f];
		if (v !== undefined && v !== null && typeof v !== 'string') return bindMismatch(raw, f, 'string', v);
	}
	return undefined;
}

/** Binding of `ext` (map<string,string>). */
export function studioBindExt(raw: string, bound: Record<string, unknown>): Reply | undefined {
	const ext = bound.ext;
	if (ext === undefined || ext === null) return undefined;
	if (!isJsonObject(ext)) return bindMismatch(raw, 'ext', 'map[string]string', ext);
	for (const [k, v] of Object.entries(ext)) {
		if (typeof v !== 'string') return bindMismatch(raw, `ext.${k}`, 'string', v);
	}
	return undefined;
}

export function isJsonContentType(ctx: RequestContext): boolean {
	const ct = ctx.req.headers['content-type'] ?? '';
	return ct.split(';')[0].trim().toLowerCase() === 'application/json';
}

/** The cause text of the panic mustParseInt64(s) raises, or undefined when s is a valid int64. */
export function mustParseInt64Cause(s: string): string | undefined {
	const why = parseInt64Error(s);
	return why ? goPanicMessage(parseIntError(s, why)) : undefined;
}

export function bindMismatch(raw: string, field: string, goType: string, value: unknown): Reply {
	const key = field.split('.').pop() ?? field;
	const at = Math.max(0, raw.indexOf(`"${key}"`));
	return studioPlain(
		400,
		400,
		`Mismatch type ${goType} with value ${jsonTypeName(value)} "at index ${at}: mismatched type with value" (field ${field})`,
	);
}

/** ASSUMPTION: wording imitates sonic's syntax errors (`Syntax error at index N: …`); the real text adds a snippet. */
export function sonicSyntaxError(raw: string, e: unknown): string {
	if (raw.trim() === '') return 'Syntax error at index 0: eof';
	const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
	return `Syntax error at index ${m ? m[1] : '0'}: invalid char`;
}
