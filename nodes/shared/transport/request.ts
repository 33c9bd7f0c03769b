import type { IHttpRequestOptions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { asNodeError, failureOf } from '../decoding/errors';
import { msToSecondsLabel } from '../utils/values';
import { waitUnlessCancelled } from '../utils/wait';
import { maxAnswerBytesOf, readBody } from './budget';
import type { CozeConnection, CozeContext } from './connection';
import { interpretResponse, isTokenRefusal } from './failures';
import { requestFailure } from './unanswered';
import { credentialsForRequest, markTokenRefused } from './oauth';
import type { SlotOutcome } from './pacing';
import { adaptiveLimitOf } from './pacing';
import { retryPolicyOf, retryWait, slotOutcomeOf } from './retry';
import type { CozeRequest, CozeResponse, RawResponse, StreamBody } from './types';
import { isReadOnly } from './types';
import { RequestStopped, Watchdog } from './watchdog';

/**
 * Every JSON request to Coze goes through here: authentication by the credential, no
 * redirects (a redirected POST could run a workflow twice, and must never carry the token to
 * another host), one deadline and one byte budget for the whole answer, no resend of what may
 * have run, and every kind of failure turned into one clear n8n error, scrubbed of secrets.
 */
export async function cozeApiRequest(this: CozeContext, connection: CozeConnection, request: CozeRequest): Promise<CozeResponse> {
	return await withRetries(this, connection, request, async (slot) => await sendOnce.call(this, connection, request, slot.remainingMs));
}

/** What an attempt may do with its place among the requests in flight (pacing.ts). */
export interface AttemptSlot {
	/**
	 * Keeps the place after the attempt returns, for an answer read later (a stream); the
	 * function returned gives it back. Without this, the place is given back when the attempt ends.
	 */
	keep: () => (outcome: SlotOutcome) => void;
	/** What is left of the request's Timeout for this attempt: a retry never runs past the first send's deadline. */
	remainingMs: number;
}

/**
 * Runs `attempt` until it succeeds or fails in a way that must not be retried (see
 * retry.ts), waiting between attempts without timers of our own and stopping when n8n
 * cancels. No retry or Retry-After wait carries the request past its Timeout. Each attempt
 * first waits for a place among the run's requests in flight, so that the run paces itself
 * to what Coze accepts (pacing.ts).
 */
export async function withRetries<T>(
	context: CozeContext,
	connection: CozeConnection,
	request: CozeRequest,
	attempt: (slot: AttemptSlot) => Promise<T>,
): Promise<T> {
	const policy = retryPolicyOf(context);
	const signal = cancelSignalOf(context);
	const limit = adaptiveLimitOf(context);
	let renewedAfterRefusal = false;
	let giveUpAt: number | undefined;
	for (let attemptNumber = 1; ; attemptNumber++) {
		// The one place a cancelled execution is stopped before it sends: acquire refuses a fired signal.
		const slot = limit ? await limit.acquire(signal) : undefined;
		if (limit && !slot) throw requestFailure(context.getNode(), new RequestStopped('cancelled'), connection, request);
		// Timeout counts from the first send: a wait for the first place is not the request's.
		giveUpAt ??= Date.now() + request.timeoutMs;
		const remainingMs = giveUpAt - Date.now();
		if (remainingMs <= 0) {
			slot?.release('neutral');
			throw requestFailure(context.getNode(), new RequestStopped('overall'), connection, request);
		}
		let kept = false;
		const held: AttemptSlot = {
			keep: () => {
				kept = true;
				return (outcome) => slot?.release(outcome);
			},
			remainingMs,
		};
		try {
			const result = await attempt(held);
			if (!kept) slot?.release('accepted');
			return result;
		} catch (error) {
			const nodeError = connection.scrubber.error(asNodeError(context.getNode(), error, request.itemIndex));
			slot?.release(nodeError instanceof NodeApiError ? slotOutcomeOf(nodeError) : 'neutral');
			// An OAuth token can expire early or be revoked. Coze refused the request before
			// running anything, so it is safe to send it once more with a new token.
			if (connection.oauth && !renewedAfterRefusal && isTokenRefusal(failureOf(nodeError))) {
				renewedAfterRefusal = true;
				markTokenRefused(connection.oauth, tokenUsedBy.get(request) ?? '');
				continue;
			}
			// A document added twice stays twice: its request is never resent once it may have reached Coze, whatever the option says.
			const allowed = request.sideEffect === 'document' ? { ...policy, retryRunsThatMayHaveStarted: false } : policy;
			const wait = nodeError instanceof NodeApiError ? retryWait(nodeError, isReadOnly(request), attemptNumber, allowed) : undefined;
			if (wait !== undefined && Date.now() + wait > giveUpAt) {
				// A Retry-After (or backoff) longer than what is left of the item's Timeout: not waited out.
				nodeError.description = `${nodeError.description ?? ''}\nNot retried: the next attempt would come ${Math.ceil(wait / 1000)} s from now, past the Timeout of ${msToSecondsLabel(request.timeoutMs)}. Raise Timeout to allow it.`.trim();
				throw nodeError;
			}
			if (wait === undefined || signal?.aborted || !(await waitUnlessCancelled(wait, signal))) {
				if (attemptNumber > 1) {
					nodeError.description = `${nodeError.description ?? ''}\nGave up after ${attemptNumber} attempts.`.trim();
				}
				throw nodeError;
			}
		}
	}
}

async function sendOnce(this: CozeContext, connection: CozeConnection, request: CozeRequest, remainingMs: number): Promise<CozeResponse> {
	const node = this.getNode();
	const cancelSignal = cancelSignalOf(this);
	const watchdog = new Watchdog({ timeoutMs: remainingMs, signal: cancelSignal });
	const options = httpOptionsOf(connection, request, remainingMs, cancelSignal);
	let response: RawResponse;
	let text: string;
	try {
		response = await headersWithin(watchdog, authenticatedRequest.call(this, connection, request, options));
		const body = response.body as StreamBody;
		watchdog.onStop(() => body.destroy?.());
		text = await readBody(body, watchdog, maxAnswerBytesOf(this), 'fail');
	} catch (error) {
		throw requestFailure(node, error, connection, request);
	} finally {
		watchdog.finish();
	}
	return interpretResponse(node, text, response, connection, request);
}

/** How n8n's HTTP helper sends a request whose answer is read as a stream (JSON or bytes). */
export function httpOptionsOf(connection: CozeConnection, request: CozeRequest, remainingMs: number, cancelSignal: AbortSignal | undefined): IHttpRequestOptions {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${connection.baseUrl}${request.path}`,
		qs: request.qs,
		body: request.body,
		headers: request.headers,
		json: !Buffer.isBuffer(request.body),
		// Read as a stream, so that the body is counted against its budget as it arrives and
		// the socket can be destroyed at the deadline.
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		// Not the deadline (the watchdog is): it only lets the socket of an abandoned request go, a
		// second after the watchdog, so that under load it cannot end the request first with a vaguer error.
		timeout: remainingMs + 1000,
	};
	if (cancelSignal) options.abortSignal = cancelSignal;
	return options;
}

/**
 * The response, unless the watchdog stops the request first. An answer that arrives after
 * the request was given up has its body closed unread instead of holding the socket open.
 */
export async function headersWithin(watchdog: Watchdog, pending: Promise<RawResponse>): Promise<RawResponse> {
	void pending.then(
		(late) => {
			if (watchdog.stopReason) (late.body as StreamBody | undefined)?.destroy?.();
		},
		() => undefined,
	);
	return await watchdog.race(pending);
}

/** The OAuth token each request was last sent with, to know which token Coze refused. */
const tokenUsedBy = new WeakMap<CozeRequest, string>();

/** The one place requests leave: the credential adds the token (and, for OAuth, renews it). */
export async function authenticatedRequest(
	this: CozeContext,
	connection: CozeConnection,
	request: CozeRequest,
	options: IHttpRequestOptions,
): Promise<RawResponse> {
	if (!connection.oauth) {
		return (await this.helpers.httpRequestWithAuthentication.call(this, connection.credentialType, options)) as RawResponse;
	}
	const credentials = await credentialsForRequest(connection.oauth);
	try {
		return (await this.helpers.httpRequestWithAuthentication.call(this, connection.credentialType, options, {
			credentialsDecrypted: { id: '', name: connection.credentialType, type: connection.credentialType, data: credentials.data },
		})) as RawResponse;
	} finally {
		const token = String(credentials.data.accessToken ?? '');
		// A token fetched for this request is a secret of the run from now on.
		connection.scrubber.add(token);
		tokenUsedBy.set(request, token);
		credentials.release();
	}
}

export function cancelSignalOf(context: CozeContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
}
