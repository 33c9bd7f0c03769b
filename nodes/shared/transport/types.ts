import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import type { CozeSubject } from '../decoding/errors';
import type { SseEvent } from '../decoding/sse';

export interface CozeRequest {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject | Buffer;
	headers?: IDataObject;
	qs?: IDataObject;
	/** The whole request on the wall clock, retries and their waits included. */
	timeoutMs: number;
	itemIndex: number;
	/** A POST that changes nothing (a listing): safe to resend like a GET. */
	readOnly?: boolean;
	/** Where the answer's result is when not in `data` (Coze Studio's cancel: `ChatV3ChatDetail`, §10.6). */
	resultField?: string;
	/** What the request is about, for the errors' wording: agents, conversations and chats, files, knowledge bases, speech, or (unset) workflows. */
	subject?: CozeSubject;
	/** What a resend could repeat, for the errors' wording: a workflow run (default), a chat message or a document added. */
	sideEffect?: 'run' | 'message' | 'document';
}

/** Whether sending the request twice is harmless. */
export function isReadOnly(request: Pick<CozeRequest, 'method' | 'readOnly'>): boolean {
	return request.method === 'GET' || request.readOnly === true;
}

export interface CozeResponse {
	body: Record<string, unknown>;
	statusCode: number;
	logid?: string;
}

export interface CozeStreamRequest extends CozeRequest {
	/** Longest silence allowed once Coze has started answering; undefined for none (Timeout still applies). */
	idleTimeoutMs: number | undefined;
}

export interface CozeStream {
	/** Scrubbed of every secret of the run, event by event; at most Max Answer Size per event. */
	events: AsyncGenerator<SseEvent>;
	logid?: string;
	/** Max Answer Size: the most text a folder of these events may keep for a node that has not finished. */
	maxKeptChars: number;
}

/** What n8n's HTTP helper returns with returnFullResponse. */
export interface RawResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

/** A response body read as a stream (n8n's helper with `encoding: 'stream'`). */
export type StreamBody = AsyncIterable<Uint8Array | string> & { destroy?: (error?: Error) => void };
