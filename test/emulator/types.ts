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
	/**
	 * Run stops at a question/input node. cloud: code 0 + `interrupt_data`; studio: code 6039.
	 * cloud only: `POST /v1/workflows/resume` with this `eventId` continues the run and answers as
	 * `then` (default: `json` with `{parameters, resume_data}` — the original parameters and the answer);
	 * `then` may itself be an `interrupt` (a new interrupt_data). See resume.ts.
	 */
	| { kind: 'interrupt'; eventId: string; type: number; data: string; requiredParameters?: Record<string, unknown>; then?: RunScenario }
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

// ---------------------------------------------------------------- streams (SSE)

/**
 * How the response bytes are cut into socket writes (each write is one HTTP chunk, really sent
 * before the next one is written):
 * - `whole`: one write per SSE event (default);
 * - `byte`: one write per byte — splits inside multi-byte UTF-8 characters and inside `\r\n`;
 * - `{ every: n }`: n-byte writes over the continuous byte stream (so one write may hold the end of
 *   one event and the start of the next); the rest is flushed before a stall and at the end;
 * - `random`: per event, random cuts (seeded, 1…24 bytes apart) plus forced cuts inside the event's
 *   first multi-byte character and inside its first `\r\n`.
 */
export type Chunking = 'whole' | 'byte' | { every: number } | 'random';

export interface StreamOptions {
	chunking?: Chunking;
	/** Line ending of every SSE line, blank separator line included. Default `\n`. */
	lineEnding?: '\n' | '\r\n';
	/** A `PING` event (data `{"content":"{}"}`, numbered like any other event) between every two events. */
	pingBetween?: boolean;
	/** Pause between two writes; default 0 (the next write waits for the next event-loop turn / drain). */
	delayMs?: number;
	/** Seed of the `random` chunking PRNG (default 1). */
	seed?: number;
	/** cloud stream_run only: `Done` data `{"debug_url":…}` instead of the documented `{}`. */
	doneDebugUrl?: boolean;
}

/** An Output ("message") node streaming its answer in chunks (node_seq_id 0…, node_is_finish on the last). */
export interface StreamMessage {
	node_title: string;
	chunks: string[];
}

/** What `POST /v1/workflow/stream_run` (and `stream_resume` of the same run) streams for one workflow_id. */
export type StreamScenario =
	/**
	 * Default for unconfigured ids: one Output-node message (node "Message", 2 chunks) and then the End
	 * message with `output` = the echo payload (what run.ts echoes) and `Done`.
	 * `output`: a string is sent as the End message's `content` as is, anything else JSON-serialized.
	 */
	| ({ kind: 'result'; output?: unknown; messages?: StreamMessage[]; usage?: Usage } & StreamOptions)
	/**
	 * A question node asking `questions` one after another. Every stream (the run and each resume)
	 * sends the next question as a Message and then an `Interrupt` (type 2) and ends without `Done`;
	 * the resume answering the last question streams the End message with `output` (default
	 * `{answers:[…every resume_data…]}`) and `Done`. At most 3 resumes: the 3rd resume that would
	 * need yet another answer fails the workflow (an Error event) instead.
	 */
	| ({ kind: 'questions'; questions: string[]; output?: unknown; nodeTitle?: string } & StreamOptions)
	/** `afterMessages` Output-node chunks, then an `Error` event; no `Done`. */
	| ({ kind: 'errorEvent'; code: number; message: string; afterMessages?: number } & StreamOptions)
	/** `afterMessages` Output-node chunks, then Studio's lowercase `error` event with plain-text data and no id. */
	| ({ kind: 'studioPlainError'; text: string; afterMessages?: number } & StreamOptions)
	/**
	 * A pre-stream failure: HTTP 200 JSON `{code,msg}` (+ `detail` on cloud). Content type: cloud
	 * `application/json`; studio the emulator's `studioPreStreamContentType`; `contentType` overrides both.
	 */
	| { kind: 'jsonInsteadOfStream'; code: number; msg: string; contentType?: string }
	/** Unpublished workflow: cloud JSON 4200; studio JSON 720702011 (the internal code, not 6031). */
	| { kind: 'unpublished' }
	/** An Output node streaming endlessly; the response ends cleanly after `afterEvents` events, without `Done`. */
	| ({ kind: 'truncated'; afterEvents: number } & StreamOptions)
	/** Like `truncated` but the socket then stays open with nothing more written (until the client aborts or `close()`). */
	| ({ kind: 'stall'; afterEvents: number } & StreamOptions)
	/**
	 * An Output node streaming `count` Message events (content `chunkText`, default `chunk <i> 数据；`),
	 * then End (output `{"count":n}`) + `Done`. Generated as it is written, never buffered whole.
	 */
	| ({ kind: 'many'; count: number; chunkText?: string } & StreamOptions);

// ---------------------------------------------------------------- async runs

/**
 * What `POST /v1/workflow/run` with `is_async: true` starts, and what the run history then shows.
 * `pollsUntilDone` = how many history polls answer `Running` before the final status (0 = the first
 * poll already shows it). Default for unconfigured ids: `complete` after 2 polls with the echo payload.
 */
export type AsyncScenario =
	/** `output`: End-node output (string as is, else JSON-serialized; default the echo payload); `textMode`: End node "return text" (output must be a string). */
	| { kind: 'complete'; pollsUntilDone: number; output?: unknown; textMode?: boolean; usage?: Usage }
	| { kind: 'fail'; pollsUntilDone: number; errorCode: string | number; errorMessage: string }
	/**
	 * Cancelled run: Studio status `Cancel`, error_code `777777777`, error_msg `workflow cancel by user`
	 * [ST:backend/types/errno/workflow.go]. cloud documents no Cancel status: ASSUMPTION `Fail` with the same error.
	 */
	| { kind: 'cancel'; pollsUntilDone: number }
	/** cloud: 6003 (paid plans only). studio: not plan-gated, so treated as the default `complete`. */
	| { kind: 'premiumRequired' }
	/** `Running` forever. */
	| { kind: 'neverFinishes' };

// ---------------------------------------------------------------- chat flow

export interface ChatOptions extends StreamOptions {
	/**
	 * Data of the final `done` event. Default `debugUrl` = `{"debug_url":"…"}` (both dialects; cloud
	 * escapes `&` as `\u0026` like Go's encoding/json). `[DONE]` = the bare text, `"[DONE]"` = a JSON
	 * string (chat v3 style), `{}` = an empty object. `pingBetween` is ignored for chat.
	 */
	doneData?: 'debugUrl' | '[DONE]' | '"[DONE]"' | '{}';
}

/** What `POST /v1/workflows/chat` streams for one workflow_id. */
export type ChatScenario =
	/** Default for unconfigured ids: `text` = the last user message. `chunks`: number of delta events (default 3, at most one per character). */
	| ({ kind: 'answer'; text: string; chunks?: number; usage?: Usage } & ChatOptions)
	/**
	 * The chat asks `question` and ends with `conversation.chat.requires_action`; the next chat in the
	 * same conversation (its last user message = the answer) answers `then`, where `{{answer}}` is
	 * replaced by the answer.
	 */
	| ({ kind: 'question'; question: string; then: string; chunks?: number } & ChatOptions)
	/**
	 * The workflow fails after chat.created / in_progress. `via` (default per dialect: cloud
	 * `chatFailed`, studio `errorEvent`): `conversation.chat.failed` with `last_error {code,msg}`, or
	 * an `error` event with `{code (string), msg, debug_url}` (Studio's ErrorDetail). No `done` after it.
	 */
	| ({ kind: 'failed'; code: number; msg: string; via?: 'chatFailed' | 'errorEvent' } & ChatOptions);

export type StudioPreStreamContentType = 'application/json' | 'text/event-stream';

export interface CozeEmulator {
	/** e.g. `http://127.0.0.1:41234` (no trailing slash). */
	readonly url: string;
	readonly dialect: Dialect;
	/** Every request received, in arrival order (recorded before it is answered). */
	readonly requests: RecordedRequest[];
	/** Accepted Bearer tokens; default `new Set(['test-token'])`. */
	validTokens: Set<string>;
	/**
	 * Content type of Studio's HTTP 200 JSON answer to a stream_run / stream_resume / workflows/chat
	 * that fails before streaming (coze-api.md §5.2: UNCERTAIN). Default `application/json`.
	 */
	studioPreStreamContentType: StudioPreStreamContentType;
	setRunScenario(workflowId: string, s: RunScenario): void;
	setStreamScenario(workflowId: string, s: StreamScenario): void;
	setAsyncScenario(workflowId: string, s: AsyncScenario): void;
	setChatScenario(workflowId: string, s: ChatScenario): void;
	/** `POST /v1/workflow/run` requests received whose body named this workflow_id (sync and async). */
	runsOf(workflowId: string): RecordedRequest[];
	/** `POST /v1/workflow/stream_run` requests received whose body named this workflow_id. */
	streamsOf(workflowId: string): RecordedRequest[];
	/**
	 * Every request that can start or continue a run of this workflow_id: `POST` run, stream_run,
	 * stream_resume, workflows/resume and workflows/chat (by the body's workflow_id), in arrival order.
	 */
	runRequestsOf(workflowId: string): RecordedRequest[];
	/** How many run-history requests (either dialect, valid or not) named this execute id. */
	historyPollsOf(executeId: string): number;
	/** Clears scenarios, recorded requests, remembered executions, conversations and poll counts (keeps tokens); restores `studioPreStreamContentType`. */
	reset(): void;
	/** Closes the server and destroys every open socket (hanging requests too). Idempotent. */
	close(): Promise<void>;
}

export interface StartOptions {
	dialect?: Dialect;
	/** 0 (default) = a random free port. Always binds 127.0.0.1. */
	port?: number;
	validTokens?: string[];
	/** See `CozeEmulator.studioPreStreamContentType`. */
	studioPreStreamContentType?: StudioPreStreamContentType;
}
