import type { INode } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';

import type { CozeFailure } from '../decoding/errors';
import { addFailureFacts, ANSWER_TOO_LARGE_HINT, cozeApiError, httpExplanation, quoted, studioErrorOf } from '../decoding/errors';
import { msToSecondsLabel } from '../utils/values';
import { isPlainObject, JsonTooDeep, parseJsonKeepingBigIntegers } from '../decoding/json';
import { AnswerTooLarge } from './budget';
import type { CozeConnection } from './connection';
import { parseRetryAfter } from './retry';
import type { CozeRequest, CozeResponse, CozeStreamRequest, RawResponse } from './types';
import { isReadOnly } from './types';
import type { StopReason } from './watchdog';
import { RequestStopped } from './watchdog';

/**
 * Turns an HTTP answer into the parsed body of a success, or throws the one clear error it
 * means. Everything the server said is scrubbed of the run's secrets before it is read.
 */
export function interpretResponse(
	node: INode,
	rawText: string,
	response: Omit<RawResponse, 'body'>,
	connection: CozeConnection,
	request: Pick<CozeRequest, 'itemIndex' | 'method' | 'readOnly' | 'sideEffect' | 'subject' | 'resultField'>,
): CozeResponse {
	const { itemIndex, subject } = request;
	const resultField = request.resultField ?? 'data';
	const { statusCode, headers } = response;
	const { scrubber } = connection;
	const text = scrubber.text(rawText);
	// Headers are the server's words too: a hostile one can echo the token in them.
	const headerLogid = logidHeader(headers, connection);

	if (statusCode >= 300 && statusCode < 400) {
		const location = headerValue(headers, 'location');
		throw cozeApiError(node, { httpStatus: statusCode, logid: headerLogid }, itemIndex, {
			summary: `Coze answered with a redirect${location ? ` to ${scrubber.text(hostOf(location))}` : ''}`,
			hint: 'The request was not followed there, so the token stayed here. Check Base URL in the Coze API credential (http or https, host and port).',
		});
	}

	const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'));
	const withRetryFacts = (error: NodeApiError, uncertainAnswer: boolean) => {
		addFailureFacts(error, { retryAfterMs, uncertainAnswer: uncertainAnswer || undefined });
		return error;
	};
	const trimmed = text.trim();
	const byStatus = httpExplanation(statusCode);
	if (byStatus && (trimmed === '' || !/^[[{]/.test(trimmed))) {
		// A gateway's 401 or 404 often comes with an empty or plain-text body: it still means the token or the address.
		const plain = trimmed !== '' && !trimmed.startsWith('<') ? quoted(trimmed, 300) : undefined;
		throw withRetryFacts(cozeApiError(node, { httpStatus: statusCode, logid: headerLogid, msg: plain, subject }, itemIndex, byStatus), false);
	}
	if (trimmed === '') {
		throw withRetryFacts(
			cozeApiError(node, { httpStatus: statusCode, logid: headerLogid }, itemIndex, {
				summary: `Coze answered HTTP ${statusCode} with an empty body`,
				hint: isRun(request)
					? 'A proxy or the Coze server failed. Try again later; the run was not resent automatically because it may have started.'
					: `A proxy or the Coze server failed. Try again later.${notResentNote(request)}`,
			}),
			true,
		);
	}

	let body: unknown;
	try {
		body = parseJsonKeepingBigIntegers(trimmed);
	} catch (error) {
		if (error instanceof JsonTooDeep) {
			throw cozeApiError(node, { httpStatus: statusCode, logid: headerLogid }, itemIndex, { summary: error.message, hint: error.hint });
		}
		throw withRetryFacts(
			cozeApiError(node, { httpStatus: statusCode, logid: headerLogid, msg: plainText(trimmed, headers), subject }, itemIndex, nonJsonExplanation(trimmed, headers, statusCode, request)),
			true,
		);
	}
	if (!isPlainObject(body)) {
		throw cozeApiError(node, { httpStatus: statusCode, logid: headerLogid }, itemIndex, {
			summary: `Coze answered HTTP ${statusCode} with JSON that is not an object`,
			hint: 'Check Base URL in the Coze API credential: it should point at the Coze API.',
		});
	}

	const logid = detailLogid(body) ?? headerLogid;
	const code = cozeCode(body.code);
	// Studio's run history answers a success with `data` and no `code`; an answer with neither
	// (`{"msg":"internal error"}`) is a failure, never an empty success.
	const httpFailed = statusCode < 200 || statusCode >= 300;
	if (code === undefined && !httpFailed && !('data' in body) && !(resultField in body)) {
		throw withRetryFacts(
			cozeApiError(node, { msg: typeof body.msg === 'string' ? body.msg : undefined, logid }, itemIndex, {
				summary: 'Coze answered with neither a result nor an error code',
				hint: isRun(request)
					? 'Coze or a proxy in front of it failed; its message, if any, is above. The run was not resent automatically because it may have started; check the workflow in Coze before running it again.'
					: `Coze or a proxy in front of it failed; its message, if any, is above.${notResentNote(request)}`,
			}),
			// Whether it ran is unknown: retried only where a resend is safe (lookups) or allowed.
			true,
		);
	}
	const failed = (code !== undefined && code !== 0) || httpFailed;
	if (failed) {
		// Coze Studio folds its own error number into the message of an HTTP 400 (§10.6).
		const studio = studioErrorOf(body.msg);
		const failure: CozeFailure = {
			subject,
			code: studio?.code ?? code,
			msg: studio?.msg ?? (typeof body.msg === 'string' ? body.msg : undefined),
			httpStatus: code === undefined || statusCode >= 300 ? statusCode : undefined,
			logid,
			debugUrl: typeof body.debug_url === 'string' ? body.debug_url : undefined,
		};
		throw withRetryFacts(cozeApiError(node, failure, itemIndex), false);
	}
	return { body, statusCode, logid };
}

/** Coze's `code`: a number, or the same number as a string (`"4100"`), which gateways send. */
function cozeCode(value: unknown): number | undefined {
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
	return undefined;
}

function nonJsonExplanation(text: string, headers: Record<string, unknown>, statusCode: number, request: Pick<CozeRequest, 'readOnly' | 'method' | 'sideEffect' | 'subject'>) {
	const contentType = headerValue(headers, 'content-type') ?? '';
	if (contentType.includes('html') || text.startsWith('<')) {
		const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(text)?.[1]?.trim();
		return {
			summary: `Coze answered HTTP ${statusCode} with an HTML page${title ? ` ("${title}")` : ''} instead of JSON`,
			hint: isRun(request)
				? 'A proxy or gateway in front of Coze failed, or Base URL points at a web page rather than the API. Try again later; the run was not resent automatically because it may have started.'
				: `A proxy or gateway in front of Coze failed, or Base URL points at a web page rather than the API. Try again later.${notResentNote(request)}`,
		};
	}
	if (plainText(text, headers) !== undefined) {
		// Coze Studio answers some failures (an unknown chat's retrieve) with its error as plain text (§10.6).
		return {
			summary: `Coze answered HTTP ${statusCode} with a plain-text error`,
			hint: `Its text is above.${isRun(request) ? ' The run was not resent automatically because it may have started; check the workflow in Coze before running it again.' : notResentNote(request)}`,
		};
	}
	return {
		summary: `Coze answered HTTP ${statusCode} with a body that is not valid JSON`,
		hint: isRun(request)
			? 'The answer was cut off or garbled on the way. The run was not resent automatically because it may have started; check the workflow in Coze before running it again.'
			: `The answer was cut off or garbled on the way.${notResentNote(request)}`,
	};
}

/** A short text/plain body, quoted: a server's own words for what went wrong. */
function plainText(text: string, headers: Record<string, unknown>): string | undefined {
	const contentType = headerValue(headers, 'content-type') ?? '';
	if (!contentType.includes('text/plain') || text === '' || text.length > 300 || text.startsWith('<')) return undefined;
	return quoted(text, 300);
}

/** A workflow run (the wording the workflow node's errors have always had). */
function isRun(request: Pick<CozeRequest, 'sideEffect' | 'subject'>): boolean {
	return request.sideEffect === undefined && request.subject === undefined;
}

/** What a failed request that was not resent leaves behind, for a request that is not a workflow run. */
function notResentNote(request: Pick<CozeRequest, 'readOnly' | 'method' | 'sideEffect'>): string {
	if (isReadOnly(request)) return '';
	if (request.sideEffect === 'message') {
		return ' It was not resent automatically, because the agent may have received the message; check the conversation before sending it again.';
	}
	return ' It was not resent automatically, because it may have reached Coze.';
}

/** A request that got no usable answer: stopped by its deadline, over its byte budget, or broken on the way. */
export function requestFailure(node: INode, error: unknown, connection: CozeConnection, request: CozeRequest): NodeApiError {
	if (error instanceof RequestStopped) {
		const stopped = 'idleTimeoutMs' in request ? stoppedStreamError(node, error.reason, request as CozeStreamRequest) : stoppedRequestError(node, error.reason, request);
		addFailureFacts(stopped, { connectionCode: error.reason === 'cancelled' ? 'ERR_CANCELED' : 'ETIMEDOUT' });
		return stopped;
	}
	if (error instanceof AnswerTooLarge) {
		// Not retried: the run happened, and its answer would be as large again.
		return cozeApiError(node, {}, request.itemIndex, { summary: error.message, hint: ANSWER_TOO_LARGE_HINT });
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

/** The OAuth token Coze refused (401 or code 4100): worth one more try with a new one. */
export function isTokenRefusal(failure: CozeFailure): boolean {
	return failure.code === 4100 || failure.httpStatus === 401;
}

function isObject(value: unknown): value is object {
	return typeof value === 'object' && value !== null;
}

function detailLogid(body: Record<string, unknown>): string | undefined {
	const detail = body.detail;
	if (isPlainObject(detail) && typeof detail.logid === 'string' && detail.logid !== '') return detail.logid;
	return undefined;
}

/** The log ID Coze puts in a header, scrubbed: a hostile server can echo the token there. */
export function logidHeader(headers: Record<string, unknown>, connection: CozeConnection): string | undefined {
	return connection.scrubber.optionalText(headerValue(headers, 'x-tt-logid') ?? headerValue(headers, 'x-log-id'));
}

export function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() !== name) continue;
		const first = Array.isArray(value) ? value[0] : value;
		if (first !== undefined && first !== null && String(first) !== '') return String(first);
	}
	return undefined;
}

function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}
