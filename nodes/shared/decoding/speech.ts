/**
 * Speech, pure: a long text cut into the pieces Coze's speech endpoint takes, and the audio of
 * the pieces joined into one file (docs/coze-api.md §12.1).
 */

/** Coze's speech endpoint takes at most 1024 bytes of UTF-8 text per request (§12.1). */
export const SPEECH_INPUT_MAX_BYTES = 1024;

export const SPEECH_FORMATS = ['mp3', 'wav', 'pcm', 'ogg_opus'] as const;
export type SpeechFormat = string;

const MIME_TYPES: Record<string, string> = {
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
	pcm: 'audio/L16',
	ogg: 'audio/ogg',
	ogg_opus: 'audio/ogg',
	opus: 'audio/ogg',
};

/** The MIME type of a speech format; pcm is raw 16-bit samples. */
export function speechMimeType(format: SpeechFormat): string {
	return MIME_TYPES[format] ?? 'application/octet-stream';
}

/** The file extension of a speech format. */
export function speechFileExtension(format: SpeechFormat): string {
	return format === 'ogg_opus' || format === 'opus' ? 'ogg' : format;
}

const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * The text in pieces of at most `maxBytes` UTF-8 bytes, cut where a listener expects a pause:
 * after a sentence if one fits, else after a comma or a space, and only as a last resort
 * inside a word (never inside a character). Joined, the pieces are the text without the
 * whitespace at the cuts.
 */
export function speechPieces(text: string, maxBytes = SPEECH_INPUT_MAX_BYTES): string[] {
	const pieces: string[] = [];
	let current = '';
	const flush = () => {
		const piece = current.trim();
		if (piece) pieces.push(piece);
		current = '';
	};
	for (const sentence of splitKeeping(text, /[^.!?。！？；;\n]*(?:[.!?。！？；;]+|\n+|$)/gu)) {
		if (utf8Length(current + sentence) <= maxBytes) {
			current += sentence;
			continue;
		}
		flush();
		if (utf8Length(sentence) <= maxBytes) {
			current = sentence;
			continue;
		}
		for (const clause of splitKeeping(sentence, /[^,，、:：\s]*(?:[,，、:：]+\s*|\s+|$)/gu)) {
			if (utf8Length(current + clause) <= maxBytes) {
				current += clause;
				continue;
			}
			flush();
			if (utf8Length(clause) <= maxBytes) {
				current = clause;
				continue;
			}
			for (const character of clause) {
				if (utf8Length(current + character) > maxBytes) flush();
				current += character;
			}
		}
	}
	flush();
	return pieces;
}

function splitKeeping(text: string, pattern: RegExp): string[] {
	return (text.match(pattern) ?? []).filter((part) => part !== '');
}

/**
 * The audio of several pieces as one file. MP3 frames, raw PCM and chained Ogg pages play
 * one after the other when simply joined; WAV files each start with a header, so the samples of
 * every piece go under the first piece's header, with its sizes set to the sum.
 */
export function joinSpeechAudio(format: SpeechFormat, pieces: Buffer[]): Buffer {
	if (pieces.length === 1) return pieces[0];
	if (format !== 'wav') return Buffer.concat(pieces);
	const parts = pieces.map(wavParts);
	if (parts.some((part) => part === undefined)) return Buffer.concat(pieces);
	const [first] = parts as WavParts[];
	const samplesLength = (parts as WavParts[]).reduce((sum, part) => sum + part.samples.length, 0);
	const header = Buffer.from(first.header);
	// RIFF size: everything after its first 8 bytes; the data chunk's size sits just before its samples.
	header.writeUInt32LE(header.length - 8 + samplesLength, 4);
	header.writeUInt32LE(samplesLength, header.length - 4);
	return Buffer.concat([header, ...(parts as WavParts[]).map((part) => part.samples)], header.length + samplesLength);
}

interface WavParts {
	/** Everything up to and including the data chunk's size field. */
	header: Buffer;
	samples: Buffer;
}

/** A WAV file's header and samples, or undefined when it is not a RIFF/WAVE file with a data chunk. */
export function wavParts(file: Buffer): WavParts | undefined {
	if (file.length < 12 || file.toString('latin1', 0, 4) !== 'RIFF' || file.toString('latin1', 8, 12) !== 'WAVE') return undefined;
	let offset = 12;
	while (offset + 8 <= file.length) {
		const id = file.toString('latin1', offset, offset + 4);
		const size = file.readUInt32LE(offset + 4);
		if (id === 'data') {
			const start = offset + 8;
			// A streamed WAV may give 0 or 0xFFFFFFFF as the size: the samples then run to the end.
			const end = size === 0 || start + size > file.length ? file.length : start + size;
			return { header: file.subarray(0, start), samples: file.subarray(start, end) };
		}
		offset += 8 + size + (size % 2);
	}
	return undefined;
}
