import type { INode, NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { CozeFailure } from '../decoding/errors';
import { ANSWER_TOO_LARGE_HINT, asNodeError, cozeApiError } from '../decoding/errors';
import { WorkflowStreamEndedEarly, WorkflowStreamFailure, WorkflowStreamGarbled, WorkflowStreamTooLarge } from '../decoding/workflowStream';

/** A failure met while following a stream, as an n8n error: Coze's own error, an early end, or a broken connection. */
export function streamFailure(
	node: INode,
	error: unknown,
	logid: string | undefined,
	itemIndex: number,
	endedEarly: { summary: string; hint: string },
	// What may have happened in Coze already, for a garbled stream's hint.
	mayHaveStarted = 'The run was not resent automatically because it may have started; check its run history in Coze before running it again.',
	subject?: CozeFailure['subject'],
): NodeApiError | NodeOperationError {
	if (error instanceof WorkflowStreamFailure) return cozeApiError(node, { ...error.failure, logid, subject }, itemIndex);
	if (error instanceof WorkflowStreamEndedEarly) return cozeApiError(node, { logid }, itemIndex, endedEarly);
	if (error instanceof WorkflowStreamTooLarge) {
		return cozeApiError(node, { logid }, itemIndex, {
			summary: error.message,
			hint: ANSWER_TOO_LARGE_HINT,
		});
	}
	if (error instanceof WorkflowStreamGarbled) {
		// Its data is not quoted: what a server echoes in a stream is not scrubbed of the token here.
		return cozeApiError(node, { logid }, itemIndex, {
			summary: `Coze sent a ${error.eventName} event whose data is not valid JSON`,
			hint: `The stream was garbled on the way, often by a proxy in front of Coze. ${mayHaveStarted}`,
		});
	}
	return asNodeError(node, error, itemIndex);
}
