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
 *   run.ts        POST /v1/workflow/run (sync + async), request parsing shared with stream.ts
 *   stream.ts     POST /v1/workflow/stream_run, /v1/workflow/stream_resume (SSE)
 *   resume.ts     POST /v1/workflows/resume (cloud)
 *   chat.ts       POST /v1/workflows/chat (SSE)
 *   sse.ts        SSE event format, chunked/paced writer, event numbering + PINGs
 *   executions.ts remembered executions, async completion by poll count
 *   workspaces.ts GET /v1/workspaces (cloud)
 *   history.ts    GET /v1/workflows/{id}/run_histories/{execute_id} (cloud), /v1/workflow/get_run_history (Studio)
 *   ids.ts, json.ts  19-digit ids / log ids, bigint-aware JSON
 *   cli.ts        `node cli.js [--dialect cloud|studio] [--port N] [--token T]`
 */
import type { EmulatorState } from './core';
import { routedPath } from './core';
import { dispatchCloud, dispatchStudio, RUN_REQUEST_PATHS } from './dispatch';
import { IdGenerator } from './ids';
import { bodyWorkflowId, RUN_PATH } from './run';
import { createEmulatorServer } from './server';
import { STREAM_RUN_PATH } from './stream';
import type { CozeEmulator, RecordedRequest, StartOptions } from './types';

export type {
	AsyncScenario,
	ChatOptions,
	ChatScenario,
	Chunking,
	CozeEmulator,
	Dialect,
	RecordedRequest,
	RunScenario,
	StartOptions,
	StreamMessage,
	StreamOptions,
	StreamScenario,
	StudioPreStreamContentType,
	Usage,
} from './types';

export const DEFAULT_TOKEN = 'test-token';

export async function startCozeEmulator(opts: StartOptions = {}): Promise<CozeEmulator> {
	const dialect = opts.dialect ?? 'cloud';
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
		requests: [],
		interceptors: [],
		closed: false,
	};
	// Studio collapses repeated slashes before routing (see dispatch.ts); cloud matches paths as sent.
	const postsTo = (paths: Set<string>, workflowId: string): RecordedRequest[] =>
		state.requests.filter(
			(r) => r.method === 'POST' && paths.has(routedPath(dialect, r.path)) && bodyWorkflowId(r.body) === workflowId,
		);
	const server = createEmulatorServer(state, dialect === 'cloud' ? dispatchCloud : dispatchStudio);
	const port = await server.listen(opts.port ?? 0);
	state.url = `http://127.0.0.1:${port}`;

	return {
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
			]) {
				m.clear();
			}
			state.studioPreStreamContentType = opts.studioPreStreamContentType ?? 'application/json';
			state.requests.length = 0; // keep the array identity: `emulator.requests` stays valid
		},
		close: () => server.close(),
	};
}
