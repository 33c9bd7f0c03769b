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
	const joiner = new SpeechAudioJoiner(format);
	const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
	for (const piece of pieces) joiner.add(piece, total);
	return joiner.finish();
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

/**
 * The audio of several pieces joined as they arrive, into one buffer sized from an estimate of
 * the whole file, so that the pieces are never all held beside their join: each piece is
 * copied in and let go. The estimate (`expectedTotal`, from the bytes per byte of text so far)
 * is raised by 5 %; a piece past it grows the buffer to a new estimate. A single piece is kept
 * as it is. WAV pieces: the first header, then every piece's samples (see joinSpeechAudio).
 */
export class SpeechAudioJoiner {
	private first: Buffer | undefined;
	private out: Buffer | undefined;
	private length = 0;
	private pieces = 0;
	/** The first piece's WAV header while every piece so far was WAV. */
	private wavHeaderLength: number | undefined;
	private samplesLength = 0;

	constructor(private readonly format: SpeechFormat) {}

	add(piece: Buffer, expectedTotal: number, maxBytes = Infinity): void {
		this.pieces++;
		if (this.pieces === 1) {
			this.first = piece;
			return;
		}
		if (this.pieces === 2) {
			const first = this.first as Buffer;
			this.first = undefined;
			const parts = this.format === 'wav' ? wavParts(first) : undefined;
			if (parts) {
				this.wavHeaderLength = parts.header.length;
				this.samplesLength = parts.samples.length;
			}
			this.append(parts ? Buffer.concat([parts.header, parts.samples]) : first, expectedTotal, maxBytes);
		}
		let bytes = piece;
		if (this.wavHeaderLength !== undefined) {
			const parts = wavParts(piece);
			if (parts) {
				bytes = parts.samples;
				this.samplesLength += parts.samples.length;
			} else {
				this.wavHeaderLength = undefined; // not WAV after all: the pieces as they came from here on
			}
		}
		this.append(bytes, expectedTotal, maxBytes);
	}

	finish(): Buffer {
		if (this.pieces <= 1) return this.first ?? Buffer.alloc(0);
		const file = (this.out as Buffer).subarray(0, this.length);
		if (this.wavHeaderLength !== undefined) {
			file.writeUInt32LE(this.wavHeaderLength - 8 + this.samplesLength, 4);
			file.writeUInt32LE(this.samplesLength, this.wavHeaderLength - 4);
		}
		this.out = undefined;
		return file;
	}

	private append(bytes: Buffer, expectedTotal: number, maxBytes: number): void {
		const needed = this.length + bytes.length;
		if (!this.out || needed > this.out.length) {
			const capacity = Math.max(needed, Math.min(Math.ceil(expectedTotal * 1.05), maxBytes));
			const grown = Buffer.allocUnsafe(capacity);
			if (this.out) this.out.copy(grown, 0, 0, this.length);
			this.out = grown;
		}
		this.length += bytes.copy(this.out, this.length);
	}
}
