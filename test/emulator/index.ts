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
 *   run.ts        POST /v1/workflow/run
 *   workspaces.ts GET /v1/workspaces (cloud)
 *   history.ts    GET /v1/workflow/get_run_history (Studio)
 *   ids.ts, json.ts  19-digit ids / log ids, bigint-aware JSON
 *   cli.ts        `node cli.js [--dialect cloud|studio] [--port N] [--token T]`
 */
import type { EmulatorState } from './core';
import { dispatchCloud, dispatchStudio } from './dispatch';
import { IdGenerator } from './ids';
import { bodyWorkflowId, RUN_PATH } from './run';
import { createEmulatorServer } from './server';
import type { CozeEmulator, RecordedRequest, RunScenario, StartOptions } from './types';

export type { CozeEmulator, Dialect, RecordedRequest, RunScenario, StartOptions, Usage } from './types';

export const DEFAULT_TOKEN = 'test-token';

export async function startCozeEmulator(opts: StartOptions = {}): Promise<CozeEmulator> {
	const dialect = opts.dialect ?? 'cloud';
	const state: EmulatorState = {
		dialect,
		url: '',
		ids: new IdGenerator(),
		validTokens: new Set(opts.validTokens ?? [DEFAULT_TOKEN]),
		runScenarios: new Map<string, RunScenario>(),
		executions: new Map(),
		requests: [],
		interceptors: [],
		closed: false,
	};
	// Studio collapses repeated slashes before routing (see dispatch.ts); cloud matches paths as sent.
	const routedPath = (p: string): string => (dialect === 'studio' ? p.replace(/\/{2,}/g, '/') : p);
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
		setRunScenario(workflowId: string, s: RunScenario): void {
			state.runScenarios.set(workflowId, s);
		},
		runsOf(workflowId: string): RecordedRequest[] {
			return state.requests.filter(
				(r) => r.method === 'POST' && routedPath(r.path) === RUN_PATH && bodyWorkflowId(r.body) === workflowId,
			);
		},
		reset(): void {
			state.runScenarios.clear();
			state.executions.clear();
			state.requests.length = 0; // keep the array identity: `emulator.requests` stays valid
		},
		close: () => server.close(),
	};
}
