/**
 * Speech, pure: a long text cut into the pieces Coze's speech endpoint takes, and the audio of
 * the pieces joined into one file (docs/coze-api.md §12.1).
 */

/** Coze's speech endpoint takes at most 1024 bytes of UTF-8 text per request (§12.1). */
export const SPEECH_INPUT_MAX_BYTES = 1024;

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
