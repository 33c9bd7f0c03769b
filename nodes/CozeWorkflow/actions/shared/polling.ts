import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { getRunHistory } from '../../../shared/api/workflows';
import { cozeApiError } from '../../../shared/decoding/errors';
import { msToSecondsLabel } from '../../../shared/utils/values';
import type { RunRecord } from '../../../shared/decoding/runHistory';
import { decodeRunHistory, PAUSED } from '../../../shared/decoding/runHistory';
import { waitUnlessCancelled } from '../../../shared/utils/wait';
import type { CozeConnection } from '../../../shared/transport';

export interface RunLookup {
	workflowId: string;
	executeId: string;
	itemIndex: number;
	requestTimeoutMs: number;
	unwrapText: boolean;
}

/** One look at a run's history, decoded the same for both dialects. */
export async function fetchRunRecord(
	this: IExecuteFunctions,
	connection: CozeConnection,
	lookup: RunLookup,
): Promise<RunRecord> {
	const isStudio = connection.region === 'studio';
	const response = await getRunHistory.call(this, connection, lookup, { itemIndex: lookup.itemIndex, timeoutMs: lookup.requestTimeoutMs });
	const record = decodeRunHistory(response.body, isStudio, lookup.unwrapText);
	if (!record) {
		throw cozeApiError(this.getNode(), { logid: response.logid }, lookup.itemIndex, {
			summary: `Coze has no run ${lookup.executeId} for this workflow`,
			hint: 'Check the execute ID and the workflow. Coze keeps run results for 7 days.',
		});
	}
	if (!record.logid && response.logid) record.logid = response.logid;
	if (!record.execute_id || record.execute_id === 'undefined') record.execute_id = lookup.executeId;
	return record;
}

/**
 * Polls the run history until the run leaves "Running", n8n cancels the execution, or
 * `maxWaitMs` passes. A failed or cancelled run becomes an error; a run that paused at a
 * question node comes back with its interrupt.
 */
export async function pollRunUntilDone(
	this: IExecuteFunctions,
	connection: CozeConnection,
	lookup: RunLookup & { intervalMs: number; maxWaitMs: number },
): Promise<IDataObject> {
	const node = this.getNode();
	const signal = this.getExecutionCancelSignal();
	const deadline = Date.now() + lookup.maxWaitMs;
	let record: RunRecord;
	for (;;) {
		if (signal?.aborted) throw cancelledWhileWaiting(this, lookup);
		record = await fetchRunRecord.call(this, connection, lookup);
		if (record.status !== 'Running') break;
		const wait = Math.min(lookup.intervalMs, deadline - Date.now());
		if (wait <= 0) {
			throw cozeApiError(node, { debugUrl: record.debug_url || undefined }, lookup.itemIndex, {
				summary: `The workflow was still running after ${msToSecondsLabel(lookup.maxWaitMs)}`,
				hint: `It goes on in Coze: fetch its result later with the Get Run Result operation and execute ID ${lookup.executeId}, or raise Max Wait.`,
			});
		}
		if (!(await waitUnlessCancelled(wait, signal))) throw cancelledWhileWaiting(this, lookup);
	}

	if (record.status === PAUSED && !record.interrupt) {
		throw cozeApiError(node, { debugUrl: record.debug_url || undefined, logid: record.logid as string | undefined }, lookup.itemIndex, {
			summary: 'The workflow paused at a question or input node',
			hint:
				connection.region === 'studio'
					? "Coze Studio's run history does not say which question, and Studio resumes only runs paused in a stream. Run the workflow in Stream mode: its pauses come out as an interrupt that the Resume operation answers."
					: 'Coze did not say which question. Run the workflow in Stream mode, whose pauses come out as an interrupt that the Resume operation answers.',
		});
	}
	if (record.status === 'Fail' || record.status === 'Cancel') {
		const code = Number(record.error_code);
		throw cozeApiError(
			node,
			{
				code: Number.isFinite(code) && record.error_code !== undefined ? code : undefined,
				msg: (record.error_message as string | undefined) ?? `The run ended with status ${record.status}`,
				logid: record.logid as string | undefined,
				debugUrl: record.debug_url || undefined,
			},
			lookup.itemIndex,
			record.status === 'Cancel'
				? { summary: 'The run was cancelled in Coze', hint: 'Run the workflow again if it should finish.' }
				: undefined,
		);
	}
	return record;
}

function cancelledWhileWaiting(context: IExecuteFunctions, lookup: RunLookup) {
	return cozeApiError(context.getNode(), {}, lookup.itemIndex, {
		summary: 'Stopped waiting for the async run because the execution stopped',
		hint: `The run goes on in Coze; its execute ID is ${lookup.executeId}.`,
	});
}
