/**
 * Internal plumbing shared by the endpoint modules: the emulator's mutable state, the
 * per-request context handed to handlers, and `Reply`, the description of an answer that
 * server.ts writes to the socket. Endpoint modules build Replies; they never touch the socket.
 */
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { AgentState } from './agentModel';
import type { AudioState } from './audioCatalogue';
import type { ConversationMessage } from './agentTypes';
import type { IdGenerator } from './ids';
import type { KnowledgeState } from './knowledgeCatalogue';
import type { RateLimitState } from './ratelimit';
import type {
	AsyncScenario,
	CatalogueWorkflow,
	ChatOptions,
	ChatScenario,
	Dialect,
	ExpiredTokenAnswer,
	TokenEndpointFault,
	Fault,
	RecordedRequest,
	RunScenario,
	StreamScenario,
	StudioPreStreamContentType,
	TokenRequestRecord,
	UploadLimits,
	UploadRecord,
	Usage,
	Workspace,
	WorkflowParameter,
} from './types';

export type HeaderMap = Record<string, string>;

export type Reply =
	/** JSON answer, serialized with json.ts `toJson` (bigints become bare numbers). */
	| { kind: 'json'; status: number; body: unknown; headers?: HeaderMap }
	/** Exact bytes with a content type (omit `contentType` for none). */
	| { kind: 'raw'; status: number; body: string | Buffer; contentType?: string; headers?: HeaderMap; noLogId?: boolean }
	/** Never answer; the socket stays open until the client gives up or `close()`. */
	| { kind: 'hang' }
	/** Destroy the socket without writing anything. */
	| { kind: 'drop' }
	/**
	 * Full control (for later endpoint families such as SSE streams): the log-id header is already
	 * set on `res`; the function writes status, headers and body itself and resolves when done.
	 */
	| { kind: 'custom'; write: (res: ServerResponse, ctx: RequestContext) => Promise<void> | void };

/** The final state an async execution reaches after its `Running` polls. */
export interface FinalState {
	status: 'Success' | 'Fail' | 'Cancel' | '<UNSET>';
	output: string | null;
	errorCode: string | null;
	errorMsg: string | null;
	/** A paused run (AsyncScenario `pause`): what cloud's history shows of it. */
	pause?: AsyncPause;
}

/** A run paused at a question or input node in an async run (AsyncScenario `pause`). */
export interface AsyncPause {
	eventId: string;
	type: number;
	question: string;
	cloudStatus: string;
}

/** A workflow execution the emulator remembers (run history of both dialects). */
export interface Execution {
	executeId: string;
	workflowId: string;
	/** Studio spelling: Running | Success | Fail | Cancel | <UNSET> (interrupted; cloud shows Running, ASSUMPTION). */
	status: string;
	/** 0 sync, 1 stream, 2 async. */
	runMode: 0 | 1 | 2;
	botId?: string;
	connectorId: string;
	connectorUid: string;
	logId: string;
	input: string;
	/** Raw workflow output (End-node output, not the text-mode wrapper). */
	output: string | null;
	token: number;
	errorCode: string | null;
	errorMsg: string | null;
	/** Unix seconds. */
	createTime: number;
	updateTime: number;
	debugUrl: string;
	/** cloud history `usage` (Studio only has `token`). */
	usage: Usage;
	/** End node in "return text" mode: cloud history wraps `output` in `{content_type,data,original_result,type_for_model}`. */
	textMode: boolean;
	/** Async runs: answers `Running` for `runningPolls` history polls, then becomes `final`. */
	pending?: { runningPolls: number; final: FinalState };
	/** Output too big to keep (RunScenario `bigJson`): regenerated for each history answer while `output` is null. */
	lazyOutput?: () => string;
	/** Set once an async run has paused (status `<UNSET>`). */
	pause?: AsyncPause;
}

/** A stream run that stopped at a question node and can be resumed (stream_resume). */
export interface StreamRun {
	executeId: string;
	workflowId: string;
	/** The `questions` scenario the run started with (later scenario changes do not affect it). */
	scenario: Extract<StreamScenario, { kind: 'questions' }>;
	/** Every resume_data received so far. */
	answers: string[];
	resumes: number;
	/** `<execute_id>/<interrupt id>` of the open interrupt; undefined once the run finished. */
	openEventId?: string;
}

/** A sync run (cloud) that returned `interrupt_data` and can be resumed with /v1/workflows/resume. */
export interface SyncInterrupt {
	executeId: string;
	workflowId: string;
	eventId: string;
	/** The scenario to answer with on resume (undefined: json `{parameters, resume_data}`). */
	then?: RunScenario;
	parameters: Record<string, unknown>;
	/** Resumes of the execution so far (carried over to a follow-up interrupt). */
	resumes: number;
	finished: boolean;
	/** Paused in an async run: the resume answers a new execute_id that follows this scenario. */
	asyncThen?: AsyncScenario;
}

/** A chat-flow conversation; `pending` while a question waits for its answer. */
export interface Conversation {
	id: string;
	/** The current section (agents: `clear` starts a new one; earlier sections are no longer context). */
	sectionId: string;
	/** Agent conversations (conversations.ts, agentModel.ts): when created (unix s), meta_data, bot. */
	createdAt?: number;
	metaData?: Record<string, string>;
	botId?: string;
	/** Agent message history, oldest first (agentModel.ts `messagesOf`). */
	messages?: ConversationMessage[];
	pending?: { workflowId: string; then: string; executeId: string; chunks?: number; opts: ChatOptions };
}

/** A Studio upload kept in the emulated MinIO bucket (files.ts), served back at its presigned URL. */
export interface StoredObject {
	upload: UploadRecord;
	/** Content type MinIO stores (the part's, or application/octet-stream). */
	contentType: string;
	/** The presigned URL's query parameters, as issued (X-Amz-…). */
	query: Record<string, string>;
}

/** A registered OAuth service-app key (oauth.ts), by its fingerprint `keyId` (the JWT's kid). */
export interface OAuthKey {
	appId: string;
	keyId: string;
	publicKey: KeyObject;
}

/** An access token issued by the OAuth token endpoint (oauth.ts). */
export interface IssuedToken {
	/** Emulator-clock unix seconds; invalid from this second on. */
	expiresAt: number;
	/** `expireOAuthTokens()` was called after it was issued. */
	revoked: boolean;
}

/** Runs before routing; returning a Reply short-circuits the request (seam for fault injection). */
export type Interceptor = (ctx: RequestContext) => Reply | undefined | Promise<Reply | undefined>;

export interface EmulatorState {
	readonly dialect: Dialect;
	/** Set once the server listens. */
	url: string;
	readonly ids: IdGenerator;
	validTokens: Set<string>;
	readonly runScenarios: Map<string, RunScenario>;
	readonly streamScenarios: Map<string, StreamScenario>;
	readonly asyncScenarios: Map<string, AsyncScenario>;
	readonly chatScenarios: Map<string, ChatScenario>;
	readonly executions: Map<string, Execution>;
	/** Resumable stream runs by execute id. */
	readonly streamRuns: Map<string, StreamRun>;
	/** Resumable sync interrupts (cloud) by event id. */
	readonly syncInterrupts: Map<string, SyncInterrupt>;
	/** Chat-flow conversations by id; Studio also names them (CONVERSATION_NAME → id). */
	readonly conversations: Map<string, Conversation>;
	readonly conversationNames: Map<string, string>;
	/** History requests per execute id. */
	readonly historyPolls: Map<string, number>;
	studioPreStreamContentType: StudioPreStreamContentType;
	/** cloud GET /v1/workspaces: the account's workspaces. */
	workspaces: Workspace[];
	/** Known workflows (GET /v1/workflows, GET /v1/workflows/{id}). */
	catalogue: CatalogueWorkflow[];
	/** setWorkflowSchema: Start-node inputs by workflow id (win over the catalogue's `input`). */
	readonly schemas: Map<string, Record<string, WorkflowParameter>>;
	readonly uploads: UploadRecord[];
	uploadLimits: UploadLimits;
	/** Studio: uploaded objects by MinIO object key (`bot_files/<uuid>/<name>`). */
	readonly storedObjects: Map<string, StoredObject>;
	readonly requests: RecordedRequest[];
	readonly interceptors: Interceptor[];
	closed: boolean;
	/** CozeEmulator.latencyMs (faults.ts). */
	latencyMs: number;
	/** Queued faults per workflow id, consumed from the front (faults.ts). */
	readonly faultQueues: Map<string, Fault[]>;
	/** Faults for run-history lookups, by workflow_id (queueHistoryFaults). */
	readonly historyFaultQueues: Map<string, Fault[]>;
	/** Random-fault plans per workflow id (faults.ts). */
	readonly faultRates: Map<string, FaultRatePlan>;
	/** Runs per workflow id, per run key (accounting.ts). */
	readonly runCounts: Map<string, Map<string, number>>;
	/** In-flight run requests per workflow id (accounting.ts). */
	readonly concurrency: Map<string, { current: number; max: number }>;
	/** The account-wide rate limit and what it has counted (ratelimit.ts). */
	readonly rateLimit: RateLimitState;
	/** OAuth (oauth.ts): registered keys by kid. */
	readonly oauthKeys: Map<string, OAuthKey>;
	/** The `aud` a token-request JWT must carry. */
	readonly oauthAudience: string;
	/** Emulator clock = real clock + this (seconds). */
	clockOffsetSeconds: number;
	maxTokenLifetimeSeconds: number;
	expiredTokenAnswer: ExpiredTokenAnswer;
	tokenEndpointFault: TokenEndpointFault | undefined;
	/** Every access token issued, by token (kept so an expired one is told apart from an unknown one). */
	readonly oauthTokens: Map<string, IssuedToken>;
	/** jti values of the JWTs that obtained a token. */
	readonly usedJtis: Set<string>;
	readonly tokenRequests: TokenRequestRecord[];
	/** Agents (bots): catalogue, options and chats (agentModel.ts). */
	readonly agents: AgentState;
	/** Knowledge bases, documents, options (knowledge*.ts). */
	readonly knowledge: KnowledgeState;
	/** Voices, audio options, faults and records (audio*.ts). */
	readonly audio: AudioState;
}

/** A `setFaultRate` plan with its PRNG. */
export interface FaultRatePlan {
	rate: number;
	faults: Fault[];
	/** Next uniform draw in [0, 1). */
	next: () => number;
}

export interface RequestContext {
	readonly state: EmulatorState;
	readonly req: IncomingMessage;
	/** The response (handlers build Replies; only the server and faults.ts touch it, e.g. to watch its `close`). */
	readonly res: ServerResponse;
	readonly recorded: RecordedRequest;
	/** The request body's exact bytes (`recorded.rawBody` is their UTF-8 decoding). */
	readonly bodyBytes: Buffer;
	/** Named groups of the matched route's RegExp path. */
	params: Record<string, string>;
	/** This request's log id (cloud x-tt-logid format or Studio uuid); already sent as a header. */
	readonly logId: string;
	/** Waits `ms`; resolves `false` instead if the emulator closes or the client goes away first. */
	sleep(ms: number): Promise<boolean>;
}

/** Path as the dialect routes it: Studio collapses repeated slashes (nginx + Hertz), cloud does not. */
export function routedPath(dialect: Dialect, path: string): string {
	return dialect === 'studio' ? path.replace(/\/{2,}/g, '/') : path;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

/**
 * Not Coze's behaviour, a broken or hostile server's (slowloris): a 200 JSON answer that starts
 * with `prefix`, then one more byte every `intervalMs`, never ending, until the client gives up
 * or the emulator closes. Each byte restarts a socket-idle timer: only a wall-clock deadline ends it.
 */
export function trickleReply(prefix: string, intervalMs: number): Reply {
	return {
		kind: 'custom',
		write: async (res, rctx) => {
			res.on('error', () => undefined);
			res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
			res.write(prefix);
			while (!res.destroyed && !res.socket?.destroyed && (await rctx.sleep(intervalMs))) res.write('a');
		},
	};
}

export function json(status: number, body: unknown, headers?: HeaderMap): Reply {
	return { kind: 'json', status, body, headers };
}
