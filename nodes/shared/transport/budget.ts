import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { oncePerRun } from '../utils/perRun';
import type { StreamBody } from './types';
import type { Watchdog } from './watchdog';

/**
 * The byte budget. Coze caps a workflow's result at 20 MB, so 32 MB holds any answer of Coze
 * with room to spare; a server that sends more is not behaving like Coze, and reading on would
 * only fill n8n's memory. Max Answer Size (an option of every operation) raises it.
 */
export const DEFAULT_MAX_ANSWER_MB = 32;

export const mbToBytes = (mb: number): number => Math.round(mb * 1024 * 1024);

/** Max Answer Size, node-wide (read from the first item), once per run. */
export function maxAnswerBytesOf(context: IExecuteFunctions | ILoadOptionsFunctions): number {
	if (!('getInputData' in context)) return mbToBytes(DEFAULT_MAX_ANSWER_MB);
	return oncePerRun(context, 'maxAnswerBytes', () => {
		let mb: unknown;
		try {
			mb = context.getNodeParameter('options.maxAnswerSize', 0, DEFAULT_MAX_ANSWER_MB);
		} catch {
			mb = DEFAULT_MAX_ANSWER_MB;
		}
		const value = Number(mb);
		return mbToBytes(Number.isFinite(value) && value > 0 ? value : DEFAULT_MAX_ANSWER_MB);
	});
}

/** The most of a non-stream answer read when the answer should have been a stream: an error envelope is small. */
export const MAX_ERROR_BODY_BYTES = 1024 * 1024;

export class AnswerTooLarge extends Error {
	constructor(readonly limitBytes: number) {
		super(`Coze's answer passed the Max Answer Size of ${formatMb(limitBytes)}`);
		this.name = 'AnswerTooLarge';
	}
}

export function formatMb(bytes: number): string {
	const mb = bytes / 1024 / 1024;
	return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/** The body's chunks, each read raced against the request's watchdog, which hears of every one (Idle Timeout). */
export async function* watchedChunks(body: StreamBody, watchdog: Watchdog): AsyncGenerator<Uint8Array | string> {
	const iterator = body[Symbol.asyncIterator]();
	for (;;) {
		const next = await watchdog.race(iterator.next());
		if (next.done) return;
		watchdog.touch();
		yield next.value;
	}
}

/**
 * Reads a whole answer body, each read raced against the request's watchdog. Past `maxBytes`
 * the body is closed: with `overflow: 'fail'` that is an AnswerTooLarge error, with
 * `overflow: 'cut'` the text read so far is returned (enough to explain an error answer).
 */
export async function readBody(
	body: StreamBody,
	watchdog: Watchdog,
	maxBytes: number,
	overflow: 'fail' | 'cut',
): Promise<string> {
	const chunks: Buffer[] = [];
	const bytes = await pourBody(body, watchdog, maxBytes, overflow, (chunk) => chunks.push(chunk));
	// The pieces are let go as soon as they are joined: only one copy of the bytes beside the text.
	const joined = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, bytes);
	chunks.length = 0;
	return joined.toString('utf8');
}

/**
 * Hands each chunk of the body to `take` as it arrives, each read raced against the request's
 * watchdog; returns how many bytes were taken. Past `maxBytes`, `overflow: 'fail'` is an
 * AnswerTooLarge error and `'cut'` takes what fits and stops. The body is closed either way.
 */
export async function pourBody(
	body: StreamBody,
	watchdog: Watchdog,
	maxBytes: number,
	overflow: 'fail' | 'cut',
	take: (chunk: Buffer) => void,
): Promise<number> {
	let bytes = 0;
	try {
		for await (const piece of watchedChunks(body, watchdog)) {
			const chunk = typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
			bytes += chunk.length;
			if (bytes > maxBytes) {
				if (overflow === 'fail') throw new AnswerTooLarge(maxBytes);
				take(chunk.subarray(0, chunk.length - (bytes - maxBytes)));
				return maxBytes;
			}
			take(chunk);
		}
	} finally {
		body.destroy?.();
	}
	return bytes;
}
