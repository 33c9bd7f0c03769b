/**
 * `POST /v1/workflow/run` (sync run) in both dialects (coze-api.md §2.1, §5, §6, §7).
 *
 * Order of work, for both dialects: (auth, done by dispatch.ts) → look up the scenario of the
 * body's workflow_id → `delay` waits → transport faults (`html`, `empty`, `malformed`, `hang`,
 * `drop`) answer without validating anything (they model a proxy / the network) → request
 * validation as the real server does it → the business answer.
 *
 * `is_async` is not emulated yet (a later issue adds async runs + history polling); an async
 * request is currently answered like a sync one.
 */
import type { EmulatorState, Execution, Reply, RequestContext } from './core';
import { json } from './core';
import {
	cloudBadRequest,
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
import { parseInt64Error, SPACE_ID, USER_ID } from './ids';
import { isJsonObject, jsonTypeName, toJson } from './json';
import type { Dialect, RunScenario, Usage } from './types';

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
	let scenario = (workflowId !== undefined ? state.runScenarios.get(workflowId) : undefined) ?? ECHO;
	while (scenario.kind === 'delay') {
		if (!(await ctx.sleep(scenario.ms))) return { kind: 'hang' }; // closed meanwhile: nothing to answer
		scenario = scenario.then;
	}
	const fault = transportFault(state.dialect, scenario);
	if (fault) return fault;
	return state.dialect === 'cloud' ? cloudRun(ctx, scenario) : studioRun(ctx, scenario);
}

function transportFault(dialect: Dialect, s: RunScenario): Reply | undefined {
	switch (s.kind) {
		case 'html':
			return nginxErrorPage(s.status);
		case 'empty':
			return { kind: 'raw', status: s.status, body: '' };
		case 'malformed': {
			const whole =
				dialect === 'cloud'
					? '{"code":0,"msg":"","data":"{\\"output\\":\\"这是一个被截断的回答\\"}","debug_url":"https://www.coze.cn/work_flow?execute_id=7560000000000000000","usage":{"input_count":1,"output_count":2,"token_count":3}}'
					: '{"code":0,"msg":null,"data":"{\\"output\\":\\"这是一个被截断的回答\\"}","token":0,"cost":"0.00000","debug_url":"http://127.0.0.1/work_flow","execute_id":"7560000000000000000","BaseResp":null}';
			// Cut at a character boundary in the middle of `data`: valid UTF-8, invalid JSON.
			return { kind: 'raw', status: 200, body: whole.slice(0, 40), contentType: 'application/json; charset=utf-8' };
		}
		case 'hang':
			return { kind: 'hang' };
		case 'drop':
			return { kind: 'drop' };
		default:
			return undefined;
	}
}

/** What the echo scenario's `data` describes: the run request as the server understood it. */
function echoPayload(dialect: Dialect, body: Record<string, unknown>, parameters: unknown): Record<string, unknown> {
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
): { data: string; rawOutput: string; usage: Usage } | undefined {
	switch (s.kind) {
		case 'echo': {
			const data = toJson(echoPayload(dialect, body, parameters));
			return { data, rawOutput: data, usage: ZERO_USAGE };
		}
		case 'json': {
			const data = toJson(s.data);
			return { data, rawOutput: data, usage: s.usage ?? ZERO_USAGE };
		}
		case 'rawData':
			return { data: s.data, rawOutput: s.data, usage: ZERO_USAGE };
		case 'text':
			// Key order is Go's sorted map order: content_type, data, type_for_model (§2.1).
			return { data: toJson({ content_type: 1, data: s.text, type_for_model: 2 }), rawOutput: s.text, usage: ZERO_USAGE };
		default:
			return undefined;
	}
}

function isSet(v: unknown): boolean {
	return v !== undefined && v !== null && v !== '';
}

// ====================================================================== cloud

/** ASSUMPTION (coze-api.md §7.3: msg text UNCERTAIN) — the 4200 text for an unpublished workflow. */
export const CLOUD_UNPUBLISHED_MSG =
	'The requested resource does not exist or has not been published. Please publish the workflow and try again.';

function cloudRun(ctx: RequestContext, s: RunScenario): Reply {
	const { logId } = ctx;
	const body = ctx.recorded.body;
	// Not JSON / not an object → 4000 (ASSUMPTION: HTTP 200, like every documented business error).
	if (!isJsonObject(body)) return cloudBadRequest(logId);
	const workflowId = body.workflow_id;
	if (typeof workflowId !== 'string' || workflowId === '') return cloudBadRequest(logId);
	// parameters must be an object. ASSUMPTION: the doc table types it "String / JSON-serialized" but
	// its curl example and both SDKs send an object; the emulator rejects a string with 4000 so the
	// node keeps to the object form, which works on both dialects.
	const params = body.parameters;
	if (params !== undefined && params !== null && !isJsonObject(params)) return cloudBadRequest(logId);
	// bot_id together with app_id → 4000 [DOC:workflow_stream_run]; empty strings count as unset (ASSUMPTION).
	if (isSet(body.bot_id) && isSet(body.app_id)) return cloudBadRequest(logId);
	// `ext` values must be strings on Studio; what cloud does with non-strings is undocumented, so they
	// are accepted here (ASSUMPTION). A Studio-only `version` field is ignored (not echoed).
	const parameters = params ?? {};

	const executeId = ctx.state.ids.nextExecuteId();
	const ok = successData('cloud', s, body, parameters);
	if (ok) {
		// Sync success has NO execute_id; it is only inside debug_url (§2.1).
		return cloudOk(logId, { data: ok.data, debug_url: cloudDebugUrl(executeId, workflowId), usage: ok.usage });
	}
	switch (s.kind) {
		case 'error': {
			const extra = s.withDebugUrl ? { debug_url: cloudDebugUrl(executeId, workflowId, true) } : {};
			return cloudError(logId, s.code, s.msg, extra, s.httpStatus ?? 200);
		}
		case 'interrupt': {
			// ASSUMPTION (§2.1, added 2025-11-18, no captured example): code 0, no `data` key (empty
			// string fields look omitted on cloud, cf. the missing execute_id), usage, debug_url and
			// interrupt_data {event_id, type, data, required_parameters?}.
			const interrupt: Record<string, unknown> = { event_id: s.eventId, type: s.type, data: s.data };
			if (s.requiredParameters !== undefined) interrupt.required_parameters = s.requiredParameters;
			return cloudOk(logId, {
				debug_url: cloudDebugUrl(executeId, workflowId),
				usage: ZERO_USAGE,
				interrupt_data: interrupt,
			});
		}
		case 'unpublished':
			return cloudError(logId, 4200, CLOUD_UNPUBLISHED_MSG);
		default:
			return cloudError(logId, 5000, `emulator: unhandled scenario ${s.kind}`);
	}
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
} as const;

/** Fields of OpenAPIRunFlowRequest bound from the JSON body and their Go types. */
const STUDIO_STRING_FIELDS = ['workflow_id', 'bot_id', 'execute_mode', 'version', 'connector_id', 'app_id', 'project_id'];

/**
 * Coze Studio's handler, step by step [ST:backend/api/handler/coze/workflow_service.go OpenAPIRunFlow,
 * backend/application/workflow/workflow.go OpenAPIRun]:
 * 1. preprocessWorkflowRequestBody: body must unmarshal into a map, else HTTP 400
 *    `failed to unmarshal request body: …`; a non-string `parameters` is re-serialized to a string.
 * 2. BindAndValidate: JSON body fields bound only when Content-Type is application/json; a type
 *    mismatch (e.g. a number inside `ext`, which is map<string,string>) → HTTP 400 `{"code":400,…}`.
 *    `workflow_id` is NOT required by the binding.
 * 3. OpenAPIRun: `parameters` must be a JSON object text → else 4000 (HTTP 200); workflow_id,
 *    app_id/project_id, bot_id, connector_id go through mustParseInt64, whose panic is recovered
 *    into 720701013 "Workflow execution failure: panic error: …" (so a missing/empty workflow_id or
 *    an empty-string bot_id ends up there); unpublished → 6031; app + bot → 720701013; the version
 *    field `version` is ignored (latest published version runs).
 */
function studioRun(ctx: RequestContext, s: RunScenario): Reply {
	const { state } = ctx;
	const raw = ctx.recorded.rawBody;

	// 1. preprocess
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch (e) {
		return studioPlain(400, 400, `failed to unmarshal request body: ${sonicSyntaxError(raw, e)}`);
	}
	if (parsed !== null && !isJsonObject(parsed)) {
		return studioPlain(
			400,
			400,
			`failed to unmarshal request body: Mismatch type map[string]interface {} with value ${jsonTypeName(parsed)} "at index 0: mismatched type with value"`,
		);
	}
	const body: Record<string, unknown> = { ...(parsed ?? {}) };
	if ('parameters' in body && typeof body.parameters !== 'string') body.parameters = JSON.stringify(body.parameters ?? null);

	// 2. binding (ASSUMPTION: mismatch messages imitate sonic's wording; the real text also quotes the input around the error index)
	const bound: Record<string, unknown> = isJsonContentType(ctx) ? body : {};
	for (const f of STUDIO_STRING_FIELDS) {
		const v = bound[f];
		if (v !== undefined && v !== null && typeof v !== 'string') return bindMismatch(raw, f, 'string', v);
	}
	if (bound.is_async !== undefined && bound.is_async !== null && typeof bound.is_async !== 'boolean') {
		return bindMismatch(raw, 'is_async', 'bool', bound.is_async);
	}
	const ext = bound.ext;
	if (ext !== undefined && ext !== null) {
		if (!isJsonObject(ext)) return bindMismatch(raw, 'ext', 'map[string]string', ext);
		for (const [k, v] of Object.entries(ext)) {
			if (typeof v !== 'string') return bindMismatch(raw, `ext.${k}`, 'string', v);
		}
	}

	// 3. OpenAPIRun
	let parameters: Record<string, unknown> = {};
	if (typeof bound.parameters === 'string') {
		let p: unknown;
		try {
			p = JSON.parse(bound.parameters);
		} catch {
			return studioRunError(4000, STUDIO_MSG.invalidParameter, studioZeroDebugUrl(state));
		}
		if (p !== null && !isJsonObject(p)) return studioRunError(4000, STUDIO_MSG.invalidParameter, studioZeroDebugUrl(state));
		parameters = p ?? {};
	}
	const workflowId = typeof bound.workflow_id === 'string' ? bound.workflow_id : '';
	const panic = mustParseInt64(state, workflowId);
	if (panic) return panic;
	if (s.kind === 'unpublished') return studioRunError(6031, STUDIO_MSG.notPublished, studioZeroDebugUrl(state));

	const str = (k: string): string | undefined => (typeof bound[k] === 'string' ? (bound[k] as string) : undefined);
	const appId = str('app_id') ?? str('project_id');
	const botId = str('bot_id');
	const connectorId = str('connector_id');
	for (const v of [appId, botId, connectorId]) {
		if (v !== undefined) {
			const p = mustParseInt64(state, v);
			if (p) return p;
		}
	}
	if (appId !== undefined && botId !== undefined) {
		return studioRunError(
			720701013,
			STUDIO_MSG.executeFail('project_id and bot_id cannot be set at the same time'),
			studioZeroDebugUrl(state),
		);
	}

	const executeId = state.ids.nextExecuteId();
	const debugUrl = studioDebugUrl(state, workflowId, SPACE_ID, executeId);
	const ok = successData('studio', s, bound, parameters);
	if (ok) {
		const token = ok.usage.input_count + ok.usage.output_count;
		remember(state, ctx, { executeId, workflowId, botId, parameters, output: ok.rawOutput, token, debugUrl, status: 'Success' });
		return json(
			200,
			studioRunBody({ code: 0, msg: null, data: ok.data, token, cost: '0.00000', debug_url: debugUrl, execute_id: executeId }),
		);
	}
	switch (s.kind) {
		case 'error':
			remember(state, ctx, {
				executeId,
				workflowId,
				botId,
				parameters,
				output: null,
				token: 0,
				debugUrl,
				status: 'Fail',
				errorCode: String(s.code),
				errorMsg: s.msg,
			});
			return studioRunError(s.code, s.msg, s.withDebugUrl ? debugUrl : studioZeroDebugUrl(state), s.httpStatus ?? 200);
		case 'interrupt':
			// vo.NewError(ErrInterruptNotSupported) carries no execution ids → zero-id debug_url.
			return studioRunError(6039, STUDIO_MSG.interruptNotSupported, studioZeroDebugUrl(state));
		default:
			return studioPlain(500, 500, 'internal server error');
	}
}

function isJsonContentType(ctx: RequestContext): boolean {
	const ct = ctx.req.headers['content-type'] ?? '';
	return ct.split(';')[0].trim().toLowerCase() === 'application/json';
}

function mustParseInt64(state: EmulatorState, s: string): Reply | undefined {
	const why = parseInt64Error(s);
	if (!why) return undefined;
	return studioRunError(720701013, STUDIO_MSG.executeFail(goPanicMessage(parseIntError(s, why))), studioZeroDebugUrl(state));
}

function bindMismatch(raw: string, field: string, goType: string, value: unknown): Reply {
	const key = field.split('.').pop() ?? field;
	const at = Math.max(0, raw.indexOf(`"${key}"`));
	return studioPlain(
		400,
		400,
		`Mismatch type ${goType} with value ${jsonTypeName(value)} "at index ${at}: mismatched type with value" (field ${field})`,
	);
}

/** ASSUMPTION: wording imitates sonic's syntax errors (`Syntax error at index N: …`); the real text adds a snippet. */
function sonicSyntaxError(raw: string, e: unknown): string {
	if (raw.trim() === '') return 'Syntax error at index 0: eof';
	const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
	return `Syntax error at index ${m ? m[1] : '0'}: invalid char`;
}

function remember(
	state: EmulatorState,
	ctx: RequestContext,
	r: {
		executeId: string;
		workflowId: string;
		botId?: string;
		parameters: Record<string, unknown>;
		output: string | null;
		token: number;
		debugUrl: string;
		status: string;
		errorCode?: string;
		errorMsg?: string;
	},
): void {
	const now = Math.floor(Date.now() / 1000);
	const e: Execution = {
		executeId: r.executeId,
		workflowId: r.workflowId,
		status: r.status,
		runMode: 0,
		botId: r.botId,
		connectorId: '1024',
		connectorUid: USER_ID,
		logId: ctx.logId,
		input: toJson(r.parameters),
		output: r.output,
		token: r.token,
		errorCode: r.errorCode ?? null,
		errorMsg: r.errorMsg ?? null,
		createTime: now,
		updateTime: now,
		debugUrl: r.debugUrl,
	};
	state.executions.set(e.executeId, e);
}
