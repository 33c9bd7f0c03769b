import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { cozeApiError } from '../decoding/errors';
import { MAX_ERROR_BODY_BYTES, readBody, readBytes } from './budget';
import type { CozeConnection } from './connection';
import { headerValue, interpretResponse, logidHeader } from './failures';
import { authenticatedRequest, cancelSignalOf, headersWithin, httpOptionsOf, withRetries } from './request';
import type { CozeRequest, RawResponse, StreamBody } from './types';
import { requestFailure } from './unanswered';
import { Watchdog } from './watchdog';

export interface CozeBinaryRequest extends CozeRequest {
	/** The most bytes the answer may have (the audio); more is an error, not a cut file. */
	maxBytes: number;
}

export interface CozeBinaryAnswer {
	/** The answer's bytes, in one buffer of exactly their size. */
	bytes: Buffer;
	contentType?: string;
	logid?: string;
}

/**
 * A request whose success is raw bytes (speech audio, docs/coze-api.md §12.1) and whose failure
 * is Coze's JSON envelope. The same deadline, pacing, retries and scrubber as every JSON request;
 * the bytes are counted against `maxBytes` as they arrive and kept once, never as text.
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
		const body = response.body as StreamBody;
		watchdog.onStop(() => body.destroy?.());
		const contentType = headerValue(response.headers, 'content-type');
		if (response.statusCode < 200 || response.statusCode >= 300 || isJsonOrText(contentType)) {
			// Coze says what went wrong in JSON (code ≠ 0); an error envelope is small.
			const text = await readBody(body, watchdog, MAX_ERROR_BODY_BYTES, 'cut');
			interpretResponse(node, text, response, connection, request);
			throw cozeApiError(node, { logid: logidHeader(response.headers, connection), subject: request.subject }, request.itemIndex, {
				summary: 'Coze answered with JSON instead of audio',
				hint: 'Check Base URL in the Coze API credential: it should point at the Coze API, which answers speech with the audio itself.',
			});
		}
		const bytes = connection.scrubber.bytes(await readBytes(body, watchdog, request.maxBytes, 'fail'));
		return { bytes, contentType, logid: logidHeader(response.headers, connection) };
	} catch (error) {
		throw error instanceof NodeApiError ? error : requestFailure(node, error, connection, request);
	} finally {
		watchdog.finish();
	}
}

function isJsonOrText(contentType: string | undefined): boolean {
	return contentType !== undefined && /json|^text\//i.test(contentType);
}
