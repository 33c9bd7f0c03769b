/**
 * The HTTP server: reads and records every request, builds its context, asks the dialect's
 * pipeline for a Reply and writes it. Tracks sockets and timers so `close()` can end everything
 * (hanging requests included) and a jest run can exit.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import type { EmulatorState, Reply, RequestContext } from './core';
import { json } from './core';
import { logIdHeader } from './dialect';
import { cloudLogId, studioLogId } from './ids';
import { toJson } from './json';
import type { RecordedRequest } from './types';

export type Dispatch = (ctx: RequestContext) => Promise<Reply>;

export interface EmulatorServer {
	listen(port: number): Promise<number>;
	close(): Promise<void>;
}

export function createEmulatorServer(state: EmulatorState, dispatch: Dispatch): EmulatorServer {
	const sockets = new Set<Socket>();
	/** Cancels pending sleeps (delay scenarios) so no timer outlives close(). */
	const pendingSleeps = new Set<() => void>();
	let closing: Promise<void> | undefined;

	const server = createServer((req, res) => {
		void handle(req, res).catch(() => {
			if (!res.headersSent && !res.destroyed) res.destroy();
		});
	});
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	});
	// Never let a socket error (e.g. a client reset) become an uncaught exception.
	server.on('clientError', (_err, socket) => socket.destroy());

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer));
		const bodyBytes = Buffer.concat(chunks);
		const recorded = record(req, bodyBytes.toString('utf8'));
		state.requests.push(recorded);

		const logId = state.dialect === 'cloud' ? cloudLogId() : studioLogId();
		const ctx: RequestContext = {
			state,
			req,
			res,
			recorded,
			bodyBytes,
			params: {},
			logId,
			sleep: (ms) => sleep(ms, res),
		};

		let reply: Reply | undefined;
		try {
			for (const intercept of state.interceptors) {
				reply = await intercept(ctx);
				if (reply) break;
			}
			reply ??= await dispatch(ctx);
		} catch (e) {
			reply = json(500, { code: 500, msg: `emulator error: ${e instanceof Error ? e.message : String(e)}` });
		}
		if (state.closed || res.destroyed) return;
		await writeReply(state, reply, ctx, res);
	}

	function sleep(ms: number, res: ServerResponse): Promise<boolean> {
		return new Promise<boolean>((resolve) => {
			if (state.closed || res.destroyed) {
				resolve(false);
				return;
			}
			const finish = (ok: boolean): void => {
				clearTimeout(timer);
				pendingSleeps.delete(cancel);
				res.off('close', cancel);
				resolve(ok);
			};
			const cancel = (): void => finish(false);
			const timer = setTimeout(() => finish(true), ms);
			pendingSleeps.add(cancel);
			res.once('close', cancel); // client went away
		});
	}

	return {
		listen(port: number): Promise<number> {
			return new Promise<number>((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, '127.0.0.1', () => {
					server.off('error', reject);
					const addr = server.address();
					if (addr === null || typeof addr === 'string') reject(new Error('emulator: no TCP address'));
					else resolve(addr.port);
				});
			});
		},
		close(): Promise<void> {
			if (closing) return closing;
			state.closed = true;
			for (const cancel of [...pendingSleeps]) cancel();
			closing = new Promise<void>((resolve) => {
				if (!server.listening) {
					resolve();
					return;
				}
				server.close(() => resolve());
				for (const s of sockets) s.destroy();
			});
			return closing;
		},
	};
}

/** Writes a Reply to the response (also used by faults.ts to write an answer it then cuts). */
export async function writeReply(state: EmulatorState, reply: Reply, ctx: RequestContext, res: ServerResponse): Promise<void> {
	const logHeaders: Record<string, string> =
		reply.kind === 'raw' && reply.noLogId ? {} : { [logIdHeader(state.dialect)]: ctx.logId };
	switch (reply.kind) {
		case 'json': {
			const buf = Buffer.from(toJson(reply.body), 'utf8');
			res.writeHead(reply.status, {
				...logHeaders,
				'Content-Type': 'application/json; charset=utf-8',
				'Content-Length': String(buf.length),
				...reply.headers,
			});
			res.end(buf);
			return;
		}
		case 'raw': {
			const buf = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
			const headers: Record<string, string> = { ...logHeaders, 'Content-Length': String(buf.length) };
			if (reply.contentType !== undefined) headers['Content-Type'] = reply.contentType;
			res.writeHead(reply.status, { ...headers, ...reply.headers });
			res.end(buf);
			return;
		}
		case 'hang':
			return; // the socket is destroyed by close() or by the client
		case 'drop':
			res.socket?.destroy();
			return;
		case 'custom':
			for (const [k, v] of Object.entries(logHeaders)) res.setHeader(k, v);
			await reply.write(res, ctx);
			return;
	}
}

function record(req: IncomingMessage, rawBody: string): RecordedRequest {
	// Not `new URL(req.url, base)`: a path such as `//v1/workflow/run` would be read as a host.
	let target = req.url ?? '/';
	if (/^https?:\/\//i.test(target)) {
		const abs = new URL(target); // absolute-form request target (proxy style)
		target = abs.pathname + abs.search;
	}
	const qAt = target.indexOf('?');
	const path = qAt === -1 ? target : target.slice(0, qAt);
	const query: Record<string, string> = {};
	for (const [k, v] of new URLSearchParams(qAt === -1 ? '' : target.slice(qAt + 1))) query[k] = v;
	let body: unknown;
	if (rawBody !== '') {
		try {
			body = JSON.parse(rawBody);
		} catch {
			body = undefined;
		}
	}
	return {
		method: req.method ?? 'GET',
		path,
		query,
		headers: { ...req.headers },
		rawBody,
		body,
	};
}
