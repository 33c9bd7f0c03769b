import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { documentProgress } from '../../../shared/api/knowledge';
import { asNodeError, cozeApiError } from '../../../shared/decoding/errors';
import { failureReasonOf, processingStateOf, progressById } from '../../../shared/decoding/knowledge';
import type { CozeConnection } from '../../../shared/transport';
import { msToSecondsLabel } from '../../../shared/utils/values';
import { waitUnlessCancelled } from '../../../shared/utils/wait';
import { LOOKUP_TIMEOUT_MS } from './fields';

export interface ProcessingWait {
	knowledgeBaseId: string;
	documentIds: string[];
	itemIndex: number;
	intervalMs: number;
	maxWaitMs: number;
}

/**
 * Polls the documents' progress until none is still processing (§11.5), n8n cancels, or
 * `maxWaitMs` passes. A document Coze failed to process is an error that quotes Coze's reason;
 * so is one still processing at the end, with the IDs to look it up later.
 */
export async function waitForProcessing(this: IExecuteFunctions, connection: CozeConnection, wait: ProcessingWait): Promise<Map<string, IDataObject>> {
	const node = this.getNode();
	const signal = this.getExecutionCancelSignal();
	const deadline = Date.now() + wait.maxWaitMs;
	const ids = wait.documentIds.join(', ');
	for (;;) {
		const remainingMs = deadline - Date.now();
		let progress: Map<string, IDataObject>;
		try {
			progress = progressById(
				await documentProgress.call(this, connection, wait.knowledgeBaseId, wait.documentIds, {
					itemIndex: wait.itemIndex,
					timeoutMs: Math.max(1000, Math.min(LOOKUP_TIMEOUT_MS, remainingMs)),
				}),
			);
		} catch (error) {
			// The documents are in: whoever reruns the item must know, or they are added twice.
			const nodeError = asNodeError(node, error, wait.itemIndex);
			nodeError.description = `${nodeError.description ?? ''}\nThe documents were added, and were not added again: document IDs ${ids}. Look at them with Get Processing Status instead of adding them once more.`.trim();
			throw nodeError;
		}
		const states = wait.documentIds.map((id) => ({ id, entry: progress.get(id), state: processingStateOf(progress.get(id)?.status) }));
		const failed = states.filter(({ state }) => state === 'failed' || state === 'deleted');
		if (failed.length > 0) {
			const reasons = failed.map(({ id, entry, state }) => {
				const name = entry?.document_name ? `"${String(entry.document_name)}" (${id})` : id;
				return state === 'deleted' ? `${name}: deleted while it was processed` : `${name}: ${(entry && failureReasonOf(entry)) ?? 'Coze gave no reason'}`;
			});
			throw cozeApiError(node, {}, wait.itemIndex, {
				summary: failed.length === 1 ? `Coze could not process the document ${reasons[0]}` : `Coze could not process ${failed.length} of the documents`,
				hint: `${failed.length > 1 ? `${reasons.join('; ')}. ` : ''}Check the file (type, size, whether it has text), fix it and add it again; the failed document stays in the knowledge base until you delete it (Delete Document).`,
			});
		}
		// A document Coze does not report yet is still on its way in.
		if (states.every(({ state, entry }) => entry !== undefined && state === 'completed')) return progress;
		const pause = Math.min(wait.intervalMs, deadline - Date.now());
		if (pause <= 0) {
			throw cozeApiError(node, {}, wait.itemIndex, {
				summary: `Coze was still processing the documents after ${msToSecondsLabel(wait.maxWaitMs)}`,
				hint: `Processing goes on in Coze. Check later with Get Processing Status (document IDs ${ids}), or raise Max Wait.`,
			});
		}
		if (!(await waitUnlessCancelled(pause, signal))) {
			throw cozeApiError(node, {}, wait.itemIndex, {
				summary: 'Stopped waiting for the documents because the execution stopped',
				hint: `They were added and Coze goes on processing them: document IDs ${ids}.`,
			});
		}
	}
}
