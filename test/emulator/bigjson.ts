/**
 * RunScenario `bigJson`: a sync run whose `data` is a large JSON text, `{"items":["…",…]}` of
 * exactly `bytes` UTF-8 bytes, for tests of big results (memory, parsing, n8n item size).
 *
 * Nothing big is ever held: the text is produced by a deterministic generator in ~64 KiB pieces
 * and each piece is escaped and written as it comes (chunked transfer encoding, no Content-Length;
 * the writer waits for `drain`). The only escaping the text needs inside the envelope's `data`
 * string is `"` → `\"`: the items contain no backslash and no control character.
 */
import type { ServerResponse } from 'node:http';

import type { Reply } from './core';
import { toJson } from './json';
import { waitDrainOrClose } from './sse';

const PREFIX = '{"items":[';
const SUFFIX = ']}';
/** `{"items":[""]}` */
export const BIG_JSON_MIN_BYTES = PREFIX.length + 2 + SUFFIX.length;
const PIECE_BYTES = 64 * 1024;

/** Item `i`: ASCII and Chinese mixed (all BMP characters, nothing to escape). */
function itemText(i: number): string {
	return `item ${i}: 扣子工作流的大结果，第 ${i} 条 — Coze big result line ${i}`;
}

/**
 * The data text in pieces (UTF-8 total exactly `max(bytes, BIG_JSON_MIN_BYTES)`): items while a
 * whole one still leaves room for a following `,""`; the last item is ASCII `x` padding that fills
 * the rest exactly.
 */
export function* bigJsonPieces(bytes: number): Generator<string> {
	const total = Math.max(BIG_JSON_MIN_BYTES, Math.floor(bytes));
	let remaining = total - PREFIX.length - SUFFIX.length; // bytes for the items and their commas
	let piece = PREFIX;
	let pieceBytes = PREFIX.length;
	for (let i = 0; ; i++) {
		const sep = i === 0 ? '' : ',';
		const text = itemText(i);
		const cost = sep.length + 2 + Buffer.byteLength(text, 'utf8');
		// Invariant: remaining >= sep.length + 2 (room for at least an empty item).
		const last = cost + 3 > remaining;
		const item = last ? `${sep}"${'x'.repeat(remaining - sep.length - 2)}"` : `${sep}"${text}"`;
		const itemBytes = last ? remaining : cost;
		piece += item;
		pieceBytes += itemBytes;
		remaining -= itemBytes;
		if (last) break;
		if (pieceBytes >= PIECE_BYTES) {
			yield piece;
			piece = '';
			pieceBytes = 0;
		}
	}
	yield piece + SUFFIX;
}

/** The whole data text (for the run history, which shows the output; built only when polled). */
export function bigJsonText(bytes: number): string {
	let s = '';
	for (const p of bigJsonPieces(bytes)) s += p;
	return s;
}

/** Marker put in the envelope's `data` field and replaced by the streamed text. */
const MARK = '\u0001BIG_JSON_DATA\u0001';

/**
 * HTTP 200 JSON answer: `envelope` (a run answer object whose `data` is `BIG_JSON_DATA`) with that
 * field replaced by the big text (JSON-escaped), written piece by piece.
 */
export function bigJsonReply(envelope: Record<string, unknown>, bytes: number): Reply {
	const text = toJson(envelope);
	const at = text.indexOf(toJson(MARK));
	if (at === -1) throw new Error('bigJsonReply: the envelope has no data marker');
	const head = `${text.slice(0, at)}"`;
	const tail = `"${text.slice(at + toJson(MARK).length)}`;
	return {
		kind: 'custom',
		write: async (res: ServerResponse, ctx) => {
			res.on('error', () => undefined); // a client reset while writing must not become an uncaught error
			res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
			const alive = (): boolean => !res.destroyed && !ctx.state.closed;
			const put = async (s: string): Promise<boolean> => {
				if (!alive()) return false;
				if (!res.write(Buffer.from(s, 'utf8'))) await waitDrainOrClose(res);
				return alive();
			};
			if (!(await put(head))) return;
			for (const piece of bigJsonPieces(bytes)) {
				if (!(await put(piece.replace(/"/g, '\\"')))) return;
			}
			if (!(await put(tail))) return;
			res.end();
		},
	};
}

/** Use as the `data` value of the envelope passed to `bigJsonReply`. */
export const BIG_JSON_DATA = MARK;
