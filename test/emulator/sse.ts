/**
 * Server-Sent Events on the wire: the event format of both dialects (coze-api.md §2.3) and a writer
 * that cuts the bytes into real socket writes as a scenario's `chunking` says.
 *
 * Format (cloud captures [PY:tests/testdata/workflow_run_stream_resp.txt], Studio = Hertz's
 * sse.Writer [hertz pkg/protocol/sse/writer.go]): `id: <id>` (only when set), `event: <name>`,
 * one `data: <line>` per line of the data (only when non-empty), then an empty line. Both write a
 * space after the colon. Every write is its own HTTP chunk (Transfer-Encoding: chunked), as Hertz's
 * chunked body writer does per event; the client really receives the pieces one by one because the
 * writer waits for the next event-loop turn (or `delayMs`, or `drain`) between two writes.
 */
import type { ServerResponse } from 'node:http';

import type { RequestContext } from './core';
import type { StreamOptions } from './types';

export interface SseEvent {
	id?: string;
	event?: string;
	data?: string;
}

export function formatSse(e: SseEvent, eol: string): string {
	let s = '';
	if (e.id !== undefined) s += `id: ${e.id}${eol}`;
	if (e.event !== undefined) s += `event: ${e.event}${eol}`;
	if (e.data !== undefined && e.data !== '') {
		for (const line of e.data.split(/\r\n|\r|\n/)) s += `data: ${line}${eol}`;
	}
	return s + eol;
}

/** mulberry32: a tiny seeded PRNG, so `random` chunking is reproducible. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Cut positions for `random` chunking: random gaps of 1…24 bytes plus a cut inside the first multi-byte character and inside the first CRLF. */
export function randomCuts(buf: Buffer, rnd: () => number): number[] {
	const cuts = new Set<number>();
	const lead = buf.findIndex((b) => b >= 0xc0); // lead byte of a multi-byte UTF-8 sequence
	if (lead !== -1 && lead + 1 < buf.length) cuts.add(lead + 1);
	const cr = buf.indexOf('\r\n');
	if (cr !== -1) cuts.add(cr + 1);
	for (let pos = 1 + Math.floor(rnd() * 24); pos < buf.length; pos += 1 + Math.floor(rnd() * 24)) cuts.add(pos);
	return [...cuts].filter((c) => c > 0 && c < buf.length).sort((x, y) => x - y);
}

/** Resolves when the socket can take more, or has closed (so a writer never waits forever). */
export function waitDrainOrClose(res: ServerResponse): Promise<void> {
	return new Promise<void>((resolve) => {
		const done = (): void => {
			res.off('drain', done);
			res.off('close', done);
			resolve();
		};
		res.once('drain', done);
		res.once('close', done);
	});
}

const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/** Writes SSE events (or raw bytes) with the scenario's chunking, line ending and pacing. */
export class SseWriter {
	readonly eol: string;
	private carry: Buffer = Buffer.alloc(0);
	private readonly rnd: () => number;

	constructor(
		private readonly res: ServerResponse,
		private readonly ctx: RequestContext,
		private readonly opts: StreamOptions,
	) {
		this.eol = opts.lineEnding ?? '\n';
		this.rnd = prng(opts.seed ?? 1);
		res.on('error', () => undefined); // a write racing a client reset must not become an uncaught error
	}

	/** The client is still there and the emulator is not closing. */
	get alive(): boolean {
		return !this.res.destroyed && !this.res.writableEnded && !this.ctx.state.closed;
	}

	/** Status line + headers, sent at once (no Content-Length: chunked). */
	begin(status: number, headers: Record<string, string>): void {
		this.res.writeHead(status, headers);
		this.res.flushHeaders();
	}

	/** One event; resolves `false` when the client is gone / the emulator closed. */
	event(e: SseEvent): Promise<boolean> {
		return this.bytes(Buffer.from(formatSse(e, this.eol), 'utf8'));
	}

	/** Arbitrary bytes, cut by the chunking. */
	async bytes(buf: Buffer): Promise<boolean> {
		const c = this.opts.chunking ?? 'whole';
		if (c === 'whole') return this.write(buf);
		if (c === 'byte') {
			for (let i = 0; i < buf.length; i++) if (!(await this.write(buf.subarray(i, i + 1)))) return false;
			return this.alive;
		}
		if (c === 'random') {
			let from = 0;
			for (const cut of [...randomCuts(buf, this.rnd), buf.length]) {
				if (!(await this.write(buf.subarray(from, cut)))) return false;
				from = cut;
			}
			return this.alive;
		}
		const n = Math.max(1, Math.floor(c.every));
		this.carry = this.carry.length === 0 ? buf : Buffer.concat([this.carry, buf]);
		while (this.carry.length >= n) {
			const piece = this.carry.subarray(0, n);
			this.carry = this.carry.subarray(n);
			if (!(await this.write(piece))) return false;
		}
		return this.alive;
	}

	/** Flushes what `{every}` chunking still holds and ends the response (terminating chunk). */
	async finish(): Promise<void> {
		await this.flush();
		if (this.alive) this.res.end();
	}

	/** Flushes, then writes nothing more and keeps the socket open until the client aborts or close(). */
	async stall(): Promise<void> {
		await this.flush();
		while (this.alive && (await this.ctx.sleep(60_000))) {
			/* keep waiting */
		}
	}

	private async flush(): Promise<void> {
		if (this.carry.length === 0) return;
		const rest = this.carry;
		this.carry = Buffer.alloc(0);
		await this.write(rest);
	}

	private async write(piece: Buffer): Promise<boolean> {
		if (!this.alive) return false;
		if (piece.length === 0) return true;
		if (!this.res.write(piece)) await waitDrainOrClose(this.res);
		const delay = this.opts.delayMs ?? 0;
		if (delay > 0) {
			if (!(await this.ctx.sleep(delay))) return false;
		} else {
			await nextTurn();
		}
		return this.alive;
	}
}

/**
 * Numbers events and interleaves PINGs. `firstId` null = no `id:` lines (cloud chat flow).
 * ASSUMPTION (coze-api.md §2.3 only says PING exists): a PING is numbered like any other event, so
 * ids stay contiguous; its data is the one seen on the wire, `{"content":"{}"}` [ISS:coze-dev/coze-py#249].
 * Real Coze Studio sends no PING at all (its handler has no heartbeat); `pingBetween` is test-driven.
 */
export class SseEmitter {
	/** Events sent (PINGs not counted). */
	count = 0;
	private id: number;

	constructor(
		readonly w: SseWriter,
		private readonly firstId: number | null,
		private readonly ping: boolean,
	) {
		this.id = firstId ?? 0;
	}

	async emit(event: string, data: string, noId = false): Promise<boolean> {
		if (this.ping && this.count > 0) {
			if (!(await this.w.event({ id: this.nextId(), event: 'PING', data: '{"content":"{}"}' }))) return false;
		}
		this.count++;
		return this.w.event({ id: noId ? undefined : this.nextId(), event, data });
	}

	private nextId(): string | undefined {
		if (this.firstId === null) return undefined;
		return String(this.id++);
	}
}
