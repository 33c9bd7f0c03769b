import type { INode, NodeApiError } from 'n8n-workflow';

import { addFailureFacts, ANSWER_TOO_LARGE_HINT, cozeApiError } from '../decoding/errors';
import { msToSecondsLabel } from '../utils/values';
import { AnswerTooLarge } from './budget';
import type { CozeConnection } from './connection';
import { hostOf } from './failures';
import { isRun, notResentNote } from './resendNotes';
import type { CozeRequest, CozeStreamRequest } from './types';
import { isReadOnly } from './types';
import type { StopReason } from './watchdog';
import { RequestStopped } from './watchdog';

/** A request that got no usable answer: stopped by its deadline, over its byte budget, or broken on the way. */
export function requestFailure(node: INode, error: unknown, connection: CozeConnection, request: CozeRequest): NodeApiError {
	if (error instanceof RequestStopped) {
		const stopped = 'idleTimeoutMs' in request ? stoppedStreamError(node, error.reason, request as CozeStreamRequest) : stoppedRequestError(node, error.reason, request);
		addFailureFacts(stopped, { connectionCode: error.reason === 'cancelled' ? 'ERR_CANCELED' : 'ETIMEDOUT' });
		return stopped;
	}
	if (error instanceof AnswerTooLarge) {
		// Not retried: the run happened, and its answer would be as large again.
		return cozeApiError(node, {}, request.itemIndex, {
			summary: error.message,
			hint: isRun(request)
				? ANSWER_TOO_LARGE_HINT
				: "It was not read further, to keep n8n's memory bounded. Raise Max Answer Size in the node's options if the answer is meant to be this large.",
		});
	}
	const setup = oauthSetupError(error);
	if (setup) {
		// Nothing was sent to the workflow: the request stopped at getting an access token.
		return cozeApiError(node, {}, request.itemIndex, { summary: setup.message, hint: setup.description });
	}
	const nodeError = describeConnectionError(node, error, connection, request);
	addFailureFacts(nodeError, { connectionCode: errorCode(error) ?? 'ECONNRESET' });
	return nodeError;
}

const mayHaveRunNote = (request: CozeRequest) => {
	if (isReadOnly(request)) return '';
	return isRun(request)
		? ' It was not resent automatically, because the workflow may have started in Coze; check its run history before running it again.'
		: notResentNote(request);
};

function stoppedRequestError(node: INode, reason: StopReason, request: CozeRequest): NodeApiError {
	if (reason === 'cancelled') {
		return cozeApiError(node, {}, request.itemIndex, {
			summary: 'The request to Coze was cancelled because the execution stopped',
			hint: `Nothing more will be sent.${mayHaveRunNote(request)}`,
		});
	}
	return cozeApiError(node, {}, request.itemIndex, {
		summary: `Coze did not answer within ${msToSecondsLabel(request.timeoutMs)}`,
		hint: isRun(request)
			? `Raise the Timeout option, or make the workflow faster: Coze itself drops calls that wait for a result after 90 s.${mayHaveRunNote(request)}`
			: `Raise the Timeout option, or try again later.${mayHaveRunNote(request)}`,
	});
}

function stoppedStreamError(node: INode, reason: StopReason, request: CozeStreamRequest): NodeApiError {
	const notResent =
		request.sideEffect === 'message'
			? ' It was not resent automatically, because the agent may still be answering in Coze; check the conversation (Get Chat) before sending the message again.'
			: ' It was not resent automatically, because the workflow may still be running in Coze; check its run history before running it again.';
	if (reason === 'cancelled') {
		return cozeApiError(node, {}, request.itemIndex, {
			summary: 'The stream from Coze was closed because the execution stopped',
			hint: `Nothing more will be read.${notResent}`,
		});
	}
	if (reason === 'idle') {
		return cozeApiError(node, {}, request.itemIndex, {
			summary: `Coze sent nothing for ${msToSecondsLabel(request.idleTimeoutMs ?? 0)}`,
			hint: `The stream went silent, so it was closed. Raise Idle Timeout if the workflow has long silent steps.${notResent}`,
		});
	}
	if (request.sideEffect === 'message') {
		return cozeApiError(node, {}, request.itemIndex, {
			summary: `The agent did not finish answering within ${msToSecondsLabel(request.timeoutMs)}`,
			hint: `Raise Timeout.${notResent}`,
		});
	}
	return cozeApiError(node, {}, request.itemIndex, {
		summary: `The workflow did not finish within ${msToSecondsLabel(request.timeoutMs)}`,
		hint: `Raise Timeout, or use Async mode for workflows that run for a long time.${notResent}`,
	});
}

function describeConnectionError(node: INode, error: unknown, connection: CozeConnection, request: CozeRequest): NodeApiError {
	const { itemIndex } = request;
	const host = hostOf(connection.baseUrl);
	const code = errorCode(error);
	const notResent = mayHaveRunNote(request);
	if (code === 'ERR_CANCELED' || code === 'ABORT_ERR') return stoppedRequestError(node, 'cancelled', request);
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return stoppedRequestError(node, 'overall', request);
	if (code === 'ECONNREFUSED') {
		return cozeApiError(node, {}, itemIndex, {
			summary: `Could not connect to ${host}: connection refused`,
			hint: 'Nothing is listening there. Check Region and Base URL in the Coze API credential, and that Coze Studio is running.',
		});
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return cozeApiError(node, {}, itemIndex, {
			summary: `Could not find the host ${host}`,
			hint: 'Check Base URL in the Coze API credential and the DNS settings of the n8n server.',
		});
	}
	if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_BAD_RESPONSE' || code === undefined) {
		return cozeApiError(node, {}, itemIndex, {
			summary: `The connection to ${host} broke before Coze answered`,
			hint: `A network problem or a proxy closed the connection.${notResent}`,
		});
	}
	return cozeApiError(node, {}, itemIndex, {
		// The code goes in the hint: n8n replaces a message that names a code such as EHOSTUNREACH.
		summary: `The request to ${host} failed`,
		hint: `Check the network between n8n and Coze (${code}).${notResent}`,
	});
}

/** The OAuth credential's own errors (credentials/cozeJwt.ts), as n8n wraps them. */
function oauthSetupError(error: unknown): { message: string; description: string } | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && isObject(current); depth++) {
		const candidate = current as { name?: unknown; message?: unknown; description?: unknown; cause?: unknown };
		if (candidate.name === 'CozeOAuthSetupError') {
			return { message: String(candidate.message), description: String(candidate.description ?? '') };
		}
		current = candidate.cause;
	}
	return undefined;
}

function errorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && isObject(current); depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && code !== '') return code;
		if ((current as { name?: unknown }).name === 'AbortError') return 'ABORT_ERR';
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}


function isObject(value: unknown): value is object {
	return typeof value === 'object' && value !== null;
}
