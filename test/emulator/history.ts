/**
 * Run history (coze-api.md §2.2, §7.5): cloud `GET /v1/workflows/{workflow_id}/run_histories/{execute_id}`
 * and Studio `GET /v1/workflow/get_run_history?workflow_id=…&execute_id=…`. Every request naming an
 * execute id is counted (`historyPollsOf`); an async execution answers `Running` until it has been
 * polled more than its scenario's `pollsUntilDone` times (executions.ts `advance`).
 *
 * cloud:
 * - success: `{code:0,msg:"",detail,data:[item]}` with the §7.5 keys, ids as strings, `output` =
 *   JSON text `{"Output":"<End-node output>"}` (text mode: the `{content_type,data,original_result,
 *   type_for_model}` wrapper inside), while running `{"node_status":"{}","Output":""}`.
 *   ASSUMPTION: a failed run shows that same running-form output (undocumented).
 * - unknown execute id, or one of another workflow → 4314 (§5.1 "execution record not found");
 *   ASSUMPTION: HTTP 200, the msg text below.
 *
 * Studio [ST:backend/api/handler/coze/workflow_service.go OpenAPIGetWorkflowRunHistory,
 * backend/application/workflow/workflow.go OpenAPIGetWorkflowRunHistory]:
 * - `workflow_id` is a required query parameter → HTTP 400 Hertz binding message when absent;
 * - `execute_id` goes through mustParseInt64 → a missing/non-numeric one panics, recovered into
 *   777777775 "Workflow operation failure: panic error: …";
 * - an unknown execution is not an error in the domain layer (it yields an empty "Running"
 *   execution in space 0), but the following space check fails, so the answer is HTTP 200
 *   `{"code":777777775,"msg":"Workflow operation failure: user <uid> does not have access to space 0","BaseResp":null}`.
 *   (Derived from the source; not observed on a live server.)
 * - success: no `code`/`msg` keys at all, `data` = one item with execute_id, bot_id and
 *   connector_id as JSON numbers (bigints, never rounded), `log_id`, `error_msg` (Studio spellings),
 *   `output` raw (null while running), status also `Cancel` / `<UNSET>` (interrupted).
 */
import type { Execution, Reply, RequestContext } from './core';
import { json } from './core';
import { cloudDebugUrl, cloudError, cloudOk, goPanicMessage, parseIntError, studioPlain } from './dialect';
import { advance, countPoll } from './executions';
import { parseInt64Error, USER_ID } from './ids';
import { toJson } from './json';

export const STUDIO_HISTORY_PATH = '/v1/workflow/get_run_history';
export const CLOUD_HISTORY_PATH = /^\/v1\/workflows\/(?<workflow_id>[^/]+)\/run_histories\/(?<execute_id>[^/]+)$/;
export const STUDIO_OPERATION_FAIL = 777777775;
/** ASSUMPTION: msg text of cloud's 4314 (only the code's meaning is documented). */
export const CLOUD_NO_EXECUTION_MSG = 'The execution record does not exist. Please check the workflow_id and execute_id.';

const RUNNING_OUTPUT = '{"node_status":"{}","Output":""}';

export function cloudHistoryHandler(ctx: RequestContext): Reply {
	const { state, logId } = ctx;
	const workflowId = decodeURIComponent(ctx.params.workflow_id);
	const executeId = decodeURIComponent(ctx.params.execute_id);
	countPoll(state, executeId);
	const exe = state.executions.get(executeId);
	if (!exe || exe.workflowId !== workflowId) return cloudError(logId, 4314, CLOUD_NO_EXECUTION_MSG);
	advance(state, exe);
	return cloudOk(logId, { data: [cloudHistoryItem(exe)] });
}

/** The raw output, regenerated when it was too big to keep (bigJson). */
function outputOf(exe: Execution): string | null {
	return exe.output ?? exe.lazyOutput?.() ?? null;
}

/**
 * Studio stores the End node's output map: a text-mode End node's text as `{"output":"<text>"}`
 * (its waited-for run answers the bare text), the default End node (one variable `output`) as
 * that same map [ST:domain/workflow/internal/execute/event_handle.go ~42-53, callback.go ~255-264;
 * coze-api.md §9.5].
 */
function studioHistoryOutput(exe: Execution): string | null {
	const output = outputOf(exe);
	if (output === null || !exe.textMode) return output;
	return toJson({ output });
}

function cloudHistoryOutput(exe: Execution): string {
	const output = outputOf(exe);
	if (exe.status !== 'Success' || output === null) return RUNNING_OUTPUT;
	const end = exe.textMode ? toJson({ content_type: 1, data: output, original_result: null, type_for_model: 2 }) : output;
	return toJson({ Output: end });
}

/** Key order of the §7.5 example. */
function cloudHistoryItem(exe: Execution): Record<string, unknown> {
	return {
		execute_id: exe.executeId,
		// ASSUMPTION: cloud documents only Running | Success | Fail; Studio's `<UNSET>` (interrupted) shows as Running, `Cancel` as Fail.
		execute_status: exe.pause ? exe.pause.cloudStatus : exe.status === '<UNSET>' ? 'Running' : exe.status === 'Cancel' ? 'Fail' : exe.status,
		bot_id: exe.botId ?? '0',
		connector_id: exe.connectorId,
		connector_uid: exe.connectorUid,
		run_mode: exe.runMode,
		logid: exe.logId,
		create_time: exe.createTime,
		update_time: exe.updateTime,
		output: cloudHistoryOutput(exe),
		token: String(exe.status === 'Success' ? exe.token : 0),
		usage: exe.status === 'Success' ? exe.usage : { input_count: 0, output_count: 0, token_count: 0 },
		error_code: exe.errorCode ?? '',
		error_message: exe.errorMsg ?? '',
		is_output_trimmed: false,
		node_execute_status: {},
		debug_url: cloudDebugUrl(exe.executeId, exe.workflowId, true),
		// A paused run [DOC:workflow_history] `interrupt_data` (added 2025-11-18); data is the question.
		...(exe.pause ? { interrupt_data: { event_id: exe.pause.eventId, type: exe.pause.type, data: exe.pause.question } } : {}),
	};
}

export function studioHistoryHandler(ctx: RequestContext): Reply {
	const q = ctx.recorded.query;
	if (q.workflow_id === undefined) {
		return studioPlain(400, 400, "'workflow_id' field is a 'required' parameter, but the request does not have this parameter");
	}
	const executeId = q.execute_id ?? '';
	const fail = (cause: string): Reply =>
		json(200, { code: STUDIO_OPERATION_FAIL, msg: `Workflow operation failure: ${cause}`, BaseResp: null });
	const why = parseInt64Error(executeId);
	if (why) {
		countPoll(ctx.state, executeId);
		return fail(goPanicMessage(parseIntError(executeId, why)));
	}
	const id = BigInt(executeId).toString();
	countPoll(ctx.state, id);
	const exe = ctx.state.executions.get(id);
	if (!exe) return fail(`user ${USER_ID} does not have access to space 0`);
	advance(ctx.state, exe);

	return json(200, {
		data: [
			{
				execute_id: BigInt(exe.executeId),
				execute_status: exe.status,
				bot_id: exe.botId !== undefined ? BigInt(exe.botId) : null,
				connector_id: BigInt(exe.connectorId),
				connector_uid: exe.connectorUid,
				run_mode: exe.runMode,
				log_id: exe.logId,
				create_time: exe.createTime,
				update_time: exe.updateTime,
				debug_url: exe.debugUrl,
				input: exe.input,
				output: studioHistoryOutput(exe),
				token: exe.token,
				cost: '0.00000',
				cost_unit: null,
				ext: null,
				error_code: exe.errorCode,
				error_msg: exe.errorMsg,
			},
		],
		BaseResp: null,
	});
}
