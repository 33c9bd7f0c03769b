/**
 * Coze emulator: a real HTTP server on 127.0.0.1 that speaks the cloud (api.coze.cn / api.coze.com)
 * or the Coze Studio dialect of the Open API, records every request and answers per workflow_id
 * as told. Wire facts: /work/shared/coze-api.md; module map:
 *
 *   index.ts      startCozeEmulator + the public CozeEmulator object
 *   types.ts      public types (Dialect, RecordedRequest, RunScenario, CozeEmulator)
 *   server.ts     node:http server, request recording, socket/timer tracking, Reply writer
 *   dispatch.ts   per-dialect pipelines and route tables (auth, Studio nginx/session layers, 404s)
 *   router.ts     tiny method+path router
 *   core.ts       internal state, request context, Reply
 *   dialect.ts    envelopes, log ids headers, debug URLs of both dialects
 *   auth.ts       Bearer auth of both dialects, Studio's Open-API path allow-list
 *   oauth.ts      POST /api/permission/oauth2/token (cloud): OAuth JWT service apps, issued tokens, emulator clock
 *   run.ts        POST /v1/workflow/run (sync + async), request parsing shared with stream.ts
 *   stream.ts     POST /v1/workflow/stream_run, /v1/workflow/stream_resume (SSE)
 *   resume.ts     POST /v1/workflows/resume (cloud)
 *   chat.ts       POST /v1/workflows/chat (SSE)
 *   sse.ts        SSE event format, chunked/paced writer, event numbering + PINGs
 *   executions.ts remembered executions, async completion by poll count
 *   workspaces.ts GET /v1/workspaces (cloud), paged
 *   workflows.ts  GET /v1/workflows (cloud list), GET /v1/workflows/{id} (cloud info + schema, Studio chatflow role)
 *   catalogue.ts  default workspaces, workflow catalogue, input schema, upload limits; their constants
 *   files.ts      POST /v1/files/upload (both), Studio's /local_storage/… file URLs
 *   multipart.ts  binary-safe multipart/form-data parser
 *   history.ts    GET /v1/workflows/{id}/run_histories/{execute_id} (cloud), /v1/workflow/get_run_history (Studio)
 *   faults.ts     latency, fault queues / seeded fault rates (first pre-routing interceptor), closedPortUrl
 *   accounting.ts run counts per parameters key, in-flight run requests (maxConcurrentRuns)
 *   bigjson.ts    RunScenario `bigJson`: a huge `data` generated while it is written
 *   ids.ts, json.ts  19-digit ids / log ids, bigint-aware JSON
 *   agentTypes.ts, agentApi.ts  public agent types; the agent part of CozeEmulator (attached here)
 *   agentCatalogue.ts  default agents (one per behaviour) and agent options; their constants
 *   agents.ts     GET /v1/bots, /v1/space/published_bots_list (cloud), /v1/bots/{id}, /v1/bot/get_online_info, /v1/files/retrieve (cloud)
 *   agentRequest.ts  POST /v3/chat request parsing of both dialects
 *   agentModel.ts the agent chat engine: plans, clock, conversation history, cancel
 *   agentJson.ts  chat and message objects of both dialects
 *   agentChat.ts  POST /v3/chat, /v3/chat/retrieve, message/list, cancel, submit_tool_outputs (cloud)
 *   agentChatStream.ts  the agent chat SSE of both dialects
 *   conversations.ts  /v1/conversation/create|retrieve|message/list, /v1/conversations[/{id}/clear]
 *   knowledgeCatalogue.ts  default knowledge bases, knowledge types and options; their constants
 *   knowledgeApi.ts  the knowledge part of CozeEmulator (attached here)
 *   knowledge.ts  GET /v1/datasets, POST /v1/datasets/{id}/process, GET …/images (both), PUT …/images/{doc} (cloud)
 *   knowledgeDocuments.ts  POST /open_api/knowledge/document/create|list|update|delete (cloud; Studio behind KnowledgeOptions.studioDocumentRoute)
 *   knowledgePlan.ts  document/create: per document_bases entry, its record and document (or the refusal)
 *   audioCatalogue.ts  default voices, audio types, options and faults; their constants
 *   audioApi.ts   the audio part of CozeEmulator (attached here)
 *   audio.ts      POST /v1/audio/speech, /v1/audio/transcriptions, GET /v1/audio/voices (cloud only)
 *   audioCodec.ts the speech audio containers (mp3, wav, pcm, ogg_opus) carrying their text
 *   cli.ts        `node cli.js [--dialect cloud|studio] [--port N] [--token T] [--oauth-app ID:KID:PEMFILE]`
 */
import { resetConcurrency, runCountOf } from './accounting';
import { attachAgentApi, newAgentState, resetAgents } from './agentApi';
import { attachAudioApi, newAudioState, resetAudio } from './audioApi';
import { attachKnowledgeApi, newKnowledgeState, resetKnowledge } from './knowledgeApi';
import { clone, DEFAULT_WORKSPACES, defaultUploadLimits, newDefaultCatalogue } from './catalogue';
import type { EmulatorState } from './core';
import { routedPath } from './core';
import { dispatchCloud, dispatchStudio, RUN_REQUEST_PATHS } from './dispatch';
import { faultInterceptor, queueFaults, queueHistoryFaults, setFaultRate } from './faults';
import { IdGenerator } from './ids';
import { checkAccountRateLimit, newRateLimitState } from './ratelimit';
import { isJsonObject } from './json';
import {
	checkClockOffset,
	checkExpiredTokenAnswer,
	checkMaxTokenLifetime,
	DEFAULT_OAUTH_AUDIENCE,
	MAX_DURATION_SECONDS,
	registerOAuthApp,
	revokeOAuthTokens,
} from './oauth';
import { bodyWorkflowId, RUN_PATH } from './run';
import { createEmulatorServer } from './server';
import { STREAM_RUN_PATH } from './stream';
import type { AgentEmulatorApi } from './agentTypes';
import type { AudioEmulatorApi } from './audioApi';
import type { KnowledgeEmulatorApi } from './knowledgeApi';
import type {
	CatalogueWorkflow,
	CozeEmulator,
	ExpiredTokenAnswer,
	TokenEndpointFault,
	FileRef,
	RecordedRequest,
	StartOptions,
	UploadLimits,
	UploadRecord,
	Workspace,
} from './types';

export type { AgentBehaviour, AgentChatSnapshot, AgentEmulatorApi, AgentOptions, CatalogueAgent, ConversationMessage } from './agentTypes';
export {
	DEFAULT_AGENT_OPTIONS,
	DEFAULT_AGENTS,
	DRAFT_AGENT_ID,
	ECHO_AGENT_ID,
	ECHO_FOLLOW_UPS,
	FAILING_AGENT_ERROR,
	FAILING_AGENT_ID,
	REASONING_AGENT_ID,
	SLOW_AGENT_ID,
	STUDIO_WEATHER_OUTPUT,
	TOOL_AGENT_ID,
	UNKNOWN_AGENT_ID,
	WEATHER_TOOL_NAME,
} from './agentCatalogue';
export { echoText, reasoningText, weatherAnswer } from './agentModel';
export type { AudioEmulatorApi, AudioStartOptions } from './audioApi';
export type { AudioEndpoint, AudioFault, AudioOptions, SpeechFormat, SpeechRecord, TranscriptionRecord, Voice } from './audioCatalogue';
export {
	CLONED_VOICE_ID,
	DEFAULT_AUDIO_OPTIONS,
	DEFAULT_VOICE_ID,
	DEFAULT_VOICES,
	INIT_VOICE_ID,
	SMALL_VOICE_ID,
	SPEECH_FORMATS,
	SPEECH_SAMPLE_RATES,
	UNKNOWN_VOICE_ID,
} from './audioCatalogue';
export { encodeSpeech, SPEECH_MARKER, speechTextOf, speechTextsOf } from './audioCodec';
export type { KnowledgeEmulatorApi, KnowledgeStartOptions } from './knowledgeApi';
export type { CatalogueDataset, ChunkStrategy, DocumentCreateRecord, DocumentSource, KnowledgeDocument, KnowledgeOptions } from './knowledgeCatalogue';
export {
	DEFAULT_DATASETS,
	DEFAULT_KNOWLEDGE_OPTIONS,
	FAIL_PROCESSING_MARKER,
	IMAGE_DATASET_ID,
	TABLE_DATASET_ID,
	TEXT_DATASET_ID,
	UNKNOWN_DATASET_ID,
} from './knowledgeCatalogue';
export type {
	AsyncScenario,
	CatalogueWorkflow,
	ChatOptions,
	ChatScenario,
	Chunking,
	CozeEmulator,
	Dialect,
	AccountRateLimit,
	ExpiredTokenAnswer,
	Fault,
	FaultRate,
	FileRef,
	OAuthApp,
	RateLimitVia,
	RecordedRequest,
	RunScenario,
	StartOptions,
	StreamMessage,
	StreamOptions,
	StreamScenario,
	StudioPreStreamContentType,
	TokenRequestRecord,
	UploadLimits,
	UploadRecord,
	Usage,
	Workspace,
	WorkflowOutput,
	WorkflowParameter,
} from './types';
export {
	APP_ID,
	CHATFLOW_ID,
	CLOUD_MAX_UPLOAD_BYTES,
	DEFAULT_CATALOGUE_SIZE,
	DEFAULT_WORKFLOW_CATALOGUE,
	DEFAULT_WORKSPACES,
	defaultUploadLimits,
	DRAFT_WORKFLOW_ID,
	PERSONAL_WORKSPACE,
	PERSONAL_WORKSPACE_ID,
	SCHEMA_WORKFLOW_ID,
	SCHEMA_WORKFLOW_INPUT,
	STUDIO_MAX_BODY_BYTES,
	TEAM_WORKSPACE,
	TEAM_WORKSPACE_ID,
	WORKSPACES_WITH_TEAM,
} from './catalogue';
export { runKey } from './accounting';
export { BIG_JSON_MIN_BYTES } from './bigjson';
export { closedPortUrl, RATE_LIMIT_MSG } from './faults';
export { DEFAULT_OAUTH_AUDIENCE, DEFAULT_TOKEN_DURATION_SECONDS, JWT_BEARER_GRANT, newOAuthKeyPair, OAUTH_TOKEN_PATH } from './oauth';

export const DEFAULT_TOKEN = 'test-token';

export async function startCozeEmulator(opts: StartOptions = {}): Promise<CozeEmulator> {
	const dialect = opts.dialect ?? 'cloud';
	const startWorkspaces = (): Workspace[] => clone(opts.workspaces ?? [...DEFAULT_WORKSPACES]);
	const startCatalogue = (): CatalogueWorkflow[] => (opts.workflowCatalogue ? clone(opts.workflowCatalogue) : newDefaultCatalogue());
	const startLimits = (): UploadLimits => ({ ...defaultUploadLimits(dialect), ...clone(opts.uploadLimits ?? {}) });
	const startClockOffset = checkClockOffset(opts.clockOffsetSeconds ?? 0);
	const startMaxLifetime = checkMaxTokenLifetime(opts.maxTokenLifetimeSeconds ?? MAX_DURATION_SECONDS);
	const startExpiredAnswer = checkExpiredTokenAnswer(opts.expiredTokenAnswer ?? 'body4100');
	const audience = opts.oauthAudience ?? DEFAULT_OAUTH_AUDIENCE;
	if (typeof audience !== 'string' || audience === '') throw new TypeError('oauthAudience must be a non-empty string');
	const state: EmulatorState = {
		dialect,
		url: '',
		ids: new IdGenerator(),
		validTokens: new Set(opts.validTokens ?? [DEFAULT_TOKEN]),
		runScenarios: new Map(),
		streamScenarios: new Map(),
		asyncScenarios: new Map(),
		chatScenarios: new Map(),
		executions: new Map(),
		streamRuns: new Map(),
		syncInterrupts: new Map(),
		conversations: new Map(),
		conversationNames: new Map(),
		historyPolls: new Map(),
		studioPreStreamContentType: opts.studioPreStreamContentType ?? 'application/json',
		workspaces: startWorkspaces(),
		catalogue: startCatalogue(),
		schemas: new Map(),
		uploads: [],
		uploadLimits: startLimits(),
		storedObjects: new Map(),
		requests: [],
		interceptors: [],
		closed: false,
		latencyMs: 0,
		faultQueues: new Map(),
		historyFaultQueues: new Map(),
		faultRates: new Map(),
		runCounts: new Map(),
		concurrency: new Map(),
		rateLimit: newRateLimitState(),
		oauthKeys: new Map(),
		oauthAudience: audience,
		clockOffsetSeconds: startClockOffset,
		maxTokenLifetimeSeconds: startMaxLifetime,
		expiredTokenAnswer: startExpiredAnswer,
		tokenEndpointFault: undefined,
		oauthTokens: new Map(),
		usedJtis: new Set(),
		tokenRequests: [],
		agents: newAgentState(opts),
		knowledge: newKnowledgeState(opts),
		audio: newAudioState(opts),
	};
	for (const app of opts.oauthApps ?? []) registerOAuthApp(state, app);
	// Studio collapses repeated slashes before routing (see dispatch.ts); cloud matches paths as sent.
	const postsTo = (paths: Set<string>, workflowId: string): RecordedRequest[] =>
		state.requests.filter(
			(r) => r.method === 'POST' && paths.has(routedPath(dialect, r.path)) && bodyWorkflowId(r.body) === workflowId,
		);
	const dispatch = dialect === 'cloud' ? dispatchCloud : dispatchStudio;
	state.interceptors.push(faultInterceptor(dispatch)); // first, permanent (reset() only clears its settings)
	const server = createEmulatorServer(state, dispatch);
	const port = await server.listen(opts.port ?? 0);
	state.url = `http://127.0.0.1:${port}`;

	const emulator: Omit<CozeEmulator, keyof AgentEmulatorApi | keyof KnowledgeEmulatorApi | keyof AudioEmulatorApi> = {
		url: state.url,
		dialect,
		requests: state.requests,
		get validTokens(): Set<string> {
			return state.validTokens;
		},
		set validTokens(tokens: Set<string>) {
			state.validTokens = tokens;
		},
		get studioPreStreamContentType() {
			return state.studioPreStreamContentType;
		},
		set studioPreStreamContentType(ct) {
			state.studioPreStreamContentType = ct;
		},
		setRunScenario: (workflowId, s) => void state.runScenarios.set(workflowId, s),
		setStreamScenario: (workflowId, s) => void state.streamScenarios.set(workflowId, s),
		setAsyncScenario: (workflowId, s) => void state.asyncScenarios.set(workflowId, s),
		setChatScenario: (workflowId, s) => void state.chatScenarios.set(workflowId, s),
		runsOf: (workflowId) => postsTo(new Set([RUN_PATH]), workflowId),
		streamsOf: (workflowId) => postsTo(new Set([STREAM_RUN_PATH]), workflowId),
		runRequestsOf: (workflowId) => postsTo(RUN_REQUEST_PATHS, workflowId),
		historyPollsOf: (executeId) => state.historyPolls.get(executeId) ?? 0,
		get workspaces() {
			return clone(state.workspaces);
		},
		setWorkspaces: (workspaces) => void (state.workspaces = clone(workspaces)),
		get workflowCatalogue() {
			return clone(state.catalogue);
		},
		setWorkflowCatalogue: (workflows) => void (state.catalogue = clone(workflows)),
		setWorkflowSchema: (workflowId, parameters) => void state.schemas.set(workflowId, clone(parameters)),
		uploads: state.uploads,
		get uploadLimits() {
			return state.uploadLimits;
		},
		set uploadLimits(limits) {
			state.uploadLimits = limits;
		},
		fileRefsOf: (workflowId) => fileRefs(postsTo(RUN_REQUEST_PATHS, workflowId), state.uploads),
		get latencyMs(): number {
			return state.latencyMs;
		},
		set latencyMs(ms: number) {
			if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError('latencyMs must be a finite number >= 0');
			state.latencyMs = ms;
		},
		queueFaults: (workflowId, faults) => queueFaults(state, workflowId, faults),
		queueHistoryFaults: (workflowId, faults) => queueHistoryFaults(state, workflowId, faults),
		queuedFaults: (workflowId) => clone(state.faultQueues.get(workflowId) ?? []),
		setFaultRate: (workflowId, plan) => setFaultRate(state, workflowId, plan),
		runCount: (workflowId, key) => runCountOf(state, workflowId, key),
		runsByKey: (workflowId) => new Map(state.runCounts.get(workflowId) ?? []),
		maxConcurrentRuns: (workflowId) => state.concurrency.get(workflowId)?.max ?? 0,
		setAccountRateLimit: (limit) => {
			checkAccountRateLimit(limit);
			state.rateLimit.limit = limit === undefined ? undefined : { ...limit };
		},
		get rateLimitRefusals(): number {
			return state.rateLimit.refusals;
		},
		resetConcurrency: () => resetConcurrency(state),
		addOAuthApp: (app) => registerOAuthApp(state, app),
		get clockOffsetSeconds(): number {
			return state.clockOffsetSeconds;
		},
		set clockOffsetSeconds(seconds: number) {
			state.clockOffsetSeconds = checkClockOffset(seconds);
		},
		get maxTokenLifetimeSeconds(): number {
			return state.maxTokenLifetimeSeconds;
		},
		set maxTokenLifetimeSeconds(seconds: number) {
			state.maxTokenLifetimeSeconds = checkMaxTokenLifetime(seconds);
		},
		get tokenEndpointFault(): TokenEndpointFault | undefined {
			return state.tokenEndpointFault;
		},
		set tokenEndpointFault(fault: TokenEndpointFault | undefined) {
			state.tokenEndpointFault = fault;
		},
		get expiredTokenAnswer(): ExpiredTokenAnswer {
			return state.expiredTokenAnswer;
		},
		set expiredTokenAnswer(answer: ExpiredTokenAnswer) {
			state.expiredTokenAnswer = checkExpiredTokenAnswer(answer);
		},
		tokenRequests: state.tokenRequests,
		expireOAuthTokens: () => revokeOAuthTokens(state),
		/** See CozeEmulator.reset (types.ts) for what it keeps, OAuth apps and issued tokens included. */
		reset(): void {
			for (const m of [
				state.runScenarios,
				state.streamScenarios,
				state.asyncScenarios,
				state.chatScenarios,
				state.executions,
				state.streamRuns,
				state.syncInterrupts,
				state.conversations,
				state.conversationNames,
				state.historyPolls,
				state.faultQueues,
				state.historyFaultQueues,
				state.faultRates,
				state.runCounts,
			]) {
				m.clear();
			}
			state.studioPreStreamContentType = opts.studioPreStreamContentType ?? 'application/json';
			state.requests.length = 0; // keep the array identity: `emulator.requests` stays valid
			state.workspaces = startWorkspaces();
			state.catalogue = startCatalogue();
			state.schemas.clear();
			state.uploads.length = 0; // same identity as `emulator.uploads`
			state.storedObjects.clear();
			state.uploadLimits = startLimits();
			state.latencyMs = 0;
			resetConcurrency(state); // in-flight requests stay counted until they end
			state.rateLimit.limit = undefined;
			state.rateLimit.refusals = 0;
			state.rateLimit.acceptedAt.length = 0; // a new limit starts with its whole second
			// OAuth: registered apps, used jti values and issued tokens are kept (tokens stay valid until they expire).
			state.clockOffsetSeconds = startClockOffset;
			state.maxTokenLifetimeSeconds = startMaxLifetime;
			state.expiredTokenAnswer = startExpiredAnswer;
			state.tokenEndpointFault = undefined;
			state.tokenRequests.length = 0; // same identity as `emulator.tokenRequests`
			resetAgents(state, opts); // agents: catalogue and options back to their start values, chats forgotten
			resetKnowledge(state, opts); // knowledge bases and options back to their start values, documents forgotten
			resetAudio(state, opts); // voices and options back to their start values, faults and records cleared
		},
		close: () => server.close(),
	};
	return attachAudioApi(attachKnowledgeApi(attachAgentApi(emulator, state), state), state);
}

/**
 * File references in run requests' `parameters`: a string that is the JSON text of an object with a
 * string `file_id` (cloud's `"{\"file_id\":\"…\"}"`, §3), or an http(s) URL; top-level values and
 * the elements of top-level arrays. Studio bodies may carry `parameters` as a JSON text; it is parsed.
 * A URL matches an upload when its path is the upload's `url` path (query ignored, so an added
 * `x-wf-file_name` still matches).
 */
function fileRefs(requests: RecordedRequest[], uploads: UploadRecord[]): FileRef[] {
	const out: FileRef[] = [];
	const urlPath = (u: string): string | undefined => {
		try {
			return new URL(u).pathname;
		} catch {
			return undefined;
		}
	};
	const check = (path: string, parameter: string, value: unknown, index?: number): void => {
		if (typeof value !== 'string') return;
		const at = index === undefined ? {} : { index };
		let parsed: unknown;
		try {
			parsed = JSON.parse(value);
		} catch {
			parsed = undefined;
		}
		if (isJsonObject(parsed) && typeof parsed.file_id === 'string') {
			const fileId = parsed.file_id;
			out.push({ path, parameter, ...at, kind: 'file_id', value, fileId, upload: uploads.find((u) => u.id === fileId) });
		} else if (/^https?:\/\//i.test(value)) {
			const p = urlPath(value);
			const upload = p === undefined ? undefined : uploads.find((u) => u.url !== undefined && urlPath(u.url) === p);
			out.push({ path, parameter, ...at, kind: 'url', value, url: value, upload });
		}
	};
	for (const r of requests) {
		if (!isJsonObject(r.body)) continue;
		let params: unknown = r.body.parameters;
		if (typeof params === 'string') {
			try {
				params = JSON.parse(params);
			} catch {
				continue;
			}
		}
		if (!isJsonObject(params)) continue;
		for (const [name, value] of Object.entries(params)) {
			if (Array.isArray(value)) value.forEach((v, i) => check(r.path, name, v, i));
			else check(r.path, name, value);
		}
	}
	return out;
}
