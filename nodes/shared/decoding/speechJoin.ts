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
 * short. A piece that fails part-way is taken back (restartPiece), so a retried piece is not
 * joined twice. WAV pieces: the first piece's header, then every piece's samples, the header's
 * sizes set to the whole at the end.
 */
export class SpeechAudioJoiner {
	private out: Buffer | undefined;
	private length = 0;
	/**
	 * WAV only: 'header' until a piece brings the header kept for the file, then 'samples'
	 * (later pieces give only their samples); 'raw' once a piece is not WAV, or for other formats.
	 */
	private state: 'header' | 'samples' | 'raw';
	/** The kept WAV header's length, with state 'samples'. */
	private wavHeaderLength = 0;
	private samplesLength = 0;
	private atPieceStart = { length: 0, samplesLength: 0, state: 'raw' as SpeechAudioJoiner['state'], wavHeaderLength: 0 };
	/** The first bytes of a WAV piece, until its samples start. */
	private head: Buffer | undefined;

	constructor(
		format: SpeechFormat,
		private expectedTotal: number,
		private readonly maxBytes = Number.POSITIVE_INFINITY,
	) {
		this.state = format === 'wav' ? 'header' : 'raw';
	}

	/** A new estimate of the whole file, e.g. from the bytes per byte of text so far. */
	expect(total: number): void {
		this.expectedTotal = total;
	}

	/** A new piece begins. */
	startPiece(): void {
		this.atPieceStart = { length: this.length, samplesLength: this.samplesLength, state: this.state, wavHeaderLength: this.wavHeaderLength };
		this.head = this.state === 'raw' ? undefined : Buffer.alloc(0);
	}

	/** The current piece begins again (a retry): what an earlier attempt at it wrote is taken back. */
	restartPiece(): void {
		({ length: this.length, samplesLength: this.samplesLength, state: this.state, wavHeaderLength: this.wavHeaderLength } = this.atPieceStart);
		this.head = this.state === 'raw' ? undefined : Buffer.alloc(0);
	}

	write(chunk: Buffer): void {
		if (this.head === undefined) {
			this.append(chunk);
			if (this.state === 'samples') this.samplesLength += chunk.length;
			return;
		}
		this.head = Buffer.concat([this.head, chunk]);
		const start = wavSamplesStart(this.head);
		if (start === 'more' && this.head.length <= MAX_WAV_HEADER_BYTES) return;
		const head = this.head;
		this.head = undefined;
		if (typeof start !== 'number') {
			// Not WAV after all: the pieces as they come from here on.
			this.state = 'raw';
			this.append(head);
			return;
		}
		if (this.state === 'header') {
			this.wavHeaderLength = start;
			this.state = 'samples';
			this.append(head.subarray(0, start));
		}
		this.append(head.subarray(start));
		this.samplesLength += head.length - start;
	}

	/** The piece arrived whole. An empty piece changes nothing; one shorter than a WAV header is kept as it came. */
	endPiece(): void {
		const head = this.head;
		this.head = undefined;
		if (head === undefined || head.length === 0) return;
		this.state = 'raw';
		this.append(head);
	}

	finish(): Buffer {
		let file = (this.out ?? Buffer.alloc(0)).subarray(0, this.length);
		// An estimate far over the file (a first piece of unusual audio per text) is not kept alive with it.
		if (this.out && this.out.length > this.length * 1.2) file = Buffer.from(file);
		if (this.state === 'samples') {
			file.writeUInt32LE(this.wavHeaderLength - 8 + this.samplesLength, 4);
			file.writeUInt32LE(this.samplesLength, this.wavHeaderLength - 4);
		}
		this.out = undefined;
		return file;
	}

	private append(bytes: Buffer): void {
		const needed = this.length + bytes.length;
		if (!this.out || needed > this.out.length) {
			// Up to the estimate (never past Max Answer Size), and by half again at least, so that growing stays rare.
			const capacity = Math.min(Math.max(needed, Math.ceil(this.expectedTotal * 1.05), Math.ceil((this.out?.length ?? 0) * 1.5)), Math.max(needed, this.maxBytes));
			const grown = Buffer.allocUnsafe(capacity);
			if (this.out) this.out.copy(grown, 0, 0, this.length);
			this.out = grown;
		}
		this.length += bytes.copy(this.out, this.length);
	}
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
