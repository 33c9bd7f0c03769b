import type { SpeechFormat } from './speech';

/**
 * Speech audio, pure: the audio of a long text's pieces joined into one file (docs/coze-api.md §12.1).
 */

/** More header than this without a data chunk is not a WAV file Coze wrote. */
const MAX_WAV_HEADER_BYTES = 64 * 1024;

/**
 * The audio of several speech pieces joined as their bytes arrive, into one buffer, so that no
 * piece is ever held on its own beside the file (docs/coze-api.md §12.1). The buffer is sized
 * from an estimate of the whole file (raised by 5 %) and grows past it only if the estimate was
 * short. A piece that fails part-way is taken back (startPiece again), so a retried piece is not
 * joined twice. WAV pieces: the first piece's header, then every piece's samples, the header's
 * sizes set to the whole at the end.
 */
export class SpeechAudioJoiner {
	private out: Buffer | undefined;
	private length = 0;
	private pieces = 0;
	private pieceStart = 0;
	private samplesAtPieceStart = 0;
	private wavHeaderAtPieceStart: number | undefined;
	/** The first piece's WAV header length, while every piece so far was WAV. */
	private wavHeaderLength: number | undefined;
	private samplesLength = 0;
	/** The first bytes of a WAV piece, until its samples start. */
	private head: Buffer | undefined;

	constructor(
		private readonly format: SpeechFormat,
		private expectedTotal: number,
		private readonly maxBytes = Number.POSITIVE_INFINITY,
	) {}

	/** A new estimate of the whole file, e.g. from the bytes per byte of text so far. */
	expect(total: number): void {
		this.expectedTotal = total;
	}

	/** A new piece begins. */
	startPiece(): void {
		this.pieces++;
		this.pieceStart = this.length;
		this.samplesAtPieceStart = this.samplesLength;
		this.wavHeaderAtPieceStart = this.wavHeaderLength;
		this.head = this.format === 'wav' && (this.pieces === 1 || this.wavHeaderLength !== undefined) ? Buffer.alloc(0) : undefined;
	}

	/** The current piece begins again (a retry): what an earlier attempt at it wrote is taken back. */
	restartPiece(): void {
		this.length = this.pieceStart;
		this.samplesLength = this.samplesAtPieceStart;
		this.wavHeaderLength = this.wavHeaderAtPieceStart;
		this.head = this.format === 'wav' && (this.pieces === 1 || this.wavHeaderLength !== undefined) ? Buffer.alloc(0) : undefined;
	}

	write(chunk: Buffer): void {
		if (this.head === undefined) {
			this.append(chunk);
			if (this.wavHeaderLength !== undefined) this.samplesLength += chunk.length;
			return;
		}
		this.head = Buffer.concat([this.head, chunk]);
		const start = wavSamplesStart(this.head);
		if (start === 'more' && this.head.length <= MAX_WAV_HEADER_BYTES) return;
		const head = this.head;
		this.head = undefined;
		if (typeof start !== 'number') {
			// Not WAV after all: the pieces as they come from here on.
			this.wavHeaderLength = undefined;
			this.append(head);
			return;
		}
		if (this.pieces === 1) {
			this.wavHeaderLength = start;
			this.append(head.subarray(0, start));
		}
		this.append(head.subarray(start));
		this.samplesLength += head.length - start;
	}

	/** The piece arrived whole. */
	endPiece(): void {
		if (this.head !== undefined) {
			// Shorter than a WAV header: kept as it came.
			const head = this.head;
			this.head = undefined;
			this.wavHeaderLength = undefined;
			this.append(head);
		}
	}

	get bytes(): number {
		return this.length;
	}

	finish(): Buffer {
		const file = (this.out ?? Buffer.alloc(0)).subarray(0, this.length);
		if (this.wavHeaderLength !== undefined && this.length >= this.wavHeaderLength) {
			file.writeUInt32LE(this.wavHeaderLength - 8 + this.samplesLength, 4);
			file.writeUInt32LE(this.samplesLength, this.wavHeaderLength - 4);
		}
		this.out = undefined;
		return file;
	}

	private append(bytes: Buffer): void {
		const needed = this.length + bytes.length;
		if (!this.out || needed > this.out.length) {
			// Short of the estimate, grow by half again at least, so that growing stays rare.
			const capacity = Math.min(Math.max(needed, Math.ceil(this.expectedTotal * 1.05), Math.ceil((this.out?.length ?? 0) * 1.5)), Math.max(needed, this.maxBytes));
			const grown = Buffer.allocUnsafe(capacity);
			if (this.out) this.out.copy(grown, 0, 0, this.length);
			this.out = grown;
		}
		this.length += bytes.copy(this.out, this.length);
	}
}

/**
 * The audio of several pieces as one file. MP3 frames, raw PCM and chained Ogg pages play
 * one after the other when simply joined; WAV files each start with a header, so the samples of
 * every piece go under the first piece's header, with its sizes set to the sum.
 */
export function joinSpeechAudio(format: SpeechFormat, pieces: Buffer[]): Buffer {
	if (pieces.length === 1) return pieces[0];
	const joiner = new SpeechAudioJoiner(format, pieces.reduce((sum, piece) => sum + piece.length, 0));
	for (const piece of pieces) {
		joiner.startPiece();
		joiner.write(piece);
		joiner.endPiece();
	}
	return joiner.finish();
}

interface WavParts {
	/** Everything up to and including the data chunk's size field. */
	header: Buffer;
	samples: Buffer;
}

/** A WAV file's header and samples, or undefined when it is not a RIFF/WAVE file with a data chunk. */
export function wavParts(file: Buffer): WavParts | undefined {
	const start = wavSamplesStart(file);
	if (typeof start !== 'number') return undefined;
	const size = file.readUInt32LE(start - 4);
	// A streamed WAV may give 0 or 0xFFFFFFFF as the size: the samples then run to the end.
	const end = size === 0 || start + size > file.length ? file.length : start + size;
	return { header: file.subarray(0, start), samples: file.subarray(start, end) };
}

/**
 * Where a WAV file's samples start (just after the data chunk's size), from its first bytes:
 * 'more' while the bytes seen do not reach that far yet, 'not wav' for anything else.
 */
export function wavSamplesStart(head: Buffer): number | 'more' | 'not wav' {
	if (head.length < 12) return Buffer.from('RIFF').subarray(0, head.length).equals(head.subarray(0, 4)) ? 'more' : 'not wav';
	if (head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') return 'not wav';
	let offset = 12;
	while (offset + 8 <= head.length) {
		const size = head.readUInt32LE(offset + 4);
		if (head.toString('latin1', offset, offset + 4) === 'data') return offset + 8;
		offset += 8 + size + (size % 2);
	}
	return 'more';
}
