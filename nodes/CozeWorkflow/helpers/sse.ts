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
// Coze events are small; a line this long means the peer is not speaking SSE.
const MAX_LINE_CHARS = 32 * 1024 * 1024;

/**
 * Splits a byte stream into events, whatever the chunk boundaries: a chunk may end inside a
 * line, inside a CRLF, or inside a multi-byte UTF-8 character. Lines starting with ':' are
 * comments; an event without an `event:` field is a "message". Memory holds one line at a time.
 */
export async function* readSseEvents(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
	const decoder = new TextDecoder('utf-8');
	let buffer = '';
	let sawAnyLine = false;
	let jsonPrologue: string | undefined;
	let current: { id?: string; event?: string; data: string[] } = { data: [] };

	const takeLine = (line: string): SseEvent | undefined => {
		if (line === '') {
			if (current.data.length === 0 && current.event === undefined) return undefined;
			const event: SseEvent = { id: current.id, event: current.event ?? 'message', data: current.data.join('\n') };
			current = { data: [] };
			return event;
		}
		if (line.startsWith(':')) return undefined;
		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) value = value.slice(1);
		if (field === 'data') current.data.push(value);
		else if (field === 'event') current.event = value.trim();
		else if (field === 'id') current.id = value.trim();
		return undefined;
	};

	for await (const chunk of body) {
		const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
		if (jsonPrologue !== undefined) {
			jsonPrologue += text;
			if (jsonPrologue.length > MAX_JSON_BODY_BYTES) throw new NotAnEventStream(jsonPrologue.slice(0, 2000));
			continue;
		}
		buffer += text;
		if (!sawAnyLine && buffer.trimStart().startsWith('{')) {
			// Coze answers a request it rejects before streaming with a JSON envelope, sometimes
			// under an event-stream content type; keep reading it whole.
			jsonPrologue = buffer;
			buffer = '';
			continue;
		}
		let newline: number;
		while ((newline = buffer.indexOf('\n')) !== -1) {
			let line = buffer.slice(0, newline);
			buffer = buffer.slice(newline + 1);
			if (line.endsWith('\r')) line = line.slice(0, -1);
			sawAnyLine = true;
			const event = takeLine(line);
			if (event) yield event;
		}
		if (buffer.length > MAX_LINE_CHARS) throw new Error('The event stream has a line longer than 32 MB');
	}
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
