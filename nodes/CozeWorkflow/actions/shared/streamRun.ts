import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { streamFailure } from '../../../shared/actions/streamFailure';
import { streamResumeWorkflow, streamRunWorkflow } from '../../../shared/api/workflows';
import { decodeWorkflowData } from '../../../shared/decoding/output';
import type { CozeConnection } from '../../../shared/transport';
import { foldWorkflowStream } from '../../../shared/decoding/workflowStream';

export interface StreamRunOptions {
	/** A new run (stream_run), or the rest of one paused in a stream (stream_resume). */
	endpoint: 'run' | 'resume';
	body: IDataObject;
	itemIndex: number;
	timeoutMs: number;
	idleTimeoutMs: number | undefined;
	includeMessages: boolean;
	unwrapText: boolean;
}

/** Runs (or resumes) a workflow as a stream and returns the same fields as a waited-for run. */
export async function runWorkflowStream(
	this: IExecuteFunctions,
	connection: CozeConnection,
	options: StreamRunOptions,
): Promise<IDataObject> {
	const node = this.getNode();
	const limits = { itemIndex: options.itemIndex, timeoutMs: options.timeoutMs, idleTimeoutMs: options.idleTimeoutMs };
	const stream =
		options.endpoint === 'run'
			? await streamRunWorkflow.call(this, connection, options.body, limits)
			: await streamResumeWorkflow.call(this, connection, options.body, limits);
	let folded;
	try {
		folded = await foldWorkflowStream(stream.events, { includeMessages: options.includeMessages, maxKeptChars: stream.maxKeptChars });
	} catch (error) {
		throw streamFailure(node, error, stream.logid, options.itemIndex, {
			summary: 'The stream from Coze ended before the workflow finished',
			hint: 'The connection closed without a final event. The run was not resent automatically because it may have started; check its run history in Coze before running it again.',
		});
	}
	const result: IDataObject = {
		data: decodeWorkflowData(folded.output, options.unwrapText) as IDataObject[string],
		raw: folded.output,
		debug_url: folded.debugUrl ?? '',
	};
	if (folded.executeId) result.execute_id = folded.executeId;
	if (folded.usage) result.usage = folded.usage;
	if (stream.logid) result.logid = stream.logid;
	if (folded.interrupt) result.interrupt = folded.interrupt;
	if (folded.messages) result.messages = folded.messages;
	return result;
}
