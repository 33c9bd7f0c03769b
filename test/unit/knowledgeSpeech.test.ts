import { explainFailure } from '../../nodes/shared/decoding/explanations';
import { Scrubber } from '../../nodes/shared/transport/scrub';
import { filePlaceholder, jsonWithBase64Files } from '../../nodes/shared/api/knowledgeBody';
import { documentFileType, documentOutput, failureReasonOf, processingStateOf, separatorOf } from '../../nodes/shared/decoding/knowledge';
import { SPEECH_INPUT_MAX_BYTES, speechPieces } from '../../nodes/shared/decoding/speech';
import { SpeechAudioJoiner } from '../../nodes/shared/decoding/speechJoin';
import { joinSpeechAudio, wavParts } from '../harness/wav';

const bytesOf = (text: string) => Buffer.byteLength(text, 'utf8');

function wav(samples: Buffer): Buffer {
	const header = Buffer.alloc(44);
	header.write('RIFF', 0, 'latin1');
	header.writeUInt32LE(36 + samples.length, 4);
	header.write('WAVEfmt ', 8, 'latin1');
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20);
	header.writeUInt16LE(1, 22);
	header.writeUInt32LE(24000, 24);
	header.writeUInt32LE(48000, 28);
	header.writeUInt16LE(2, 32);
	header.writeUInt16LE(16, 34);
	header.write('data', 36, 'latin1');
	header.writeUInt32LE(samples.length, 40);
	return Buffer.concat([header, samples]);
}

describe('speechPieces', () => {
	it('keeps a short text whole', () => {
		expect(speechPieces('  Hello there.  ')).toEqual(['Hello there.']);
	});

	it('cuts a long text between sentences, each piece within 1024 UTF-8 bytes, nothing lost', () => {
		const sentence = '这是一个用于测试的句子，它有一些长度。';
		const text = Array.from({ length: 200 }, (_, index) => `${sentence}${index}. `).join('');
		const pieces = speechPieces(text);
		expect(pieces.length).toBeGreaterThan(1);
		for (const piece of pieces) expect(bytesOf(piece)).toBeLessThanOrEqual(SPEECH_INPUT_MAX_BYTES);
		// Every piece ends at a sentence end: the cut never falls inside one.
		for (const piece of pieces) expect(piece).toMatch(/[.。]$/);
		expect(pieces.join(' ').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
	});

	it('cuts a sentence too long for one piece at commas or spaces, and a word too long at characters', () => {
		const words = Array.from({ length: 400 }, (_, index) => `word${index}`).join(' ');
		const pieces = speechPieces(words, 100);
		for (const piece of pieces) expect(bytesOf(piece)).toBeLessThanOrEqual(100);
		expect(pieces.join(' ')).toBe(words);
		const emoji = '😀'.repeat(100);
		const cut = speechPieces(emoji, 10);
		for (const piece of cut) expect(bytesOf(piece)).toBeLessThanOrEqual(10);
		expect(cut.join('')).toBe(emoji);
	});

	it('gives nothing for a text of only whitespace', () => {
		expect(speechPieces(' \n\t ')).toEqual([]);
	});
});

describe('joinSpeechAudio', () => {
	it('puts the samples of every WAV piece under one header with the summed sizes', () => {
		const joined = joinSpeechAudio('wav', [wav(Buffer.from([1, 2, 3, 4])), wav(Buffer.from([5, 6])), wav(Buffer.from([7, 8]))]);
		const parts = wavParts(joined);
		expect(parts?.samples).toEqual(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]));
		expect(joined.readUInt32LE(4)).toBe(joined.length - 8);
		expect(joined.readUInt32LE(40)).toBe(8);
	});

	it('joins MP3, PCM and Ogg pieces byte for byte, and leaves one piece as it is', () => {
		const a = Buffer.from('first');
		const b = Buffer.from('second');
		expect(joinSpeechAudio('mp3', [a, b]).toString()).toBe('firstsecond');
		expect(joinSpeechAudio('ogg_opus', [a, b]).toString()).toBe('firstsecond');
		expect(joinSpeechAudio('wav', [a])).toBe(a);
	});

	it('falls back to joining bytes when a piece is not a WAV file', () => {
		expect(joinSpeechAudio('wav', [wav(Buffer.from([1])), Buffer.from('oops')]).subarray(-4).toString()).toBe('oops');
	});
});

/** The pieces through a joiner, each cut into chunks of `chunk` bytes. */
function joinInChunks(format: string, pieces: Buffer[], chunk: number, estimate: number): Buffer {
	const joiner = new SpeechAudioJoiner(format, estimate);
	for (const piece of pieces) {
		joiner.startPiece();
		for (let at = 0; at < piece.length; at += chunk) joiner.write(piece.subarray(at, at + chunk));
		joiner.endPiece();
	}
	return joiner.finish();
}

describe('SpeechAudioJoiner', () => {
	it('joins pieces chunk by chunk whether its estimate of the whole is too small, right or too large', () => {
		const pieces = Array.from({ length: 7 }, (_, n) => Buffer.alloc(1000 + n * 37, n + 1));
		const expected = Buffer.concat(pieces);
		for (const estimate of [0, 10, expected.length, expected.length * 3]) {
			for (const chunk of [1, 7, 4096]) expect(joinInChunks('mp3', pieces, chunk, estimate).equals(expected)).toBe(true);
		}
	});

	it('keeps WAV samples of every piece under the first header, however the chunks cut the headers', () => {
		const pieces = [wav(Buffer.from([1, 2])), wav(Buffer.from([3, 4, 5, 6])), wav(Buffer.from([7, 8]))];
		for (const chunk of [1, 5, 43, 44, 45, 1000]) {
			const file = joinInChunks('wav', pieces, chunk, 0);
			expect(wavParts(file)?.samples).toEqual(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]));
			expect(file.readUInt32LE(4)).toBe(file.length - 8);
			expect(file.readUInt32LE(40)).toBe(8);
		}
	});

	it('takes back what a failed attempt at a piece wrote, so a retried piece is joined once', () => {
		const joiner = new SpeechAudioJoiner('wav', 0);
		joiner.startPiece();
		joiner.write(wav(Buffer.from([1, 2])));
		joiner.endPiece();
		joiner.startPiece();
		joiner.write(wav(Buffer.from([9, 9, 9])).subarray(0, 46));
		joiner.restartPiece();
		joiner.write(wav(Buffer.from([3, 4])));
		joiner.endPiece();
		expect(wavParts(joiner.finish())?.samples).toEqual(Buffer.from([1, 2, 3, 4]));
	});

	it('keeps the WAV header right around an empty piece, the first one too', () => {
		for (const pieces of [
			[wav(Buffer.from([1, 2])), Buffer.alloc(0), wav(Buffer.from([3, 4]))],
			[Buffer.alloc(0), wav(Buffer.from([1, 2])), wav(Buffer.from([3, 4]))],
		]) {
			const file = joinInChunks('wav', pieces, 7, 0);
			expect(wavParts(file)?.samples).toEqual(Buffer.from([1, 2, 3, 4]));
			expect(file.readUInt32LE(40)).toBe(4);
			expect(file.length).toBe(48);
		}
	});

	it('does not keep a buffer far larger than the file when the estimate was wrong', () => {
		const joiner = new SpeechAudioJoiner('mp3', 10_000_000);
		joiner.startPiece();
		joiner.write(Buffer.alloc(100, 1));
		joiner.endPiece();
		const file = joiner.finish();
		expect(file.length).toBe(100);
		expect(file.buffer.byteLength).toBeLessThan(10_000_000);
	});

	it('joins bytes as they are once a piece is not WAV, and gives nothing for no piece', () => {
		expect(joinInChunks('wav', [wav(Buffer.from([1])), Buffer.from('oops')], 3, 0).subarray(-4).toString()).toBe('oops');
		expect(new SpeechAudioJoiner('mp3', 0).finish().length).toBe(0);
	});
});

describe('jsonWithBase64Files', () => {
	it('writes each file as base64 where its placeholder was, with the exact size', () => {
		const first = Buffer.from(Array.from({ length: 700_001 }, (_, index) => index % 251));
		const second = Buffer.from('héllo "quoted" \u0000');
		const one = filePlaceholder(0);
		const two = filePlaceholder(1);
		const body = jsonWithBase64Files(
			{ dataset_id: '7449000000000000001', document_bases: [{ name: 'a "b"', source_info: { file_base64: one } }, { name: '文件', source_info: { file_base64: two } }] },
			[
				{ placeholder: one, bytes: first },
				{ placeholder: two, bytes: second },
			],
		);
		const parsed = JSON.parse(body.toString('utf8'));
		expect(parsed.dataset_id).toBe('7449000000000000001');
		expect(parsed.document_bases[0].name).toBe('a "b"');
		expect(Buffer.from(parsed.document_bases[0].source_info.file_base64, 'base64').equals(first)).toBe(true);
		expect(Buffer.from(parsed.document_bases[1].source_info.file_base64, 'base64').equals(second)).toBe(true);
	});

	it('is plain JSON without files', () => {
		expect(JSON.parse(jsonWithBase64Files({ a: 1 }, []).toString())).toEqual({ a: 1 });
	});
});

describe('knowledge decoding', () => {
	it('names the processing states of both dialects', () => {
		expect([0, 1, 9, 3, '1', 7, undefined].map(processingStateOf)).toEqual(['processing', 'completed', 'failed', 'deleted', 'completed', 'unknown', 'unknown']);
	});

	it('folds progress into a document and keeps its ID a string', () => {
		const output = documentOutput({ document_id: '7449000000000000101', name: 'a.pdf', status: 0 }, { document_id: '7449000000000000101', status: 1, progress: 100, remaining_time: 0 });
		expect(output).toMatchObject({ document_id: '7449000000000000101', status: 1, progress: 100, processing_state: 'completed' });
		expect(documentOutput({}, { document_id: '1', document_name: 'n', status: 9, status_descript: 'bad' })).toMatchObject({ name: 'n', processing_state: 'failed', status_descript: 'bad' });
	});

	it("quotes a failure reason, cut to a sensible length, and none when Coze gave none", () => {
		expect(failureReasonOf({ status_descript: '  file has no text ' })).toBe('file has no text');
		expect(failureReasonOf({ status_descript: '' })).toBeUndefined();
		expect(failureReasonOf({ status_descript: 'x'.repeat(2000) })?.length).toBe(500);
	});

	it('takes the file type from the name, else from the MIME type', () => {
		expect(documentFileType('Report.PDF', 'application/octet-stream')).toBe('pdf');
		expect(documentFileType('notes', 'text/plain; charset=utf-8')).toBe('txt');
		expect(documentFileType('doc', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('docx');
	});

	it('reads \\n and \\t in a typed separator', () => {
		expect(separatorOf('\\n\\n')).toBe('\n\n');
		expect(separatorOf('###')).toBe('###');
		expect(separatorOf('\\t')).toBe('\t');
	});
});

describe('Scrubber.bytes', () => {
	it('overwrites every echo of a secret in audio bytes, keeping the size', () => {
		const scrubber = new Scrubber();
		scrubber.add('pat_secret_token_123');
		const audio = Buffer.concat([Buffer.from([0xff, 0xfb]), Buffer.from('pat_secret_token_123'), Buffer.from([1, 2]), Buffer.from('pat_secret_token_123')]);
		const size = audio.length;
		const scrubbed = scrubber.bytes(audio);
		expect(scrubbed.length).toBe(size);
		expect(scrubbed.includes(Buffer.from('pat_secret_token_123'))).toBe(false);
		expect(scrubbed.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfb]));
		expect(scrubbed.subarray(2, 22).toString()).toBe('*'.repeat(20));
	});
});

describe('a refusal without Coze code, per subject', () => {
	it('says which permission a knowledge or speech request needs, and that a proxy may be the one refusing', () => {
		const knowledge = explainFailure({ subject: 'knowledge', httpStatus: 403 });
		expect(knowledge.summary).toBe('Coze, or a proxy in front of it, refused the request (HTTP 403)');
		expect(knowledge.hint).toContain('"createDocument"');
		expect(knowledge.hint).not.toMatch(/workflow/i);
		expect(explainFailure({ subject: 'audio', code: 4101 }).hint).toContain('"createSpeech"');
		// Workflow runs keep their own wording.
		expect(explainFailure({ httpStatus: 403 }).hint).toContain('"run"');
	});
});
