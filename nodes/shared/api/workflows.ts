/**
 * The workflow endpoints of the Coze Open API, one typed function each: the only place that
 * knows their paths, methods and dialects (docs/coze-api.md §2). Bodies are built by the
 * operations; answers come back as the transport gives them, for the decoders in ../decoding/.
 */
import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import type { CozeConnection, CozeResponse, CozeStream } from '../transport';
import { cozeApiRequest, cozeStreamRequest } from '../transport';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

export interface CallLimits {
	itemIndex: number;
	timeoutMs: number;
}

export interface StreamLimits extends CallLimits {
	/** Undefined for none (Coze Studio's default: its nginx holds streams back, §9.1). */
	idleTimeoutMs: number | undefined;
}

/** POST /v1/workflow/run (§2.1); with `is_async: true` in the body an async start (§2.2). */
export async function runWorkflow(this: Context, connection: CozeConnection, body: IDataObject, limits: CallLimits): Promise<CozeResponse> {
	return await cozeApiRequest.call(this, connection, { method: 'POST', path: '/v1/workflow/run', body, ...limits });
}

/** POST /v1/workflow/stream_run (§2.3). */
export async function streamRunWorkflow(this: IExecuteFunctions, connection: CozeConnection, body: IDataObject, limits: StreamLimits): Promise<CozeStream> {
	return await cozeStreamRequest.call(this, connection, { method: 'POST', path: '/v1/workflow/stream_run', body, ...limits });
}

/** POST /v1/workflow/stream_resume (§2.4): a run paused during stream_run. */
export async function streamResumeWorkflow(this: IExecuteFunctions, connection: CozeConnection, body: IDataObject, limits: StreamLimits): Promise<CozeStream> {
	return await cozeStreamRequest.call(this, connection, { method: 'POST', path: '/v1/workflow/stream_resume', body, ...limits });
}

/** POST /v1/workflows/resume (§2.5, §9.4): a run paused during /v1/workflow/run; cloud only. */
export async function resumeWorkflow(this: IExecuteFunctions, connection: CozeConnection, body: IDataObject, limits: CallLimits): Promise<CozeResponse> {
	return await cozeApiRequest.call(this, connection, { method: 'POST', path: '/v1/workflows/resume', body, ...limits });
}

/** POST /v1/workflows/chat (§2.6): a chatflow, streamed. */
export async function chatWorkflow(this: IExecuteFunctions, connection: CozeConnection, body: IDataObject, limits: StreamLimits): Promise<CozeStream> {
	return await cozeStreamRequest.call(this, connection, { method: 'POST', path: '/v1/workflows/chat', body, ...limits });
}

/** One run's history entry (§2.2): cloud and Coze Studio keep it at different paths. */
export async function getRunHistory(
	this: Context,
	connection: CozeConnection,
	run: { workflowId: string; executeId: string },
	limits: CallLimits,
): Promise<CozeResponse> {
	const isStudio = connection.region === 'studio';
	return await cozeApiRequest.call(this, connection, {
		method: 'GET',
		path: isStudio
			? '/v1/workflow/get_run_history'
			: `/v1/workflows/${encodeURIComponent(run.workflowId)}/run_histories/${encodeURIComponent(run.executeId)}`,
		qs: isStudio ? { workflow_id: run.workflowId, execute_id: run.executeId } : undefined,
		...limits,
	});
}
