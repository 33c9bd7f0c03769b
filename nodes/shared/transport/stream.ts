import type { IExecuteFunctions } from 'n8n-workflow';

import { cozeApiError, ANSWER_TOO_LARGE_HINT } from '../decoding/errors';
import type { SseEvent } from '../decoding/sse';
import { NotAnEventStream, readSseEvents, SseTooLarge } from '../decoding/sse';
import { MAX_ERROR_BODY_BYTES, maxAnswerBytesOf, readBody, watchedChunks } from './budget';
import type { CozeConnection } from './connection';
import { headerValue, interpretResponse, logidHeader } from './failures';
import { requestFailure } from './unanswered';
import type { AttemptSlot } from './request';
import { authenticatedRequest, headersWithin, withRetries } from './request';
import type { CozeStream, CozeStreamRequest, RawResponse, StreamBody } from './types';
import { Watchdog } from './watchdog';

const NOT_A_STREAM = {
	summary: 'Coze answered with a JSON document instead of an event stream',
	hint: 'Check Base URL in the Coze API credential: it should point at the Coze API.',
};

/**
 * A request answered with server-sent events, read as they arrive. One watchdog bounds it:
 * Timeout for the whole stream from the moment it is sent (headers included), Idle Timeout for
 * silence once Coze has started answering, and n8n's cancel; each ends in its own clear error.
 * No event may pass Max Answer Size, and every event is scrubbed of the run's secrets.
 */
export async function cozeStreamRequest(
	this: IExecuteFunctions,
	connection: CozeConnection,
	request: CozeStreamRequest,
): Promise<CozeStream> {
	return await withRetries(this, connection, request, async (slot) => await openStream.call(this, connection, request, slot));
}

async function openStream(
	this: IExecuteFunctions,
	connection: CozeConnection,
	request: CozeStreamRequest,
	slot: AttemptSlot,
): Promise<CozeStream> {
	const node = this.getNode();
	const controller = new AbortController();
	const watchdog = new Watchdog({
		timeoutMs: slot.remainingMs,
		idleTimeoutMs: request.idleTimeoutMs,
		signal: this.getExecutionCancelSignal(),
	});
	const fail = (error: unknown): never => {
		watchdog.finish();
		throw requestFailure(node, error, connection, request);
	};
	watchdog.onStop(() => controller.abort());

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
		response = await headersWithin(watchdog, pending);
	} catch (error) {
		return fail(error);
	}

	const body = response.body as StreamBody;
	// Once the answer has started, neither the abort signal nor destroying the body reliably
	// ends a read that waits on a silent socket: every read races the watchdog too.
	watchdog.onStop(() => body.destroy?.(new Error(`stream stopped: ${watchdog.stopReason}`)));
	const contentType = headerValue(response.headers, 'content-type') ?? '';
	if (!contentType.includes('text/event-stream') || response.statusCode < 200 || response.statusCode >= 300) {
		let text: string;
		try {
			text = await readBody(body, watchdog, MAX_ERROR_BODY_BYTES, 'cut');
		} catch (error) {
			return fail(error);
		}
		watchdog.finish();
		interpretResponse(node, text, response, connection, request);
		throw cozeApiError(node, { httpStatus: response.statusCode }, request.itemIndex, NOT_A_STREAM);
	}

	const { scrubber } = connection;
	const logid = logidHeader(response.headers, connection);
	// The run is in flight until its stream ends: so long it keeps its place among the run's
	// requests. A stream nobody reads gives it back when its Timeout stops it; a stopped stream
	// says nothing of Coze's limits.
	const releaseSlot = slot.keep();
	watchdog.onStop(() => releaseSlot('neutral'));
	const maxEventChars = maxAnswerBytesOf(this);
	async function* events(): AsyncGenerator<SseEvent> {
		try {
			// What the stream says reaches outputs, errors and logs: scrubbed event by event.
			for await (const event of readSseEvents(watchedChunks(body, watchdog), maxEventChars)) yield { ...event, data: scrubber.text(event.data) };
		} catch (error) {
			if (error instanceof SseTooLarge) {
				throw cozeApiError(node, { logid }, request.itemIndex, { summary: error.message, hint: ANSWER_TOO_LARGE_HINT });
			}
			if (error instanceof NotAnEventStream) {
				interpretResponse(node, error.text, response, connection, request);
				throw cozeApiError(node, {}, request.itemIndex, NOT_A_STREAM);
			}
			fail(error);
		} finally {
			watchdog.finish();
			releaseSlot('accepted');
			if (!controller.signal.aborted) controller.abort();
			body.destroy?.();
		}
	}
	return { events: events(), logid, maxKeptChars: maxEventChars };
}
