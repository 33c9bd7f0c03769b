import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { baseUrlOf, hasUserInfo, isHttpUrl } from '../../../credentials/cozeEndpoint';

import type { CozeFailure } from '../helpers/errors';
import { asNodeError, cozeApiError, httpExplanation, STREAM_TOO_LARGE_HINT } from '../helpers/errors';
import { isPlainObject, JsonTooDeep, parseJsonKeepingBigIntegers } from '../helpers/json';
import type { SseEvent } from '../helpers/sse';
import { NotAnEventStream, readSseEvents, SseTooLarge } from '../helpers/sse';
import { oncePerRun } from '../helpers/perRun';
import { waitUnlessCancelled } from '../helpers/wait';
import type { OAuthSession } from './oauth';
import { credentialsForRequest, currentToken, markTokenRefused, newOAuthSession } from './oauth';
import { parseRetryAfter, retryPolicyOf, retryWait } from './retry';

export const TOKEN_CREDENTIAL = 'cozeApi';
export const OAUTH_CREDENTIAL = 'cozeOAuthApi';

export type CozeRegion = 'cn' | 'com' | 'custom' | 'studio';

export interface CozeConnection {
	region: CozeRegion;
	baseUrl: string;
	credentialType: typeof TOKEN_CREDENTIAL | typeof OAUTH_CREDENTIAL;
	/** Only for scrubbing it out of anything Coze echoes back; it is sent by the credential. */
	secret: string;
	/** With the OAuth (JWT) credential: the run's access token, renewed as needed. */
	oauth?: OAuthSession;
}

export interface CozeRequest {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject | Buffer;
	headers?: IDataObject;
	qs?: IDataObject;
	timeoutMs: number;
	itemIndex: number;
}

export interface CozeResponse {
	body: Record<string, unknown>;
	statusCode: number;
	logid?: string;
}

type CozeContext = IExecuteFunctions | ILoadOptionsFunctions;

/** The credential is the same for every item of a run: read and checked once per run. */
export async function getCozeConnection(this: CozeContext, itemIndex = 0): Promise<CozeConnection> {
	if (!('getInputData' in this)) return await readConnection.call(this, itemIndex);
	return await oncePerRun(this, 'connection', async () => await readConnection.call(this, itemIndex));
}

/** Which credential the node uses: its Authentication parameter (absent in workflows saved before it existed). */
function credentialTypeOf(context: CozeContext): CozeConnection['credentialType'] {
	const authentication =
		'getInputData' in context
			? context.getNodeParameter('authentication', 0, 'accessToken')
			: context.getCurrentNodeParameter('authentication');
	return authentication === 'oAuthJwt' ? OAUTH_CREDENTIAL : TOKEN_CREDENTIAL;
}

async function readConnection(this: CozeContext, itemIndex: number): Promise<CozeConnection> {
	const credentialType = credentialTypeOf(this);
	const credentials = await this.getCredentials(credentialType, itemIndex);
	const region = String(credentials.region ?? 'cn') as CozeRegion;
	const oauth = credentialType === OAUTH_CREDENTIAL ? newOAuthSession(credentials) : undefined;
	const secret = oauth ? '' : String(credentials.accessToken ?? '');
	const baseUrl = baseUrlOf(credentials);
	if (hasUserInfo(baseUrl)) {
		// Not quoted: the user info may be a password.
		throw new NodeOperationError(this.getNode(), 'The Base URL contains a user name or password', {
			itemIndex,
			description:
				'The HTTP client would send them as Basic authentication in place of the Coze token. Remove the "user:password@" part from Base URL in the Coze credential; Coze signs in with the token alone.',
		});
	}
	if (!isHttpUrl(baseUrl)) {
		throw new NodeOperationError(this.getNode(), `The Base URL "${baseUrl}" is not an http(s) address`, {
			itemIndex,
			description:
				'Set Base URL in the Coze credential to the address of your Coze Studio or Coze endpoint, e.g. http://localhost:8888.',
		});
	}
	return { region, baseUrl, credentialType, secret, oauth };
}

/**
 * Every request to Coze goes through here: authentication by the credential, no redirects
 * (a redirected POST could run a workflow twice, and must never carry the token to another
 * host), no automatic resend, and every kind of failure turned into one clear n8n error.
 */
export async function cozeApiRequest(
	this: CozeContext,
	connection: CozeConnection,
	request: CozeRequest,
): Promise<CozeResponse> {
	return await withRetries(this, connection, request, async () => await sendOnce.call(this, connection, request));
}

/**
 * Runs `attempt` until it succeeds or fails in a way that must not be retried (see
 * retry.ts), waiting between attempts without timers of our own and stopping when n8n cancels.
 */
async function withRetries<T>(
	context: CozeContext,
	connection: CozeConnection,
	request: CozeRequest,
	attempt: () => Promise<T>,
): Promise<T> {
	const policy = retryPolicyOf(context);
	const signal = 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
	let renewedAfterRefusal = false;
	const giveUpAt = Date.now() + request.timeoutMs;
	for (let attemptNumber = 1; ; attemptNumber++) {
		try {
			return await attempt();
		} catch (error) {
			const nodeError = asNodeError(context.getNode(), error, request.itemIndex);
			// An OAuth token can expire early or be revoked. Coze refused the request before
			// running anything, so it is safe to send it once more with a new token.
			if (connection.oauth && !renewedAfterRefusal && isTokenRefusal(nodeError)) {
				renewedAfterRefusal = true;
				markTokenRefused(connection.oauth, tokenUsedBy.get(request) ?? '');
				continue;
			}
			const wait = nodeError instanceof NodeApiError ? retryWait(nodeError, request.method, attemptNumber, policy) : undefined;
			if (wait !== undefined && Date.now() + wait > giveUpAt) {
				// A Retry-After (or backoff) longer than what is left of the item's Timeout: not waited out.
				nodeError.description = `${nodeError.description ?? ''}\nNot retried: the next attempt would come ${Math.ceil(wait / 1000)} s from now, past the Timeout of ${Math.round(request.timeoutMs / 1000)} s. Raise Timeout to allow it.`.trim();
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

async function sendOnce(this: CozeContext, connection: CozeConnection, request: CozeRequest): Promise<CozeResponse> {
	const node = this.getNode();
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${connection.baseUrl}${request.path}`,
		qs: request.qs,
		body: request.body,
		headers: request.headers,
		json: !Buffer.isBuffer(request.body),
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: request.timeoutMs,
	};
	const cancelSignal = 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal() : undefined;
	if (cancelSignal) options.abortSignal = cancelSignal;

	let response: RawResponse;
	try {
		// axios' timeout ends once the headers are in, and every trickled byte restarts the socket's
		// own timer: the Timeout is enforced here, on the wall clock, for the whole answer.
		response = await withinDeadline(authenticatedRequest.call(this, connection, request, options), request.timeoutMs);
	} catch (error) {
		throw connectionError(node, error, connection, request);
	}
	return interpretResponse(node, bodyText(response.body), response, connection, request.itemIndex);
}

const EXPIRED = Symbol('expired');

/**
 * `pending`, unless it takes longer than `ms` on the wall clock: then an ETIMEDOUT error, which
 * becomes the usual timeout explanation. Checked with n8n's sleep in short steps (community
 * nodes may not set timers); the loop ends as soon as `pending` settles.
 */
async function withinDeadline<T>(pending: Promise<T>, ms: number): Promise<T> {
	let settled = false;
	const watched = pending.finally(() => (settled = true));
	const deadline = (async () => {
		const until = Date.now() + ms;
		while (!settled && Date.now() < until) await sleep(Math.min(250, until - Date.now()));
		return EXPIRED;
	})();
	const first = await Promise.race([watched, deadline]);
	if (first !== EXPIRED) return first as T;
	if (settled) return await watched;
	watched.catch(() => undefined);
	throw Object.assign(new Error(`no complete answer within ${ms} ms`), { code: 'ETIMEDOUT' });
}

export interface CozeStreamRequest extends CozeRequest {
	/** Longest silence allowed between two chunks; Coze sends PING events while it works. */
	idleTimeoutMs: number;
}

export interface CozeStream {
	events: AsyncGenerator<SseEvent>;
	logid?: string;
}

type StopReason = 'idle' | 'overall' | 'cancelled';

const STOPPED = Symbol('stopped');

/**
 * A request answered with server-sent events. The events are read as they arrive; the stream
 * is aborted when n8n cancels the execution, after `idleTimeoutMs` of silence, or after
 * `timeoutMs` in all, and each of those ends in its own clear error.
 */
export async function cozeStreamRequest(
	this: IExecuteFunctions,
	connection: CozeConnection,
	request: CozeStreamRequest,
): Promise<CozeStream> {
	return await withRetries(this, connection, request, async () => await openStream.call(this, connection, request));
}

async function openStream(
	this: IExecuteFunctions,
	connection: CozeConnection,
	request: CozeStreamRequest,
): Promise<CozeStream> {
	const node = this.getNode();
	const controller = new AbortController();
	let stopReason: StopReason | undefined;
	const open: { body?: { destroy?: (error?: Error) => void } } = {};
	// Once the answer has started, neither the abort signal nor destroying the body reliably
	// ends a read that waits on a silent socket, so every read also races this.
	let announceStop: (value: typeof STOPPED) => void = () => undefined;
	const stopped = new Promise<typeof STOPPED>((resolve) => (announceStop = resolve));
	const stop = (reason: StopReason) => {
		stopReason ??= reason;
		controller.abort();
		announceStop(STOPPED);
		open.body?.destroy?.(new Error(`stream stopped: ${reason}`));
	};
	const cancelSignal = this.getExecutionCancelSignal();
	if (cancelSignal?.aborted) stop('cancelled');
	cancelSignal?.addEventListener('abort', () => stop('cancelled'), { once: true });

	const started = Date.now();
	let lastActivity = started;
	let answered = false;
	let finished = false;
	void (async () => {
		// A watchdog instead of timers: n8n's community rules forbid setTimeout.
		while (!finished && !controller.signal.aborted) {
			await sleep(Math.min(250, request.idleTimeoutMs / 4));
			const now = Date.now();
			if (now - started > request.timeoutMs) stop('overall');
			// Idle Timeout is silence once Coze has started answering; before that only Timeout applies.
			else if (answered && now - lastActivity > request.idleTimeoutMs) stop('idle');
		}
	})();

	const fail = (error: unknown): never => {
		finished = true;
		if (stopReason) throw stoppedStreamError(node, stopReason, request);
		throw connectionError(node, error, connection, request);
	};

	let response: RawResponse;
	try {
		// n8n's HTTP helper puts the execution's cancel signal in place of ours, so aborting does
		// not end a request still waiting for headers: the wait itself races the watchdog.
		const pending = authenticatedRequest.call(this, connection, request, {
			method: request.method,
			url: `${connection.baseUrl}${request.path}`,
			qs: request.qs,
			body: request.body,
			json: true,
			headers: { Accept: 'text/event-stream' },
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			abortSignal: controller.signal,
		});
		const first = await Promise.race([pending, stopped]);
		if (first === STOPPED) {
			// Should the headers still come, the body is closed unread.
			pending.then(
				(late) => (late.body as { destroy?: () => void } | undefined)?.destroy?.(),
				() => undefined,
			);
			return fail(new Error(`stream stopped before Coze answered: ${stopReason}`));
		}
		response = first;
	} catch (error) {
		return fail(error);
	}

	const body = response.body as AsyncIterable<Uint8Array | string> & { destroy?: (error?: Error) => void };
	open.body = body;
	if (stopReason) body.destroy?.(new Error(`stream stopped: ${stopReason}`));
	const contentType = headerValue(response.headers, 'content-type') ?? '';
	const isStream = contentType.includes('text/event-stream');
	if (!isStream || response.statusCode < 200 || response.statusCode >= 300) {
		let text: string;
		try {
			text = await readBounded(body, MAX_ERROR_BODY_BYTES);
		} catch (error) {
			return fail(error);
		}
		finished = true;
		interpretResponse(node, text, response, connection, request.itemIndex);
		throw cozeApiError(node, { httpStatus: response.statusCode }, request.itemIndex, {
			summary: 'Coze answered with a JSON document instead of an event stream',
			hint: 'Check Base URL in the Coze API credential: it should point at the Coze API.',
		});
	}

	const secret = secretOf(connection);
	const logid = scrubbed(headerValue(response.headers, 'x-tt-logid') ?? headerValue(response.headers, 'x-log-id'), secret);
	async function* chunks(): AsyncGenerator<Uint8Array | string> {
		const iterator = body[Symbol.asyncIterator]();
		for (;;) {
			const next = await Promise.race([iterator.next(), stopped]);
			if (next === STOPPED) throw new Error(`stream stopped: ${stopReason}`);
			if (next.done) return;
			answered = true;
			lastActivity = Date.now();
			yield next.value;
		}
	}
	async function* events(): AsyncGenerator<SseEvent> {
		try {
			// What the stream says reaches outputs, errors and logs: scrubbed of the token event by event.
			for await (const event of readSseEvents(chunks())) yield { ...event, data: scrub(event.data, secret) };
		} catch (error) {
			if (error instanceof SseTooLarge) {
				finished = true;
				throw cozeApiError(node, { logid }, request.itemIndex, {
					summary: error.message,
					hint: STREAM_TOO_LARGE_HINT,
				});
			}
			if (error instanceof NotAnEventStream) {
				finished = true;
				interpretResponse(node, error.text, response, connection, request.itemIndex);
				throw cozeApiError(node, {}, request.itemIndex, {
					summary: 'Coze answered with a JSON document instead of an event stream',
					hint: 'Check Base URL in the Coze API credential: it should point at the Coze API.',
				});
			}
			fail(error);
		} finally {
			finished = true;
			if (!controller.signal.aborted) controller.abort();
			body.destroy?.();
		}
	}
	return { events: events(), logid };
}

/** The OAuth token each request was last sent with, to know which token Coze refused. */
const tokenUsedBy = new WeakMap<CozeRequest, string>();

/** The one place requests leave: the credential adds the token (and, for OAuth, renews it). */
async function authenticatedRequest(
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
		tokenUsedBy.set(request, String(credentials.data.accessToken ?? ''));
		credentials.release();
	}
}

function isTokenRefusal(error: NodeApiError | NodeOperationError): boolean {
	const coze = error.context.coze as { code?: unknown; httpStatus?: unknown } | undefined;
	return coze?.code === 4100 || coze?.httpStatus === 401;
}

const MAX_ERROR_BODY_BYTES = 1024 * 1024;

async function readBounded(body: AsyncIterable<Uint8Array | string>, maxBytes: number): Promise<string> {
	const decoder = new TextDecoder('utf-8');
	let text = '';
	for await (const chunk of body) {
		text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
		if (text.length > maxBytes) break;
	}
	return text + decoder.decode();
}

function stoppedStreamError(node: INode, reason: StopReason, request: CozeStreamRequest): NodeApiError {
	const notResent =
		' It was not resent automatically, because the workflow may still be running in Coze; check its run history before running it again.';
	if (reason === 'cancelled') {
		return cozeApiError(node, {}, request.itemIndex, {
			summary: 'The stream from Coze was closed because the execution stopped',
			hint: `Nothing more will be read.${notResent}`,
		});
	}
	if (reason === 'idle') {
		return cozeApiError(node, {}, request.itemIndex, {
			summary: `Coze sent nothing for ${Math.round(request.idleTimeoutMs / 1000)} s`,
			hint: `The stream went silent, so it was closed. Raise Idle Timeout if the workflow has long silent steps.${notResent}`,
		});
	}
	return cozeApiError(node, {}, request.itemIndex, {
		summary: `The workflow did not finish within ${Math.round(request.timeoutMs / 1000)} s`,
		hint: `Raise Timeout, or use Async mode for workflows that run for a long time.${notResent}`,
	});
}

interface RawResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

function interpretResponse(
	node: INode,
	rawText: string,
	response: Omit<RawResponse, 'body'>,
	connection: CozeConnection,
	itemIndex: number,
): CozeResponse {
	const { statusCode, headers } = response;
	const secret = secretOf(connection);
	const text = scrub(rawText, secret);
	// Headers are the server's words too: a hostile one can echo the token in them.
	const headerLogid = scrubbed(headerValue(headers, 'x-tt-logid') ?? headerValue(headers, 'x-log-id'), secret);

	if (statusCode >= 300 && statusCode < 400) {
		const location = headerValue(headers, 'location');
		throw cozeApiError(
			node,
			{ httpStatus: statusCode, logid: headerLogid },
			itemIndex,
			{
				summary: `Coze answered with a redirect${location ? ` to ${scrub(hostOf(location), secret)}` : ''}`,
				hint: 'The request was not followed there, so the token stayed here. Check Base URL in the Coze API credential (http or https, host and port).',
			},
		);
	}

	const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'));
	const withRetryFacts = (error: NodeApiError, uncertainAnswer: boolean) => {
		if (retryAfterMs !== undefined) error.context.retryAfterMs = retryAfterMs;
		if (uncertainAnswer) error.context.uncertainAnswer = true;
		return error;
	};
	const trimmed = text.trim();
	const byStatus = httpExplanation(statusCode);
	if (byStatus && (trimmed === '' || !/^[[{]/.test(trimmed))) {
		// A gateway's 401 or 404 often comes with an empty or plain-text body: it still means the token or the address.
		const plain = trimmed !== '' && !trimmed.startsWith('<') ? trimmed.slice(0, 300) : undefined;
		throw withRetryFacts(cozeApiError(node, { httpStatus: statusCode, logid: headerLogid, msg: plain }, itemIndex, byStatus), false);
	}
	if (trimmed === '') {
		throw withRetryFacts(
			cozeApiError(node, { httpStatus: statusCode, logid: headerLogid }, itemIndex, {
				summary: `Coze answered HTTP ${statusCode} with an empty body`,
				hint: 'A proxy or the Coze server failed. Try again later; the run was not resent automatically because it may have started.',
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
			cozeApiError(node, { httpStatus: statusCode, logid: headerLogid }, itemIndex, nonJsonExplanation(trimmed, headers, statusCode)),
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
	if (code === undefined && !httpFailed && !('data' in body)) {
		throw withRetryFacts(
			cozeApiError(node, { msg: typeof body.msg === 'string' ? body.msg : undefined, logid }, itemIndex, {
				summary: 'Coze answered with neither a result nor an error code',
				hint: 'Coze or a proxy in front of it failed; its message, if any, is above. The run was not resent automatically because it may have started; check the workflow in Coze before running it again.',
			}),
			// Whether it ran is unknown: retried only where a resend is safe (lookups) or allowed.
			true,
		);
	}
	const failed = (code !== undefined && code !== 0) || httpFailed;
	if (failed) {
		const failure: CozeFailure = {
			code,
			msg: typeof body.msg === 'string' ? body.msg : undefined,
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

function nonJsonExplanation(text: string, headers: Record<string, unknown>, statusCode: number) {
	const contentType = headerValue(headers, 'content-type') ?? '';
	if (contentType.includes('html') || text.startsWith('<')) {
		const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(text)?.[1]?.trim();
		return {
			summary: `Coze answered HTTP ${statusCode} with an HTML page${title ? ` ("${title}")` : ''} instead of JSON`,
			hint: 'A proxy or gateway in front of Coze failed, or Base URL points at a web page rather than the API. Try again later; the run was not resent automatically because it may have started.',
		};
	}
	return {
		summary: `Coze answered HTTP ${statusCode} with a body that is not valid JSON`,
		hint: 'The answer was cut off or garbled on the way. The run was not resent automatically because it may have started; check the workflow in Coze before running it again.',
	};
}

function connectionError(
	node: INode,
	error: unknown,
	connection: CozeConnection,
	request: CozeRequest,
): NodeApiError {
	const setup = oauthSetupError(error);
	if (setup) {
		// Nothing was sent to the workflow: the request stopped at getting an access token.
		return cozeApiError(node, {}, request.itemIndex, { summary: setup.message, hint: setup.description });
	}
	const nodeError = describeConnectionError(node, error, connection, request);
	nodeError.context.connectionCode = errorCode(error) ?? 'ECONNRESET';
	return nodeError;
}

function describeConnectionError(
	node: INode,
	error: unknown,
	connection: CozeConnection,
	request: CozeRequest,
): NodeApiError {
	const { itemIndex } = request;
	const host = hostOf(connection.baseUrl);
	const code = errorCode(error);
	const mayHaveRun = request.method === 'POST';
	const notResent = mayHaveRun
		? ' It was not resent automatically, because the workflow may have started in Coze; check its run history before running it again.'
		: '';
	const seconds = Math.round(request.timeoutMs / 1000);
	if (code === 'ERR_CANCELED' || code === 'ABORT_ERR') {
		return cozeApiError(node, {}, itemIndex, {
			summary: 'The request to Coze was cancelled because the execution stopped',
			hint: `Nothing more will be sent.${notResent}`,
		});
	}
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
		return cozeApiError(node, {}, itemIndex, {
			summary: `Coze did not answer within ${seconds} s`,
			hint: `Raise the Timeout option, or make the workflow faster: Coze itself drops calls that wait for a result after 90 s.${notResent}`,
		});
	}
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
	for (let depth = 0; depth < 4 && isPlainObjectLike(current); depth++) {
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
	for (let depth = 0; depth < 4 && isPlainObjectLike(current); depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && code !== '') return code;
		if ((current as { name?: unknown }).name === 'AbortError') return 'ABORT_ERR';
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function isPlainObjectLike(value: unknown): value is object {
	return typeof value === 'object' && value !== null;
}

function detailLogid(body: Record<string, unknown>): string | undefined {
	const detail = body.detail;
	if (isPlainObject(detail) && typeof detail.logid === 'string' && detail.logid !== '') return detail.logid;
	return undefined;
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() !== name) continue;
		const first = Array.isArray(value) ? value[0] : value;
		if (first !== undefined && first !== null && String(first) !== '') return String(first);
	}
	return undefined;
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (body === undefined || body === null) return '';
	if (body instanceof Uint8Array) return new TextDecoder().decode(body);
	return JSON.stringify(body);
}

function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}

/** Coze never should, but if a message ever echoes the token, it stops here. */
/** The token this connection sends, to be scrubbed from whatever comes back. */
function secretOf(connection: CozeConnection): string {
	return connection.oauth ? currentToken(connection.oauth) : connection.secret;
}

function scrubbed(text: string | undefined, secret: string): string | undefined {
	return text === undefined ? undefined : scrub(text, secret);
}

export function scrub(text: string, secret: string): string {
	return secret.length >= 4 && text.includes(secret) ? text.split(secret).join('***') : text;
}
