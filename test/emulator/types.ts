/**
 * Public types of the Coze emulator. Wire facts: /work/shared/coze-api.md (cited as §n).
 */

/** `cloud` = api.coze.cn / api.coze.com, `studio` = self-hosted Coze Studio (Hertz, behind its nginx). */
export type Dialect = 'cloud' | 'studio';

export interface RecordedRequest {
	method: string;
	/** Path without the query string, e.g. `/v1/workflow/run`. */
	path: string;
	/** Query parameters (the last value wins when a name repeats). */
	query: Record<string, string>;
	/** Header names lowercased, as node's `IncomingMessage.headers` gives them. */
	headers: Record<string, string | string[] | undefined>;
	/** Body decoded as UTF-8 (empty string when there was none). */
	rawBody: string;
	/** `JSON.parse(rawBody)`, or `undefined` when the body is empty or not JSON. */
	body: unknown;
}

export interface Usage {
	input_count: number;
	output_count: number;
	token_count: number;
}

/** What `POST /v1/workflow/run` answers for one workflow_id. */
export type RunScenario =
	/** Default for unconfigured ids: `data` = JSON text of what was received (see run.ts `echoPayload`). */
	| { kind: 'echo' }
	/** `data` = `JSON.stringify(data)`. */
	| { kind: 'json'; data: unknown; usage?: Usage }
	/** `data` sent exactly as this string (plain text, or pre-serialized JSON). */
	| { kind: 'rawData'; data: string }
	/** End node in "return text" mode: `data` = JSON text `{"content_type":1,"data":text,"type_for_model":2}`. */
	| { kind: 'text'; text: string }
	/** A workflow error `code`/`msg` (HTTP 200 unless `httpStatus`). */
	| { kind: 'error'; code: number; msg: string; httpStatus?: number; withDebugUrl?: boolean }
	/** Run stops at a question/input node. cloud: code 0 + `interrupt_data`; studio: code 6039. */
	| { kind: 'interrupt'; eventId: string; type: number; data: string; requiredParameters?: Record<string, unknown> }
	/** Workflow not published: cloud 4200, studio 6031. */
	| { kind: 'unpublished' }
	/** A proxy error page (nginx-like text/html) with this HTTP status, e.g. 502. */
	| { kind: 'html'; status: number }
	/** This HTTP status with an empty body. */
	| { kind: 'empty'; status: number }
	/** HTTP 200, JSON content type, body cut in the middle (invalid JSON). */
	| { kind: 'malformed' }
	/** Reads the request and never answers (until `close()`). */
	| { kind: 'hang' }
	/** Reads the request, then destroys the socket without any response. */
	| { kind: 'drop' }
	/** Waits `ms`, then answers as `then`. */
	| { kind: 'delay'; ms: number; then: RunScenario };

export interface CozeEmulator {
	/** e.g. `http://127.0.0.1:41234` (no trailing slash). */
	readonly url: string;
	readonly dialect: Dialect;
	/** Every request received, in arrival order (recorded before it is answered). */
	readonly requests: RecordedRequest[];
	/** Accepted Bearer tokens; default `new Set(['test-token'])`. */
	validTokens: Set<string>;
	setRunScenario(workflowId: string, s: RunScenario): void;
	/** `POST /v1/workflow/run` requests received whose body named this workflow_id. */
	runsOf(workflowId: string): RecordedRequest[];
	/** Clears scenarios, recorded requests and remembered executions (keeps tokens). */
	reset(): void;
	/** Closes the server and destroys every open socket (hanging requests too). Idempotent. */
	close(): Promise<void>;
}

export interface StartOptions {
	dialect?: Dialect;
	/** 0 (default) = a random free port. Always binds 127.0.0.1. */
	port?: number;
	validTokens?: string[];
}
