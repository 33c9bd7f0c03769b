/**
 * `POST /v1/workflows/resume` — cloud only (coze-api.md §2.5, added 2025-11-18; not in Studio, whose
 * router has no such route: dispatch.ts answers it like any unknown Studio path).
 *
 * Continues a sync run that answered `interrupt_data` (RunScenario `interrupt`) and answers like
 * /v1/workflow/run: the interrupt's `then` scenario (default json `{parameters, resume_data}`), which
 * may be another `interrupt` (a new interrupt_data). The execution keeps its execute id.
 *
 * ASSUMPTIONS (no example of this endpoint's errors is documented): the body checks and 4000 are as
 * for stream_resume; an event_id that no sync run of this workflow_id returned → 4314; an
 * interrupt that was already resumed → 4315; at most 3 resumes as for stream_resume — the 3rd resume
 * that would interrupt again fails the run with RESUME_LIMIT_ERROR (code != 0 envelope + debug_url).
 */
import type { Reply, RequestContext, SyncInterrupt } from './core';
import { cloudBadRequest, cloudDebugUrl, cloudError, cloudOk } from './dialect';
import { updateExecution } from './executions';
import { isJsonObject } from './json';
import { asyncPlan, cloudAnswer, rememberAsyncRun, resolveRunScenario } from './run';
import { CLOUD_FINISHED_MSG, CLOUD_NO_EVENT_MSG, MAX_RESUMES, RESUME_LIMIT_ERROR } from './stream';

export const WORKFLOWS_RESUME_PATH = '/v1/workflows/resume';

export async function workflowsResumeHandler(ctx: RequestContext): Promise<Reply> {
	const { state, logId } = ctx;
	const b = ctx.recorded.body;
	if (!isJsonObject(b)) return cloudBadRequest(logId);
	const { workflow_id: wf, event_id: ev, interrupt_type: it, resume_data: rd } = b;
	if (typeof wf !== 'string' || wf === '' || typeof ev !== 'string' || ev === '' || typeof rd !== 'string' || !Number.isInteger(it)) {
		return cloudBadRequest(logId);
	}
	const si = state.syncInterrupts.get(ev);
	if (!si || si.workflowId !== wf) return cloudError(logId, 4314, CLOUD_NO_EVENT_MSG);
	if (si.finished) return cloudError(logId, 4315, CLOUD_FINISHED_MSG);

	if (si.asyncThen) return resumeAsync(ctx, si, rd);
	const resolved = await resolveRunScenario(ctx, si.then ?? { kind: 'json', data: { parameters: si.parameters, resume_data: rd } });
	if ('reply' in resolved) return resolved.reply; // transport faults leave the interrupt open
	si.finished = true;
	const resumes = si.resumes + 1;
	if (resolved.s.kind === 'interrupt' && resumes >= MAX_RESUMES) {
		updateExecution(state, si.executeId, { status: 'Fail', errorCode: String(RESUME_LIMIT_ERROR.code), errorMsg: RESUME_LIMIT_ERROR.message });
		return cloudError(logId, RESUME_LIMIT_ERROR.code, RESUME_LIMIT_ERROR.message, { debug_url: cloudDebugUrl(si.executeId, wf, true) });
	}
	return cloudAnswer(ctx, resolved.s, { body: { workflow_id: wf }, workflowId: wf, parameters: si.parameters }, si.executeId, resumes);
}

/**
 * A run paused in an async run resumes async [DOC:resume_workflow]: the answer carries only an
 * `execute_id` to poll (here a new one, whose history follows the pause's `then`; a client that
 * polls whatever id it is given handles a reused one too).
 */
function resumeAsync(ctx: RequestContext, si: SyncInterrupt, resumeData: string): Reply {
	const { state, logId } = ctx;
	const paused = state.executions.get(si.executeId);
	if (!paused?.pause) return cloudError(logId, 4314, CLOUD_NO_EVENT_MSG); // not paused (yet)
	si.finished = true;
	const executeId = state.ids.nextExecuteId();
	const scenario = si.asyncThen ?? { kind: 'complete', pollsUntilDone: 1 };
	const plan = asyncPlan(scenario, () => ({ parameters: si.parameters, resume_data: resumeData }), executeId);
	const debugUrl = cloudDebugUrl(executeId, si.workflowId);
	rememberAsyncRun(
		state,
		ctx,
		// The resume goes on the run Coze already counted: kept apart from its key (accounting.ts counts new executions).
		{ executeId, workflowId: si.workflowId, parameters: si.parameters, keyParameters: { ...si.parameters, __resumeOf: si.executeId }, debugUrl },
		plan,
	);
	return cloudOk(logId, { execute_id: executeId, debug_url: debugUrl });
}
