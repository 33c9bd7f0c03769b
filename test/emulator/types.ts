/**
 * Public types of the Coze emulator. Wire facts: /work/shared/coze-api.md (cited as §n).
 */
import type { AgentEmulatorApi, AgentOptions, CatalogueAgent } from './agentTypes';
import type { AudioEmulatorApi, AudioStartOptions } from './audioApi';
import type { KnowledgeEmulatorApi, KnowledgeStartOptions } from './knowledgeApi';

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
	/**
	 * End node in "return text" mode. cloud: `data` = JSON text `{"content_type":1,"data":text,"type_for_model":2}`;
	 * Studio: `data` = the text itself, its history `{"output":"<text>"}` (coze-api.md §9.5).
	 */
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
	/**
	 * Not a Coze dialect: this status and body as given, as a gateway, a proxy or a broken server in
	 * front of Coze answers (plain-text 401/404 pages, `{"code":"4100"}` with the code as a string,
	 * `{"msg":"internal error"}` with no code at all). The node must read each of them correctly.
	 */
	| { kind: 'verbatim'; status: number; body: string; contentType?: string }
	/** HTTP 200, JSON content type, body cut in the middle (invalid JSON). */
	| { kind: 'malformed' }
	/** Reads the request and never answers (until `close()`). */
	| { kind: 'hang' }
	/** Reads the request, then destroys the socket without any response. */
	| { kind: 'drop' }
	/** Waits `ms`, then answers as `then`. */
	| { kind: 'delay'; ms: number; then: RunScenario }
	/**
	 * A successful run whose `data` is the JSON text `{"items":["…","…",…]}` (items mix Chinese and
	 * ASCII; no character needs a JSON escape except the quotes) of exactly `bytes` UTF-8 bytes
	 * (at least 14, the size of `{"items":[""]}`). Generated piece by piece while it is written
	 * (chunked, no Content-Length), so the emulator never holds the whole text: not even one copy;
	 * the run history regenerates it when polled. See bigjson.ts.
	 */
	| { kind: 'bigJson'; bytes: number }
	/**
	 * An HTTP redirect (default 307, which makes a client re-send the POST with its body; 301/302
	 * make fetch switch to GET) with `Location: to` (sent as given: absolute, or relative to the
	 * emulator) and an empty body. Answered like a transport fault — by a gateway, without
	 * validating the request, not a run; no log-id header (ASSUMPTION: Coze documents no redirect).
	 */
	| { kind: 'redirect'; to: string; status?: 301 | 302 | 307 | 308 };

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
	/**
	 * Not Coze's own behaviour: a proxy that mangles one Message event's data into text that is not
	 * JSON, after which the stream ends with `Done` as usual. The node must not call that a success.
	 */
	| ({ kind: 'garbledMessage'; data: string } & StreamOptions)
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
	| { kind: 'neverFinishes' }
	/**
	 * The run stops at a question (type 2) or input (type 5) node after `pollsUntilDone` Running polls.
	 * Studio: execute status 5, which has no name, so the history shows `"<UNSET>"`, with no interrupt
	 * fields and no output [ST:backend/api/model/workflow/workflow.go ~1823-1844,
	 * domain/workflow/internal/execute/event_handle.go ~263-275; coze-api.md §9.3]. cloud: the item
	 * carries `interrupt_data {event_id, type, data}` [DOC:workflow_history]; the status of a paused
	 * run is undocumented, so `cloudStatus` serves each plausible one (default `Running`).
	 * `POST /v1/workflows/resume` (cloud only [DOC:resume_workflow]) answers such a run with only a
	 * new `execute_id`, whose history then follows `then` (default: complete after 1 poll with
	 * `{parameters, resume_data}`).
	 */
	| {
			kind: 'pause';
			pollsUntilDone: number;
			question?: string;
			interruptType?: 2 | 5;
			cloudStatus?: 'Running' | 'Interrupt' | 'Success';
			then?: AsyncScenario;
	  };

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

// ---------------------------------------------------------------- faults, latency, run accounting

/**
 * How a rate-limited request is refused. coze-api.md §5.4: the real code / HTTP status for
 * exceeding a QPS limit is UNCERTAIN (4008/4009/4020 in the body, or HTTP 429); 4013 is a MODEL
 * error (§5.1), not a rate limit, so it is not offered here.
 * - `http429`: HTTP 429 with the JSON body `{"code":4009,"msg":…,"detail":{"logid":…}}` — 4009
 *   ("system request limit reached, retry later", §5.1) is picked as the body code because it is
 *   the documented generic rate limit; the JS SDK keys its RateLimitError on the status anyway.
 * - `code4009` / `code4020`: HTTP 200 with that code in the body (§5.3: business errors are HTTP 200).
 * The body is the CLOUD envelope in both dialects: Coze Studio has no rate limiting at all (§5.4),
 * but the fault is applied to a Studio emulator anyway so that one test can run on both lines.
 */
export type RateLimitVia = 'http429' | 'code4009' | 'code4020';

/**
 * One injected failure of a run-type request (`POST` run, stream_run, stream_resume,
 * workflows/resume, workflows/chat — only paths the dialect routes, and only requests that passed
 * authentication). Applied BEFORE the workflow's scenario. See faults.ts.
 */
/**
 * Not Coze's behaviour, a broken or hostile token endpoint's. `trickle`: 200 JSON headers, then
 * one body byte every `intervalMs` (default 1000), never the end. `echoJwt`: the JWT-bearer
 * refusal of coze-api.md §1.2 (`{error_code, error_message}`), with the request's own signed JWT
 * as both the code and part of the message.
 */
/** An account-wide rate limit (ratelimit.ts says what each field stands for and why). */
export interface AccountRateLimit {
	/** Accepted run requests in flight at once; one more is refused. */
	maxInFlight?: number;
	/** Run requests accepted within any 1 000 ms; one more is refused. */
	perSecond?: number;
	/** Shape of the refusal; default `http429`. */
	via?: RateLimitVia;
	retryAfterSeconds?: number;
	/** Answer a refusal only after `latencyMs`, like every other answer (default: at once). */
	refuseAfterLatency?: boolean;
}

export type TokenEndpointFault = { kind: 'trickle'; intervalMs?: number } | { kind: 'echoJwt' };

export type Fault =
	/** Refused before running: NOT a run. `retryAfterSeconds` (integer ≥ 0) adds a `Retry-After` header (any `via`). */
	| { kind: 'rateLimit'; via: RateLimitVia; retryAfterSeconds?: number }
	/**
	 * The run happens (a run), then the server sends the answer's status line and headers (with the
	 * answer's Content-Length, if it has one) and only part of its body — `afterBytes` body bytes,
	 * default half of the first body write (half a JSON body; half the first SSE event) — and
	 * destroys the socket. A scenario that answers nothing (`hang`, `drop`) is replaced by a 200 JSON
	 * body first, so the cut is always after some body bytes.
	 */
	| { kind: 'resetMidResponse'; afterBytes?: number }
	/** The run happens, the server never answers (the socket stays open until the client aborts or `close()`). */
	| { kind: 'stall' }
	/**
	 * Not Coze's behaviour, a broken or hostile server's (slowloris): the run happens, the status line
	 * and headers of a 200 JSON answer are sent, then one body byte every `intervalMs` (default
	 * 1000) and never the end, until the client gives up or `close()`. Each byte restarts a
	 * socket-idle timer, so only a wall-clock deadline ends it.
	 */
	| { kind: 'trickle'; intervalMs?: number }
	/**
	 * Not Coze's behaviour (Coze caps a result at 20 MB; coze-api.md §9), a broken or hostile
	 * server's: the run happens, then a 200 JSON answer whose `data` string never ends, sent as
	 * fast as the client reads it in `chunkBytes` pieces (default 64 KiB), until the client closes.
	 */
	| { kind: 'endlessBody'; chunkBytes?: number }
	/**
	 * Not Coze's behaviour, a hostile server's: the run happens, then the answer echoes the request's
	 * own bearer token in the `x-tt-logid` header, the result data and `debug_url` (a stream path: in a
	 * Message event and the Done event). `inError` puts it in a failure instead: `msg` with code 4000,
	 * or an Error event's `error_message`. Nothing the node emits may contain it.
	 */
	| { kind: 'echoToken'; inError?: boolean }
	/** The run happens, then nginx's `502 Bad Gateway` HTML page (text/html, no log-id header). */
	| { kind: 'html502' }
	/**
	 * The run happens, then HTTP 200 `application/json` with a body cut in the middle (complete HTTP
	 * message, invalid JSON): the first half of the JSON answer, or — when the answer is not JSON
	 * (an SSE stream, nothing) — the first 40 bytes of a success envelope.
	 */
	| { kind: 'malformedJson' };

/**
 * Random faults: each run-type request of the workflow that did not take a queued fault fails
 * with probability `rate` (0…1), with `faults[⌊u / rate × faults.length⌋]`, u being the request's
 * draw of a mulberry32 PRNG seeded with `seed` — exactly one draw per request, so the same seed
 * gives the same pass/fail pattern over the sequence of requests.
 */
export interface FaultRate {
	rate: number;
	seed: number;
	faults: Fault[];
}

// ---------------------------------------------------------------- catalogue: workspaces, workflows, schemas

/**
 * One workspace of cloud `GET /v1/workspaces` (coze-api.md §4, [DOC:list_workspace]). Keys left
 * out get defaults when answered: icon_url `''`, role_type `owner`, workspace_type `personal`,
 * enterprise_id `''`, joined_status `joined`; owner_uid / admin_uids / description only when set.
 */
export interface Workspace {
	id: string;
	name: string;
	icon_url?: string;
	role_type?: 'owner' | 'admin' | 'member';
	workspace_type?: 'personal' | 'team';
	enterprise_id?: string;
	joined_status?: string;
	owner_uid?: string;
	admin_uids?: string[];
	description?: string;
}

/**
 * One Start-node input (or End-node output) of `GET /v1/workflows/{id}?include_input_output=true`
 * (coze-api.md §4, [DOC:get_workflow_info]). `type`: `string`, `integer`, `number`, `boolean`,
 * `object` (with `properties`), `array` (with `items`), or a file kind. File kinds are written as the
 * file's sub-type in `type` itself — `image`, `doc`, `ppt`, `excel`, `txt`, `code`, `audio`,
 * `video`, `voice`, `zip`, `svg`, and `file` for "any file" — because the only documented example
 * is `items: {"type":"image"}` (ASSUMPTION: coze-api.md §4 only says "file subtypes such as image").
 * Any other key is passed through as given, so a test can also model another shape (e.g.
 * `{type:'file', assist_type:2}`).
 */
export interface WorkflowParameter {
	type: string;
	required?: boolean;
	description?: string;
	/** A string even for numbers, booleans, objects and arrays (the doc types it String). */
	default_value?: string;
	items?: WorkflowParameter;
	properties?: Record<string, WorkflowParameter>;
	[key: string]: unknown;
}

export interface WorkflowOutput {
	parameters: Record<string, WorkflowParameter>;
	terminate_plan: 'return_variables' | 'use_answer_content';
	content: string;
}

/** A workflow the emulator knows (listing and info; runs answer any workflow_id regardless). */
export interface CatalogueWorkflow {
	workflow_id: string;
	workflow_name: string;
	description?: string;
	icon_url?: string;
	/** `'0'` (default) = not bound to an app. */
	app_id?: string;
	/** Unix seconds. The list answers them as strings, the info as numbers (as the docs' examples do). */
	created_at?: number;
	updated_at?: number;
	creator?: { id: string; name: string };
	/** Default: the Personal workspace. */
	workspace_id?: string;
	/** Default `workflow`. */
	mode?: 'workflow' | 'chatflow';
	/** `false` = never published (listed only by `publish_status=unpublished_draft` / `all`). Default true. */
	published?: boolean;
	/** Start-node inputs; default: `{input: string}` for a workflow, `{CONVERSATION_NAME, USER_INPUT}` for a chatflow. */
	input?: Record<string, WorkflowParameter>;
	/** End node; default `{parameters:{output:{type:'string'}}, terminate_plan:'return_variables', content:''}`. */
	output?: WorkflowOutput;
	/**
	 * Studio `GET /v1/workflows/{id}` of a chatflow answers `data.role` = this object (default: built
	 * from the name, see workflows.ts); `null` = no role configured (Studio then answers `{"BaseResp":null}`).
	 */
	studioRole?: Record<string, unknown> | null;
}

// ---------------------------------------------------------------- file uploads

/** One accepted `POST /v1/files/upload` (refused uploads are only in `requests`). */
export interface UploadRecord {
	dialect: Dialect;
	/** The 19-digit file id answered (`data.id`). */
	id: string;
	/** The part's filename as sent (RFC 5987 `filename*` decoded when present, else `filename`). */
	fileName: string;
	/** The part's Content-Type header ('' when the part had none). */
	mimeType: string;
	size: number;
	/** Lower-case hex SHA-256 of `bytes`. */
	sha256: string;
	bytes: Buffer;
	/** Unix seconds (cloud `created_at`, Studio `CreatedAt`). */
	createdAt: number;
	/** Studio only: `data.uri` (`bot_files/<uuid>/<name>`) and `data.url` (served back by the emulator). */
	uri?: string;
	url?: string;
}

export interface UploadLimits {
	/**
	 * cloud: largest accepted file (bytes) → else 4302; default 512 MiB (coze-api.md §3 "≤ 512 MB",
	 * ASSUMPTION MB = MiB). studio: largest accepted request BODY (Hertz MAX_REQUEST_BODY_SIZE, 1 GiB in
	 * Studio's docker .env) → else HTTP 413.
	 */
	maxBytes: number;
	/** File-name extensions refused (case-insensitive, without the dot): cloud → 4303, studio → 104000002. */
	refusedExtensions: string[];
	/** Part Content-Types refused (case-insensitive, parameters ignored): cloud → 4303, studio → 104000002. */
	refusedMimeTypes: string[];
}

/** A file reference found in the parameters of a run request (`CozeEmulator.fileRefsOf`). */
export interface FileRef {
	/** Path of the run request (`/v1/workflow/run`, `/v1/workflow/stream_run`, …). */
	path: string;
	parameter: string;
	/** Position inside an array parameter. */
	index?: number;
	/** `file_id`: a JSON text `{"file_id":"…"}` (cloud); `url`: an http(s) URL (Studio, or any public URL). */
	kind: 'file_id' | 'url';
	/** The parameter value exactly as received. */
	value: string;
	fileId?: string;
	url?: string;
	/** The upload this reference points at, if the emulator received it. */
	upload?: UploadRecord;
}

// ---------------------------------------------------------------- OAuth JWT service apps (cloud)

/**
 * A registered OAuth service app ("JWT" / 服务类应用) key: `keyId` is the public key's fingerprint
 * the client puts in the JWT header's `kid`; `publicKeyPem` the RSA public key (SPKI or PKCS#1 PEM).
 * An app may register several keys (one OAuthApp per key, same `appId`).
 */
export interface OAuthApp {
	appId: string;
	keyId: string;
	publicKeyPem: string;
}

/**
 * How an expired or revoked OAuth access token is refused by the cloud endpoints:
 * `body4100` = HTTP 200 `{"code":4100,"msg":"authentication is invalid","detail":{"logid":…}}`
 * (what an unknown token gets); `http401` = the same JSON body with HTTP 401.
 */
export type ExpiredTokenAnswer = 'body4100' | 'http401';

/**
 * One `POST /api/permission/oauth2/token` request (accepted or not). The claim fields are what the
 * request carried, filled whenever they could be read (whatever its validity): `kid` from the JWT
 * header, `appId` = the JWT's `iss`, `audience` = its `aud`, `sessionName` = its `session_name`
 * (strings only), `durationSeconds` = the body's `duration_seconds` when it is a number (900 when
 * the body has none).
 */
export interface TokenRequestRecord {
	ok: boolean;
	/** Why it was refused (the error_message sent), when !ok. */
	error?: string;
	kid?: string;
	appId?: string;
	audience?: string;
	sessionName?: string;
	durationSeconds?: number;
	/** the access token issued, when ok */
	accessToken?: string;
	/** expires_in sent, when ok (emulator-clock unix seconds) */
	expiresAt?: number;
}

export interface CozeEmulator extends AgentEmulatorApi, KnowledgeEmulatorApi, AudioEmulatorApi {
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

	/** cloud `GET /v1/workspaces`: the account's workspaces (a copy). Default `DEFAULT_WORKSPACES` (or StartOptions.workspaces). */
	readonly workspaces: Workspace[];
	setWorkspaces(workspaces: Workspace[]): void;
	/** Workflows known to `GET /v1/workflows` (cloud) and `GET /v1/workflows/{id}` (both), a copy. Default `DEFAULT_WORKFLOW_CATALOGUE`. */
	readonly workflowCatalogue: CatalogueWorkflow[];
	setWorkflowCatalogue(workflows: CatalogueWorkflow[]): void;
	/**
	 * Sets the Start-node inputs `GET /v1/workflows/{id}?include_input_output=true` answers for this
	 * workflow. An id not in the catalogue becomes known to the info endpoint (name `Workflow <id>`,
	 * Personal workspace, published) without being listed.
	 */
	setWorkflowSchema(workflowId: string, parameters: Record<string, WorkflowParameter>): void;
	/** Every accepted upload, in arrival order (same array identity across `reset()`). */
	readonly uploads: UploadRecord[];
	/** Size / type limits of `POST /v1/files/upload`; mutate or replace. Defaults: `defaultUploadLimits(dialect)`. */
	uploadLimits: UploadLimits;
	/** File references (file_id JSON texts, URLs) in the parameters of every run request of this workflow_id (see `runRequestsOf`). */
	fileRefsOf(workflowId: string): FileRef[];

	/**
	 * Delay (ms, default 0) before EVERY answer to a run-type request (POST run, stream_run,
	 * stream_resume, workflows/resume, workflows/chat — auth failures, faults and 404s included) and
	 * to a run-history poll (cloud run_histories, Studio get_run_history). A timer per request: it
	 * never blocks the event loop nor other requests (N concurrent requests all wait ~latencyMs).
	 * Read when the request arrives. Reset to 0 by `reset()`.
	 */
	latencyMs: number;
	/**
	 * Appends faults to the workflow's queue; each authenticated run-type request of that
	 * workflow_id takes the next one in arrival order (before the scenario, before `setFaultRate`).
	 */
	queueFaults(workflowId: string, faults: Fault[]): void;
	/** The faults still queued for this workflow (a copy). */
	queuedFaults(workflowId: string): Fault[];
	/**
	 * Appends faults for the workflow's run-history lookups (Async's polls, Get Run Result): each
	 * lookup naming that workflow_id takes the next one. Only the faults that say nothing about a
	 * run make sense here: `stall`, `trickle`, `endlessBody`, `html502`, `malformedJson`.
	 */
	queueHistoryFaults(workflowId: string, faults: Fault[]): void;
	/** Random faults for this workflow (replaces an earlier plan; `rate: 0` turns them off). */
	setFaultRate(workflowId: string, plan: FaultRate): void;
	/**
	 * Runs of this workflow the emulator started (see accounting.ts: new executions of run,
	 * stream_run and workflows/chat; rate-limited and refused requests are not runs); with `key`,
	 * only the runs whose parameters have that key (`runKey(parameters)`: `parameters.request_id`
	 * when present, else the canonical sorted JSON of the parameters).
	 */
	runCount(workflowId: string, key?: string): number;
	/** Runs of this workflow per key (a copy). */
	runsByKey(workflowId: string): Map<string, number>;
	/**
	 * The highest number of run-type requests (POST run, stream_run, stream_resume,
	 * workflows/resume, workflows/chat naming this workflow_id, whatever their answer) in flight at
	 * the same moment — from the end of reading the request to the end of writing the answer or
	 * the connection's close — since the start or the last `resetConcurrency()`.
	 */
	maxConcurrentRuns(workflowId: string): number;
	/** Forgets the maxima of `maxConcurrentRuns` (each restarts at the number of requests in flight now). */
	resetConcurrency(): void;
	/**
	 * An account-wide rate limit on run-type requests (ratelimit.ts: in flight and/or per second,
	 * the refusal's shape and timing); undefined (the default, and after `reset()`) removes it.
	 */
	setAccountRateLimit(limit: AccountRateLimit | undefined): void;
	/** Requests the account rate limit refused since the start / the last `reset()`. */
	readonly rateLimitRefusals: number;

	// ------------------------------------------------------------ OAuth JWT (cloud; see oauth.ts)

	/**
	 * Registers a service app's public key (cloud `POST /api/permission/oauth2/token`). A `keyId`
	 * already registered is replaced. Throws if the PEM is not an RSA public key.
	 */
	addOAuthApp(app: OAuthApp): void;
	/**
	 * The emulator's clock = the real clock + this many seconds (an integer; default
	 * StartOptions.clockOffsetSeconds, else 0). Used for every OAuth time check (JWT iat / exp) and
	 * for `expires_in` and the expiry of issued tokens. Read per request.
	 */
	clockOffsetSeconds: number;
	/**
	 * Issued access tokens live min(duration_seconds, this) seconds (an integer ≥ 0; default 86399).
	 * 0 issues tokens that are already expired (expires_in = now): every use is refused.
	 */
	maxTokenLifetimeSeconds: number;
	/** How an expired / revoked OAuth access token is refused (default `body4100`). */
	expiredTokenAnswer: ExpiredTokenAnswer;
	/** A fault for every token request until cleared (undefined, the default, and after `reset()`). */
	tokenEndpointFault: TokenEndpointFault | undefined;
	/** Every token request received, in order, accepted or not (same array identity across `reset()`). */
	readonly tokenRequests: TokenRequestRecord[];
	/** Makes every OAuth access token issued so far invalid (as if expired); later ones are not affected. */
	expireOAuthTokens(): void;

	/**
	 * Clears scenarios, recorded requests, uploads, remembered executions, conversations, poll counts
	 * and schemas (keeps tokens); restores `studioPreStreamContentType`, the workspaces, the workflow
	 * catalogue and the upload limits to their start values (StartOptions, else the defaults). Also
	 * clears queued faults, fault rates and run counts, sets `latencyMs` to 0 and resets the
	 * concurrency maxima (`resetConcurrency()`).
	 * OAuth: restores `clockOffsetSeconds`, `maxTokenLifetimeSeconds` and `expiredTokenAnswer` to
	 * their StartOptions values (else the defaults) and empties `tokenRequests` (same array); keeps
	 * the registered apps (StartOptions ones and `addOAuthApp` ones), the used JWT `jti` values and
	 * the issued access tokens, which stay valid until they expire (or `expireOAuthTokens()`), so a
	 * test can reuse a token across executions.
	 */
	reset(): void;
	/** Closes the server and destroys every open socket (hanging requests too). Idempotent. */
	close(): Promise<void>;
}

/** Knowledge (knowledgeApi.ts: datasets, knowledgeOptions) and audio (audioApi.ts: voices, audioOptions) start options are included. */
export interface StartOptions extends KnowledgeStartOptions, AudioStartOptions {
	dialect?: Dialect;
	/** 0 (default) = a random free port. Always binds 127.0.0.1. */
	port?: number;
	validTokens?: string[];
	/** See `CozeEmulator.studioPreStreamContentType`. */
	studioPreStreamContentType?: StudioPreStreamContentType;
	/** Initial workspaces, also restored by `reset()` (default `DEFAULT_WORKSPACES`; e.g. `WORKSPACES_WITH_TEAM`). */
	workspaces?: Workspace[];
	/** Initial workflow catalogue, also restored by `reset()` (default `DEFAULT_WORKFLOW_CATALOGUE`). */
	workflowCatalogue?: CatalogueWorkflow[];
	/** Overrides of the dialect's default upload limits, also restored by `reset()`. */
	uploadLimits?: Partial<UploadLimits>;
	/** Registered OAuth service apps (public keys); cloud only (Studio has no OAuth). */
	oauthApps?: OAuthApp[];
	/** The `aud` a token-request JWT must carry; default `api.coze.cn`. */
	oauthAudience?: string;
	/** See `CozeEmulator.clockOffsetSeconds` (default 0); also restored by `reset()`. */
	clockOffsetSeconds?: number;
	/** See `CozeEmulator.maxTokenLifetimeSeconds` (default 86399); also restored by `reset()`. */
	maxTokenLifetimeSeconds?: number;
	/** See `CozeEmulator.expiredTokenAnswer` (default `body4100`); also restored by `reset()`. */
	expiredTokenAnswer?: ExpiredTokenAnswer;
	/** Initial agent catalogue, also restored by `reset()` (default `DEFAULT_AGENTS`). */
	agents?: CatalogueAgent[];
	/** Agent engine options over DEFAULT_AGENT_OPTIONS, also restored by `reset()` (agentTypes.ts AgentOptions). */
	agentOptions?: Partial<AgentOptions>;
}
