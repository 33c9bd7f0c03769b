import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { cozeApiError } from '../decoding/errors';
import { MAX_ERROR_BODY_BYTES, pourBody, readBody } from './budget';
import type { CozeConnection } from './connection';
import { headerValue, interpretResponse, logidHeader } from './failures';
import { authenticatedRequest, cancelSignalOf, headersWithin, httpOptionsOf, withRetries } from './request';
import type { CozeRequest, RawResponse, StreamBody } from './types';
import { requestFailure } from './unanswered';
import { Watchdog } from './watchdog';

export interface CozeBinaryRequest extends CozeRequest {
	/** The most bytes the answer may have (the audio); more is an error, not a cut file. */
	maxBytes: number;
	/**
	 * Where the bytes go as they arrive: nothing is kept here. `restart` comes before every
	 * attempt, to take back what a failed one wrote; whoever keeps the bytes scrubs them.
	 */
	sink: ByteSink;
}

export interface ByteSink {
	restart(): void;
	write(chunk: Buffer): void;
}

export interface CozeBinaryAnswer {
	/** How many bytes the answer had (all of them went to the sink). */
	length: number;
	contentType?: string;
	logid?: string;
}

/**
 * A request whose success is raw bytes (speech audio, docs/coze-api.md §12.1) and whose failure
 * is Coze's JSON envelope. The same deadline, pacing, retries and scrubber as every JSON request;
 * the bytes are counted against `maxBytes` and handed to the request's sink as they arrive.
 */
export async function cozeBinaryRequest(this: IExecuteFunctions, connection: CozeConnection, request: CozeBinaryRequest): Promise<CozeBinaryAnswer> {
	return await withRetries(this, connection, request, async (slot) => await fetchBytes.call(this, connection, request, slot.remainingMs));
}

async function fetchBytes(this: IExecuteFunctions, connection: CozeConnection, request: CozeBinaryRequest, remainingMs: number): Promise<CozeBinaryAnswer> {
	const node = this.getNode();
	const cancelSignal = cancelSignalOf(this);
	const watchdog = new Watchdog({ timeoutMs: remainingMs, signal: cancelSignal });
	const options = httpOptionsOf(connection, request, remainingMs, cancelSignal);
	let response: RawResponse;
	try {
		response = await headersWithin(watchdog, authenticatedRequest.call(this, connection, request, options));
		const contentType = headerValue(response.headers, 'content-type');
		let body = response.body as StreamBody;
		watchdog.onStop(() => body.destroy?.());
		// Without a type that says audio, the first bytes say whether this is Coze's JSON error (§12.5).
		const sniffed = isAudio(contentType) ? undefined : await firstChunkOf(body, watchdog);
		if (sniffed) body = sniffed.body;
		if (response.statusCode < 200 || response.statusCode >= 300 || isJsonOrText(contentType) || sniffed?.looksLikeJson) {
			// Coze says what went wrong in JSON (code ≠ 0); an error envelope is small.
			const text = await readBody(body, watchdog, MAX_ERROR_BODY_BYTES, 'cut');
			interpretResponse(node, text, response, connection, request);
			throw cozeApiError(node, { logid: logidHeader(response.headers, connection), subject: request.subject }, request.itemIndex, {
				summary: 'Coze answered with JSON instead of audio',
				hint: 'Check Base URL in the Coze API credential: it should point at the Coze API, which answers speech with the audio itself.',
			});
		}
		request.sink.restart();
		const length = await pourBody(body, watchdog, request.maxBytes, 'fail', (chunk) => request.sink.write(chunk));
		return { length, contentType, logid: logidHeader(response.headers, connection) };
	} catch (error) {
		throw error instanceof NodeApiError ? error : requestFailure(node, error, connection, request);
	} finally {
		watchdog.finish();
	}
}

function isAudio(contentType: string | undefined): boolean {
	return contentType !== undefined && /^\s*(audio\/|application\/octet-stream)/i.test(contentType);
}

/** The body with its first chunk read ahead (and still in it), and whether that chunk opens a JSON object. */
async function firstChunkOf(body: StreamBody, watchdog: Watchdog): Promise<{ body: StreamBody; looksLikeJson: boolean }> {
	const iterator = body[Symbol.asyncIterator]();
	const first = await watchdog.race(iterator.next());
	const chunk = first.done ? undefined : first.value;
	const start = chunk === undefined ? '' : (typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.byteLength, 64)).toString('latin1'));
	const rest: StreamBody = {
		async *[Symbol.asyncIterator]() {
			if (chunk !== undefined) yield chunk;
			for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
		},
		destroy: (error?: Error) => body.destroy?.(error),
	};
	return { body: rest, looksLikeJson: /^\s*\{\s*"/.test(start) };
}

function isJsonOrText(contentType: string | undefined): boolean {
	return contentType !== undefined && /json|^text\//i.test(contentType);
}
