/** One server-sent event as Coze writes it: `id:`, `event:` and `data:` lines, then a blank line. */
export interface SseEvent {
	id?: string;
	event: string;
	data: string;
}

/** Thrown when the body was not an event stream but a JSON document (Coze's error envelope). */
export class NotAnEventStream extends Error {
	constructor(readonly text: string) {
		super('The answer is not an event stream');
	}
}

// A JSON error envelope is small; anything longer that never becomes a stream is not Coze.
const MAX_JSON_BODY_BYTES = 1024 * 1024;
/**
 * The most one event (its lines together) may hold. Coze caps a workflow's result at 20 MB, so
 * its largest event, the End node's output, fits; more means the peer is not Coze speaking SSE,
 * and reading on would only fill memory.
 */
export const MAX_EVENT_CHARS = 32 * 1024 * 1024;

export class SseTooLarge extends Error {
	constructor(readonly limitChars: number) {
		super(`Coze sent a stream event larger than the Max Answer Size of ${Math.round(limitChars / 1024 / 1024)} MB`);
	}
}

/**
 * Splits a byte stream into events, whatever the chunk boundaries: a chunk may end inside a
 * line, inside a CRLF, or inside a multi-byte UTF-8 character. Lines starting with ':' are
 * comments; an event without an `event:` field is a "message". Memory holds one line at a time.
 */
export async function* readSseEvents(
	body: AsyncIterable<Uint8Array | string>,
	maxEventChars = MAX_EVENT_CHARS,
): AsyncGenerator<SseEvent> {
	const decoder = new TextDecoder('utf-8');
	let buffer = '';
	let eventChars = 0;
	let sawAnyLine = false;
	let jsonPrologue: string | undefined;
	let current: { id?: string; event?: string; data: string[] } = { data: [] };

	const takeLine = (line: string): SseEvent | undefined => {
		if (line === '') {
			if (current.data.length === 0 && current.event === undefined) return undefined;
			const event: SseEvent = { id: current.id, event: current.event ?? 'message', data: current.data.join('\n') };
			current = { data: [] };
			eventChars = 0;
			return event;
		}
		if (line.startsWith(':')) return undefined;
		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) value = value.slice(1);
		if (field === 'data') {
			eventChars += value.length;
			if (eventChars > maxEventChars) throw new SseTooLarge(maxEventChars);
			current.data.push(value);
		}
		else if (field === 'event') current.event = value.trim();
		else if (field === 'id') current.id = value.trim();
		return undefined;
	};

	// The line being read, in pieces: joined once it is complete, so a long line costs its length
	// once, not once per chunk.
	const parts: string[] = [];
	let partChars = 0;
	let firstChar = '';
	for await (const chunk of body) {
		const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
		if (jsonPrologue !== undefined) {
			jsonPrologue += text;
			if (jsonPrologue.length > MAX_JSON_BODY_BYTES) throw new NotAnEventStream(jsonPrologue.slice(0, 2000));
			continue;
		}
		if (!sawAnyLine && firstChar === '') firstChar = text.trimStart().charAt(0);
		if (!sawAnyLine && firstChar === '{') {
			// Coze answers a request it rejects before streaming with a JSON envelope, sometimes
			// under an event-stream content type; keep reading it whole.
			jsonPrologue = parts.join('') + text;
			parts.length = 0;
			continue;
		}
		let start = 0;
		let newline: number;
		while ((newline = text.indexOf('\n', start)) !== -1) {
			parts.push(text.slice(start, newline));
			let line = parts.join('');
			parts.length = 0;
			partChars = 0;
			start = newline + 1;
			if (line.endsWith('\r')) line = line.slice(0, -1);
			sawAnyLine = true;
			const event = takeLine(line);
			if (event) yield event;
		}
		if (start < text.length) {
			parts.push(text.slice(start));
			partChars += text.length - start;
		}
		if (partChars + eventChars > maxEventChars) throw new SseTooLarge(maxEventChars);
	}
	buffer = parts.join('');
	const rest = decoder.decode();
	if (jsonPrologue !== undefined) throw new NotAnEventStream(jsonPrologue + rest);
	buffer += rest;
	if (buffer.trim() !== '') {
		if (!sawAnyLine && buffer.trimStart().startsWith('{')) throw new NotAnEventStream(buffer);
		for (const line of buffer.split(/\r?\n/)) {
			const event = takeLine(line);
			if (event) yield event;
		}
	}
	const last = takeLine('');
	if (last) yield last;
}
