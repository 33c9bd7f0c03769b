/**
 * Internal plumbing shared by the endpoint modules: the emulator's mutable state, the
 * per-request context handed to handlers, and `Reply`, the description of an answer that
 * server.ts writes to the socket. Endpoint modules build Replies; they never touch the socket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { IdGenerator } from './ids';
import type { Dialect, RecordedRequest, RunScenario } from './types';

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

/** A workflow execution the emulator remembers (Studio history lookups, later async runs). */
export interface Execution {
	executeId: string;
	workflowId: string;
	/** Studio spelling: Running | Success | Fail | Cancel | <UNSET>. */
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
	readonly executions: Map<string, Execution>;
	readonly requests: RecordedRequest[];
	readonly interceptors: Interceptor[];
	closed: boolean;
}

export interface RequestContext {
	readonly state: EmulatorState;
	readonly req: IncomingMessage;
	readonly recorded: RecordedRequest;
	/** Named groups of the matched route's RegExp path. */
	params: Record<string, string>;
	/** This request's log id (cloud x-tt-logid format or Studio uuid); already sent as a header. */
	readonly logId: string;
	/** Waits `ms`; resolves `false` instead if the emulator closes or the client goes away first. */
	sleep(ms: number): Promise<boolean>;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export function json(status: number, body: unknown, headers?: HeaderMap): Reply {
	return { kind: 'json', status, body, headers };
}
