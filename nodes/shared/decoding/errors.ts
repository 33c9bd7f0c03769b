import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { JsonTooDeep } from './json';
import type { Explanation } from './explanations';
import { explainFailure } from './explanations';

export { explainFailure, httpExplanation } from './explanations';
export type { Explanation } from './explanations';

/**
 * What is known about a failed Coze call, carried on the error as one typed object
 * (`failureOf`). Code, message, status, log ID and debug URL reach the user (error items,
 * error details); the rest tells the retry logic whether a resend is safe.
 */
export interface CozeFailure {
	code?: number;
	msg?: string;
	httpStatus?: number;
	logid?: string;
	debugUrl?: string;
	/** The server's Retry-After, in milliseconds. */
	retryAfterMs?: number;
	/** The network failure (ECONNRESET, ETIMEDOUT …) when no answer came. */
	connectionCode?: string;
	/** The answer does not say whether the run started (garbled, empty, neither code nor data). */
	uncertainAnswer?: boolean;
	/** What the request was about, when a code means something else there (4000, 4200 for agents). */
	subject?: CozeSubject;
}

/** What a request is about, for the errors' wording (explanations.ts): unset for workflows. */
export type CozeSubject = 'agent' | 'file' | 'knowledge' | 'audio';

/**
 * Coze Studio's error text `code=<errno> message=<text>\nstack=…` (its errorx format, §10.6):
 * the number and the text, without the server's stack trace.
 */
export function studioErrorOf(msg: unknown): { code: number; msg: string } | undefined {
	if (typeof msg !== 'string') return undefined;
	const match = /^\s*code=(\d{1,15}) message=([\s\S]*?)(?:\nstack=[\s\S]*)?$/.exec(msg);
	return match ? { code: Number(match[1]), msg: match[2].trim() } : undefined;
}

type NodeError = NodeApiError | NodeOperationError;

/** The facts of a failure, as cozeApiError recorded them (empty for other errors). */
export function failureOf(error: NodeError): CozeFailure {
	const failure = error.context.failure;
	return typeof failure === 'object' && failure !== null ? (failure as CozeFailure) : {};
}

/** Adds facts learnt after the error was made (the transport knows Retry-After, the network code). */
export function addFailureFacts(error: NodeError, facts: Partial<CozeFailure>): void {
	error.context.failure = { ...failureOf(error), ...facts };
}

/** Why an answer, a stream event or a streamed output past Max Answer Size was not read further. */
export const ANSWER_TOO_LARGE_HINT =
	"Coze caps a result at 20 MB, so the server is not behaving like Coze, or the workflow's output really is this large; it was not read further, to keep n8n's memory bounded. Raise Max Answer Size in the node's options if the output is meant to be this large. The run was not resent automatically because it may have started."

/** The most of a server's text an error quotes: Coze's `msg` can be megabytes from a broken server. */
export const MAX_QUOTED_CHARS = 2000;

export function quoted(text: string, maxChars = MAX_QUOTED_CHARS): string {
	return text.length <= maxChars ? text : `${text.slice(0, maxChars)}… (${text.length - maxChars} more characters left out)`;
}

/**
 * The one place a Coze failure becomes an n8n error: a short message naming the code, a
 * description with what Coze said and what to do, and the facts as one typed object so that
 * Continue On Fail items carry them too. The item is n8n's to name: it is in `itemIndex`.
 */
export function cozeApiError(
	node: INode,
	failure: CozeFailure,
	itemIndex: number,
	explanation: Explanation = explainFailure(failure),
): NodeApiError {
	const codePart =
		failure.code !== undefined
			? ` (Coze code ${failure.code})`
			: failure.httpStatus !== undefined
				? ` (HTTP ${failure.httpStatus})`
				: '';
	const lines = [
		failure.msg ? `Coze says: ${asSentence(quoted(failure.msg))}` : undefined,
		explanation.hint,
		failure.logid ? `Log ID: ${failure.logid}` : undefined,
		failure.debugUrl ? `Debug URL: ${failure.debugUrl}` : undefined,
	].filter((line): line is string => line !== undefined);
	const details = failureDetails(failure);
	const error = new NodeApiError(node, details as JsonObject, {
		message: `${explanation.summary}${codePart}`,
		description: lines.join('\n'),
		httpCode: failure.httpStatus !== undefined ? String(failure.httpStatus) : undefined,
		itemIndex,
	});
	error.context.failure = { ...failure, msg: failure.msg === undefined ? undefined : quoted(failure.msg) };
	return error;
}

/**
 * Coze's message as a sentence: the editor shows a description as one paragraph, where
 * "authentication is invalid" ran into the hint that follows it.
 */
function asSentence(text: string): string {
	return /[.!?。！？…)\]"']$/.test(text.trim()) ? text : `${text}.`;
}

/** The facts a user sees: in error details and in Continue On Fail items. */
export function failureDetails(failure: CozeFailure): IDataObject {
	const details: IDataObject = {};
	if (failure.code !== undefined) details.code = failure.code;
	if (failure.msg) details.msg = quoted(failure.msg);
	if (failure.httpStatus !== undefined) details.httpStatus = failure.httpStatus;
	if (failure.logid) details.logid = failure.logid;
	if (failure.debugUrl) details.debug_url = failure.debugUrl;
	return details;
}

/** Errors from our own code are already n8n errors; anything else is wrapped, naming the item. */
export function asNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	if (error instanceof JsonTooDeep) return new NodeOperationError(node, error.message, { itemIndex, description: error.hint });
	return new NodeOperationError(node, error as Error, { itemIndex });
}
