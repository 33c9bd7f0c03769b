/** WAV files as the tests read them, and pieces joined at once: the joiner of the node, driven whole piece by whole piece. */
import { SpeechAudioJoiner, wavSamplesStart } from '../../nodes/shared/decoding/speechJoin';

/**
 * The audio of several pieces as one file. MP3 frames, raw PCM and chained Ogg pages play
 * one after the other when simply joined; WAV files each start with a header, so the samples of
 * every piece go under the first piece's header, with its sizes set to the sum.
 */
export function joinSpeechAudio(format: string, pieces: Buffer[]): Buffer {
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

