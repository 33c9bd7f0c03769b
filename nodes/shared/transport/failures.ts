import type { INode } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';

import type { CozeFailure } from '../decoding/errors';
import { addFailureFacts, cozeApiError, httpExplanation, quoted, studioErrorOf } from '../decoding/errors';
import { isPlainObject, JsonTooDeep, parseJsonKeepingBigIntegers } from '../decoding/json';
import type { CozeConnection } from './connection';
import { parseRetryAfter } from './retry';
import type { CozeRequest, CozeResponse, RawResponse } from './types';
import { isRun, notResentNote } from './resendNotes';

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
	const byStatus = httpExplanation(statusCode, subject);
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
			// A 4xx page (a proxy's 404 or 405) refused the request: resending it gets the same page.
			statusCode < 400 || statusCode >= 500,
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

/** The OAuth token Coze refused (401 or code 4100): worth one more try with a new one. */
export function isTokenRefusal(failure: CozeFailure): boolean {
	return failure.code === 4100 || failure.httpStatus === 401;
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

export function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}
