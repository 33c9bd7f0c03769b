/**
 * Run history. For now only Studio's `GET /v1/workflow/get_run_history?workflow_id=…&execute_id=…`
 * (coze-api.md §2.2); cloud's `/v1/workflows/{id}/run_histories/{execute_id}` comes with async runs.
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
 *   connector_id as JSON numbers, `log_id`, `error_msg` (Studio spellings).
 */
import type { Reply, RequestContext } from './core';
import { json } from './core';
import { goPanicMessage, parseIntError, studioPlain } from './dialect';
import { parseInt64Error, USER_ID } from './ids';

export const STUDIO_HISTORY_PATH = '/v1/workflow/get_run_history';
export const STUDIO_OPERATION_FAIL = 777777775;

export function studioHistoryHandler(ctx: RequestContext): Reply {
	const q = ctx.recorded.query;
	if (q.workflow_id === undefined) {
		return studioPlain(400, 400, "'workflow_id' field is a 'required' parameter, but the request does not have this parameter");
	}
	const executeId = q.execute_id ?? '';
	const fail = (cause: string): Reply =>
		json(200, { code: STUDIO_OPERATION_FAIL, msg: `Workflow operation failure: ${cause}`, BaseResp: null });
	const why = parseInt64Error(executeId);
	if (why) return fail(goPanicMessage(parseIntError(executeId, why)));

	const exe = ctx.state.executions.get(BigInt(executeId).toString());
	if (!exe) return fail(`user ${USER_ID} does not have access to space 0`);

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
				output: exe.output,
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
