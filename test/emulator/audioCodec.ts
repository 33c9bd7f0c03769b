/**
 * The emulator's speech audio: deterministic, well-formed containers of silence that carry the input
 * text in a marker (`COZE_EMULATOR_TEXT=<base64 of the UTF-8 text>;`, ASCII) so that the emulator's
 * transcription of that audio returns exactly the input. Not Coze's audio: Coze answers real speech
 * [DOC:text_to_speech]; only the containers are real:
 * - mp3: an ID3v2.3 tag with a TXXX frame (description `coze-emulator`) holding the marker, then MPEG-1
 *   Layer III frames (128 kbit/s, 44.1 kHz, mono, 417 bytes each, zero payload);
 * - wav: RIFF/WAVE, `fmt ` PCM 16-bit mono at the sample rate, a `LIST`/`INFO`/`ICMT` chunk (`coze-emulator`),
 *   then the `data` chunk whose first samples are the marker bytes, zeros after (every chunk size correct): the
 *   text is in the samples, as real speech is, so WAV files joined under one header still carry every text;
 * - pcm: raw 16-bit little-endian samples; the marker bytes are the first samples, zeros follow;
 * - ogg_opus: Ogg pages (CRC-32 as RFC 3533) with OpusHead, OpusTags (vendor `coze-emulator`, one comment
 *   holding the marker) and 20 ms Opus silence packets (F8 FF FE), the last page EOS.
 * The body is at least the container's header; `targetBytes` is reached (or passed by less than one frame / page).
 */
import type { SpeechFormat } from './audioCatalogue';

export const SPEECH_MARKER = 'COZE_EMULATOR_TEXT=';

function markerOf(text: string): Buffer {
	return Buffer.from(`${SPEECH_MARKER}${Buffer.from(text, 'utf8').toString('base64')};`, 'latin1');
}

/** The text an emulator speech file carries (its first marker's), or undefined. */
export function speechTextOf(audio: Buffer): string | undefined {
	return speechTextsOf(audio, 1)[0];
}

/** The texts of every marker in the file, in order: the pieces of speech files joined one after the other. */
export function speechTextsOf(audio: Buffer, max = Number.POSITIVE_INFINITY): string[] {
	const texts: string[] = [];
	for (let at = audio.indexOf(SPEECH_MARKER, 0, 'latin1'); at !== -1 && texts.length < max; at = audio.indexOf(SPEECH_MARKER, at + 1, 'latin1')) {
		const start = at + SPEECH_MARKER.length;
		const end = audio.indexOf(0x3b, start); // ';'
		if (end === -1) break;
		const b64 = audio.toString('latin1', start, end);
		if (/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) texts.push(Buffer.from(b64, 'base64').toString('utf8'));
	}
	return texts;
}

export function encodeSpeech(text: string, format: SpeechFormat, sampleRate: number, targetBytes: number): Buffer {
	const marker = markerOf(text);
	switch (format) {
		case 'mp3':
			return mp3(marker, targetBytes);
		case 'wav':
			return wav(marker, sampleRate, targetBytes);
		case 'pcm': {
			const out = Buffer.alloc(Math.max(marker.length + (marker.length % 2), targetBytes + (targetBytes % 2)));
			marker.copy(out, 0);
			return out;
		}
		case 'ogg_opus':
			return ogg(marker, sampleRate, targetBytes);
	}
}

// ---------------------------------------------------------------- mp3

const MP3_FRAME = 417; // 144 * 128000 / 44100, no padding

function mp3(marker: Buffer, target: number): Buffer {
	const desc = Buffer.from('coze-emulator\0', 'latin1');
	const frameBody = Buffer.concat([Buffer.from([0]), desc, marker]); // encoding 0 (ISO-8859-1)
	const frame = Buffer.alloc(10 + frameBody.length);
	frame.write('TXXX', 0, 'latin1');
	frame.writeUInt32BE(frameBody.length, 4);
	frameBody.copy(frame, 10);
	const tag = Buffer.alloc(10 + frame.length);
	tag.write('ID3', 0, 'latin1');
	tag[3] = 3; // v2.3.0
	const size = frame.length;
	tag[6] = (size >> 21) & 0x7f; // syncsafe
	tag[7] = (size >> 14) & 0x7f;
	tag[8] = (size >> 7) & 0x7f;
	tag[9] = size & 0x7f;
	frame.copy(tag, 10);
	const frames = Math.max(1, Math.ceil((target - tag.length) / MP3_FRAME));
	const out = Buffer.alloc(tag.length + frames * MP3_FRAME);
	tag.copy(out, 0);
	for (let i = 0, at = tag.length; i < frames; i++, at += MP3_FRAME) {
		out[at] = 0xff;
		out[at + 1] = 0xfb; // MPEG-1, Layer III, no CRC
		out[at + 2] = 0x90; // 128 kbit/s, 44.1 kHz, no padding
		out[at + 3] = 0xc0; // mono
	}
	return out;
}

// ---------------------------------------------------------------- wav

const WAV_COMMENT = Buffer.from('coze-emulator', 'latin1');

function wav(marker: Buffer, sampleRate: number, target: number): Buffer {
	const icmt = WAV_COMMENT.length + (WAV_COMMENT.length % 2 === 0 ? 0 : 1); // chunks are word-aligned
	const listSize = 4 + 8 + icmt; // 'INFO' + ICMT header + data
	const header = 12 + 8 + 16 + 8 + listSize + 8;
	let dataSize = Math.max(marker.length, target - header);
	dataSize += dataSize % 2;
	const out = Buffer.alloc(header + dataSize);
	let o = 0;
	o = out.write('RIFF', o, 'latin1');
	o = out.writeUInt32LE(out.length - 8, o);
	o += out.write('WAVE', o, 'latin1');
	o += out.write('fmt ', o, 'latin1');
	o = out.writeUInt32LE(16, o);
	o = out.writeUInt16LE(1, o); // PCM
	o = out.writeUInt16LE(1, o); // mono
	o = out.writeUInt32LE(sampleRate, o);
	o = out.writeUInt32LE(sampleRate * 2, o);
	o = out.writeUInt16LE(2, o);
	o = out.writeUInt16LE(16, o);
	o += out.write('LIST', o, 'latin1');
	o = out.writeUInt32LE(listSize, o);
	o += out.write('INFO', o, 'latin1');
	o += out.write('ICMT', o, 'latin1');
	o = out.writeUInt32LE(WAV_COMMENT.length, o);
	WAV_COMMENT.copy(out, o);
	o += icmt;
	o += out.write('data', o, 'latin1');
	o = out.writeUInt32LE(dataSize, o);
	marker.copy(out, o);
	return out;
}

// ---------------------------------------------------------------- ogg opus

const CRC_TABLE = (() => {
	const t = new Uint32Array(256);
	for (let i = 0; i < 256; i++) {
		let r = i << 24;
		for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
		t[i] = r >>> 0;
	}
	return t;
})();

function oggCrc(buf: Buffer): number {
	let crc = 0;
	for (let i = 0; i < buf.length; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ buf[i]) & 0xff]) >>> 0;
	return crc >>> 0;
}

const SERIAL = 0x434f5a45; // 'COZE'

function page(packets: Buffer[], flags: number, granule: bigint, seq: number): Buffer {
	const lacing: number[] = [];
	for (const p of packets) {
		let n = p.length;
		while (n >= 255) {
			lacing.push(255);
			n -= 255;
		}
		lacing.push(n);
	}
	const head = Buffer.alloc(27 + lacing.length);
	head.write('OggS', 0, 'latin1');
	head[5] = flags;
	head.writeBigUInt64LE(granule, 6);
	head.writeUInt32LE(SERIAL, 14);
	head.writeUInt32LE(seq, 18);
	head[26] = lacing.length;
	Buffer.from(lacing).copy(head, 27);
	const out = Buffer.concat([head, ...packets]);
	out.writeUInt32LE(oggCrc(out), 22);
	return out;
}

const SILENCE = Buffer.from([0xf8, 0xff, 0xfe]); // one 20 ms CELT frame, mono
const PACKETS_PER_PAGE = 255;

function ogg(marker: Buffer, sampleRate: number, target: number): Buffer {
	const opusHead = Buffer.alloc(19);
	opusHead.write('OpusHead', 0, 'latin1');
	opusHead[8] = 1; // version
	opusHead[9] = 1; // channels
	opusHead.writeUInt16LE(312, 10); // pre-skip
	opusHead.writeUInt32LE(sampleRate, 12);
	const vendor = Buffer.from('coze-emulator', 'latin1');
	const tags = Buffer.alloc(8 + 4 + vendor.length + 4 + 4 + marker.length);
	let o = tags.write('OpusTags', 0, 'latin1');
	o = tags.writeUInt32LE(vendor.length, o);
	o += vendor.copy(tags, o);
	o = tags.writeUInt32LE(1, o);
	o = tags.writeUInt32LE(marker.length, o);
	marker.copy(tags, o);
	const pages: Buffer[] = [page([opusHead], 0x02, 0n, 0), page([tags], 0, 0n, 1)];
	let total = pages[0].length + pages[1].length;
	const fullPage = 27 + PACKETS_PER_PAGE + PACKETS_PER_PAGE * SILENCE.length;
	const audioPages = Math.max(1, Math.ceil((target - total) / fullPage));
	const packets = Array.from({ length: PACKETS_PER_PAGE }, () => SILENCE);
	for (let i = 0; i < audioPages; i++) {
		const granule = BigInt((i + 1) * PACKETS_PER_PAGE * 960);
		const p = page(packets, i === audioPages - 1 ? 0x04 : 0, granule, i + 2);
		pages.push(p);
		total += p.length;
	}
	return Buffer.concat(pages, total);
}
