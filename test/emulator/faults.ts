/**
 * Latency, fault injection and in-flight accounting, as the first pre-routing interceptor
 * (core.ts `Interceptor`, installed by index.ts; its settings live in EmulatorState and are cleared
 * by `reset()`). Per request, in this order:
 *
 * 1. Only run-type requests (`POST` run, stream_run, stream_resume, workflows/resume,
 *    workflows/chat — as the dialect routes paths, so Studio's `//v1/…` counts) and run-history
 *    polls (`GET` cloud run_histories, Studio get_run_history) are concerned; anything else passes.
 * 2. A run-type request naming a workflow_id (body) is counted in flight (accounting.ts) until its
 *    answer is written or its connection closes.
 * 3. Its fault is chosen at ARRIVAL (so queues are consumed in arrival order even when latency
 *    delays the answers): only when the dialect routes the path and the request passes the same
 *    checks dispatch.ts makes before a handler (cloud Bearer auth; Studio body size + API-key
 *    auth) — an unauthenticated request gets its normal auth answer and consumes nothing. The
 *    fault is the head of the workflow's queue, else a draw of its FaultRate plan, else a refusal
 *    by the account rate limit (ratelimit.ts; answered at once unless it says otherwise), else none.
 * 4. `latencyMs` is waited (a timer; cancelled if the client goes away or the emulator closes).
 * 5. No fault → the normal pipeline (auth, routing, scenario). `rateLimit` → refused without
 *    running. The other faults run the normal pipeline first (the run happens, with all its side
 *    effects: execution, history, interrupts, run count), then discard or mangle its answer.
 */
import { createServer } from 'node:net';
import type { ServerResponse } from 'node:http';

import { trackInFlight } from './accounting';
import { agentRunSubject } from './agentChat';
import { accountLimitFault } from './ratelimit';
import { cloudAuth, studioAuth } from './auth';
import type { EmulatorState, FaultRatePlan, Interceptor, Reply, RequestContext } from './core';
import { routedPath, trickleReply } from './core';
import { cloudError, nginxErrorPage } from './dialect';
import { CLOUD_ROUTES, RUN_REQUEST_PATHS, STUDIO_ROUTES } from './dispatch';
import { studioBodyTooLarge } from './files';
import { CLOUD_HISTORY_PATH, STUDIO_HISTORY_PATH } from './history';
import { toJson } from './json';
import { bodyWorkflowId, malformedReply, successEnvelopeText } from './run';
import { writeReply } from './server';
import type { Dispatch } from './server';
import { prng } from './sse';
import type { Fault, FaultRate, RateLimitVia, RecordedRequest } from './types';

/**
 * ASSUMPTION: message texts of the rate-limit codes (coze-api.md §5.1 gives only their meaning:
 * 4009 "system request limit reached, retry later", 4020 "RPM peak exceeded").
 */
export const RATE_LIMIT_MSG: Record<4009 | 4020, string> = {
	4009: 'The request has reached the system limit. Please try again later.',
	4020: 'The RPM (requests per minute) peak has been exceeded. Please try again later.',
};

/** Body code and HTTP status of each `via` (see types.ts RateLimitVia). */
const RATE_LIMIT: Record<RateLimitVia, { code: 4009 | 4020; status: number }> = {
	http429: { code: 4009, status: 429 },
	code4009: { code: 4009, status: 200 },
	code4020: { code: 4020, status: 200 },
};

// ---------------------------------------------------------------- plans (validated when set)

export function checkFaults(faults: Fault[]): void {
	if (!Array.isArray(faults)) throw new TypeError('faults must be an array');
	for (const f of faults) {
		switch (f.kind) {
			case 'rateLimit':
				if (!(f.via in RATE_LIMIT)) throw new TypeError(`rateLimit: unknown via ${String(f.via)}`);
				if (f.retryAfterSeconds !== undefined && !(Number.isInteger(f.retryAfterSeconds) && f.retryAfterSeconds >= 0)) {
					throw new RangeError('rateLimit: retryAfterSeconds must be an integer >= 0');
				}
				break;
			case 'resetMidResponse':
				if (f.afterBytes !== undefined && !(Number.isInteger(f.afterBytes) && f.afterBytes >= 0)) {
					throw new RangeError('resetMidResponse: afterBytes must be an integer >= 0');
				}
				break;
			case 'trickle':
				if (f.intervalMs !== undefined && !(Number.isInteger(f.intervalMs) && f.intervalMs > 0)) {
					throw new RangeError('trickle: intervalMs must be an integer > 0');
				}
				break;
			case 'endlessBody':
				if (f.chunkBytes !== undefined && (!Number.isInteger(f.chunkBytes) || f.chunkBytes <= 0)) {
					throw new RangeError('endlessBody: chunkBytes must be an integer > 0');
				}
				break;
			case 'stall':
			case 'html502':
			case 'malformedJson':
			case 'echoToken':
				break;
			default:
				throw new TypeError(`unknown fault kind ${String((f as { kind?: unknown }).kind)}`);
		}
	}
}

export function queueFaults(state: EmulatorState, workflowId: string, faults: Fault[]): void {
	checkFaults(faults);
	const q = state.faultQueues.get(workflowId) ?? [];
	q.push(...faults.map((f) => ({ ...f })));
	state.faultQueues.set(workflowId, q);
}

const HISTORY_FAULTS = new Set<Fault['kind']>(['stall', 'trickle', 'endlessBody', 'html502', 'malformedJson']);

export function queueHistoryFaults(state: EmulatorState, workflowId: string, faults: Fault[]): void {
	checkFaults(faults);
	for (const f of faults) if (!HISTORY_FAULTS.has(f.kind)) throw new TypeError(`queueHistoryFaults: ${f.kind} is not a lookup fault`);
	const q = state.historyFaultQueues.get(workflowId) ?? [];
	q.push(...faults.map((f) => ({ ...f })));
	state.historyFaultQueues.set(workflowId, q);
}

export function setFaultRate(state: EmulatorState, workflowId: string, plan: FaultRate): void {
	const { rate, seed, faults } = plan;
	if (!(typeof rate === 'number' && rate >= 0 && rate <= 1)) throw new RangeError('setFaultRate: rate must be within 0…1');
	if (!Number.isFinite(seed)) throw new RangeError('setFaultRate: seed must be a finite number');
	checkFaults(faults);
	if (rate > 0 && faults.length === 0) throw new RangeError('setFaultRate: a rate > 0 needs at least one fault');
	const p: FaultRatePlan = { rate, faults: faults.map((f) => ({ ...f })), next: prng(seed) };
	state.faultRates.set(workflowId, p);
}

/** The fault for the next request of `workflowId` (consumes a queued one, or one PRNG draw). */
function nextFault(state: EmulatorState, workflowId: string): Fault | undefined {
	const q = state.faultQueues.get(workflowId);
	if (q && q.length > 0) return q.shift();
	const p = state.faultRates.get(workflowId);
	if (!p) return undefined;
	const u = p.next(); // exactly one draw per request: the pattern depends only on the seed and the request's rank
	if (u >= p.rate) return undefined;
	return p.faults[Math.min(p.faults.length - 1, Math.floor((u / p.rate) * p.faults.length))];
}

// ---------------------------------------------------------------- the interceptor

type Concerned = { kind: 'run'; workflowId?: string; routed: boolean } | { kind: 'history'; workflowId?: string };

function classify(ctx: RequestContext): Concerned | undefined {
	const { state, recorded } = ctx;
	const path = routedPath(state.dialect, recorded.path);
	if (recorded.method === 'GET') {
		const isHistory = state.dialect === 'cloud' ? CLOUD_HISTORY_PATH.test(path) : path === STUDIO_HISTORY_PATH;
		if (!isHistory) return undefined;
		const workflowId = state.dialect === 'cloud' ? CLOUD_HISTORY_PATH.exec(path)?.groups?.workflow_id : recorded.query.workflow_id;
		return { kind: 'history', workflowId };
	}
	if (recorded.method !== 'POST' || !RUN_REQUEST_PATHS.has(path)) return undefined;
	const routes = state.dialect === 'cloud' ? CLOUD_ROUTES : STUDIO_ROUTES;
	const workflowId = bodyWorkflowId(recorded.body) ?? agentRunSubject(ctx, path); // agent chats: by bot id
	return { kind: 'run', workflowId, routed: routes.match('POST', path) !== undefined };
}

/** The checks dispatch.ts makes before a run handler, without answering: true = a handler would run. */
function passesGate(ctx: RequestContext): boolean {
	if (ctx.state.dialect === 'cloud') return cloudAuth(ctx) === undefined;
	return studioBodyTooLarge(ctx) === undefined && studioAuth(ctx) === undefined;
}

export function faultInterceptor(dispatch: Dispatch): Interceptor {
	return async (ctx) => {
		const { state } = ctx;
		const c = classify(ctx);
		if (!c) return undefined;
		let fault: Fault | undefined;
		if (c.kind === 'run' && c.workflowId !== undefined) {
			trackInFlight(state, c.workflowId, ctx.res);
			if (c.routed && passesGate(ctx)) {
				fault = nextFault(state, c.workflowId);
				if (!fault) {
					const refusal = accountLimitFault(state, ctx.res);
					if (refusal && !state.rateLimit.limit?.refuseAfterLatency) return await applyFault(ctx, refusal, dispatch);
					fault = refusal;
				}
			}
		} else if (c.kind === 'history' && c.workflowId !== undefined && passesGate(ctx)) {
			fault = state.historyFaultQueues.get(c.workflowId)?.shift();
		}
		const latency = state.latencyMs;
		if (latency > 0 && !(await ctx.sleep(latency))) return { kind: 'hang' }; // client gone / closing: nothing to answer
		if (!fault) return undefined;
		return applyFault(ctx, fault, dispatch);
	};
}

async function applyFault(ctx: RequestContext, fault: Fault, dispatch: Dispatch): Promise<Reply> {
	if (fault.kind === 'rateLimit') {
		const { code, status } = RATE_LIMIT[fault.via];
		const headers = fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : undefined;
		const reply = cloudError(ctx.logId, code, RATE_LIMIT_MSG[code], {}, status);
		return reply.kind === 'json' ? { ...reply, headers } : reply;
	}
	// The run happens: the whole normal pipeline, side effects included.
	let inner = await dispatch(ctx);
	switch (fault.kind) {
		case 'stall':
			return { kind: 'hang' };
		case 'trickle':
			return trickleReply('{"code":0,"msg":"","data":"', fault.intervalMs ?? 1000);
		case 'endlessBody': {
			const chunk = 'a'.repeat(fault.chunkBytes ?? 64 * 1024);
			return {
				kind: 'custom',
				write: async (res) => {
					res.on('error', () => undefined);
					res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
					res.write('{"code":0,"msg":"","data":"');
					let wake: () => void = () => undefined;
					const resume = () => wake();
					res.on('drain', resume);
					res.once('close', resume);
					while (!res.destroyed && !res.socket?.destroyed) {
						// As fast as the client reads: wait for the socket to drain, never buffer without end here.
						if (!res.write(chunk)) await new Promise<void>((resolve) => (wake = resolve));
					}
					res.off('drain', resume);
				},
			};
		}
		case 'echoToken':
			return echoTokenReply(ctx.recorded, fault.inError === true);
		case 'html502':
			return nginxErrorPage(502);
		case 'malformedJson': {
			if (inner.kind !== 'json') return malformedReply(ctx.state.dialect);
			const text = toJson(inner.body);
			// Half of the characters, never between the two halves of a surrogate pair: invalid JSON (an unclosed object), valid UTF-8.
			let cut = Math.floor(text.length / 2);
			const code = text.charCodeAt(cut - 1);
			if (code >= 0xd800 && code <= 0xdbff) cut--;
			return { kind: 'raw', status: 200, body: text.slice(0, cut), contentType: 'application/json; charset=utf-8' };
		}
		case 'resetMidResponse': {
			if (inner.kind === 'hang' || inner.kind === 'drop') {
				inner = { kind: 'raw', status: 200, body: successEnvelopeText(ctx.state.dialect), contentType: 'application/json; charset=utf-8' };
			}
			const answer = inner;
			const afterBytes = fault.afterBytes;
			return {
				kind: 'custom',
				write: async (res, rctx) => {
					cutAfter(res, afterBytes);
					await writeReply(rctx.state, answer, rctx, res);
				},
			};
		}
	}
}

/**
 * Makes `res` send only `afterBytes` body bytes (default: half of the first body write) and then
 * destroy its socket once those bytes are flushed. Everything written later is dropped; `end()`
 * never completes the message (a body that ends before the budget is cut where it ends). The
 * socket is closed (`destroy()`), not RST: an RST could make the client's kernel discard the
 * status line and headers it already received, and this fault promises they arrive.
 */
function cutAfter(res: ServerResponse, afterBytes: number | undefined): void {
	const socket = res.socket;
	res.on('error', () => undefined); // writes racing the destroy must not become uncaught errors
	const w = res as unknown as {
		write: (chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;
		end: (chunk?: unknown, encoding?: unknown, cb?: unknown) => ServerResponse;
	};
	const origWrite = w.write.bind(res) as (chunk: Buffer, cb?: () => void) => boolean;
	let budget = afterBytes;
	let cut = false;
	/** Sends `piece` (may be empty) as the last bytes, then destroys the socket once they are flushed. */
	const lastPiece = (piece: Buffer): void => {
		cut = true;
		if (!res.headersSent) res.flushHeaders();
		const destroy = (): void => void setImmediate(() => socket?.destroy());
		if (piece.length > 0) origWrite(piece, destroy);
		else destroy();
	};
	/** Writes what the budget allows of `buf`; the result is `res.write`'s (false once cut). */
	const take = (buf: Buffer): boolean => {
		if (cut) return false;
		if (budget === undefined) budget = Math.floor(buf.length / 2);
		if (buf.length < budget) {
			budget -= buf.length;
			return origWrite(buf);
		}
		lastPiece(buf.subarray(0, budget));
		budget = 0;
		return false; // a writer then waits for 'drain' or 'close': the close comes
	};
	const toBuf = (chunk: unknown, encoding: unknown): Buffer => {
		if (Buffer.isBuffer(chunk)) return chunk;
		if (chunk instanceof Uint8Array) return Buffer.from(chunk);
		return Buffer.from(String(chunk ?? ''), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
	};
	const callLater = (...args: unknown[]): void => {
		const cb = args.find((x) => typeof x === 'function');
		if (cb) setImmediate(cb as () => void);
	};
	w.write = (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
		const ok = take(toBuf(chunk, encoding));
		callLater(encoding, cb);
		return ok;
	};
	w.end = (chunk?: unknown, encoding?: unknown, cb?: unknown): ServerResponse => {
		if (typeof chunk !== 'function' && chunk !== undefined && chunk !== null) take(toBuf(chunk, encoding));
		if (!cut) lastPiece(Buffer.alloc(0)); // the answer ended within the budget: cut right there, never a complete message
		callLater(chunk, encoding, cb);
		return res;
	};
}

// ---------------------------------------------------------------- refused connections

/**
 * A loopback URL (`http://127.0.0.1:<port>`) with nothing listening: a port the OS just handed out
 * and that was closed again, so a connection to it is refused (ECONNREFUSED) — the "connection
 * refused" fault, which a live server cannot play. (Another process could in theory bind the port
 * in between; the OS does not hand the same ephemeral port out again at once.)
 */
export function closedPortUrl(): Promise<string> {
	return new Promise<string>((resolve, reject) => {
		const srv = createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			if (addr === null || typeof addr === 'string') {
				srv.close();
				reject(new Error('closedPortUrl: no TCP address'));
				return;
			}
			srv.close(() => resolve(`http://127.0.0.1:${addr.port}`));
		});
	});
}

/** The `echoToken` fault's answer: the request's own token wherever the node reads the answer. */
function echoTokenReply(recorded: RecordedRequest, inError: boolean): Reply {
	const token = String(recorded.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
	const debugUrl = `https://www.coze.cn/work_flow?execute_id=7560000000000000999&leak=${token}`;
	const stream = recorded.path.includes('stream') || recorded.path.endsWith('/chat');
	return {
		kind: 'custom',
		write: (res) => {
			res.setHeader('x-tt-logid', `2026${token}`);
			if (!stream) {
				res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
				const body = inError
					? { code: 4000, msg: `invalid parameter near ${token}`, debug_url: debugUrl }
					: { code: 0, msg: '', data: JSON.stringify({ echo: token }), debug_url: debugUrl };
				res.end(JSON.stringify(body));
				return;
			}
			res.writeHead(200, { 'content-type': 'text/event-stream' });
			const event = (id: number, name: string, data: unknown) => `id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
			if (inError) {
				res.end(event(0, 'Error', { error_code: 4000, error_message: `invalid parameter near ${token}`, debug_url: debugUrl }));
				return;
			}
			res.write(event(0, 'Message', { content: JSON.stringify({ echo: token }), node_title: 'End', node_id: '900001', node_is_finish: true, node_seq_id: '0' }));
			res.end(event(1, 'Done', { debug_url: debugUrl }));
		},
	};
}
