/**
 * The audio part of the emulator's contract (brief wire18 §8), over real HTTP with plain fetch: speech in
 * every format (well-formed containers), the speech → transcription round trip, limits, voices paging and
 * filters, audio faults, and Studio (no /v1/audio routes). Sources: test/emulator/audio*.ts.
 */
import type { CozeEmulator } from './emulator';
import { CLONED_VOICE_ID, DEFAULT_VOICE_ID, INIT_VOICE_ID, SMALL_VOICE_ID, startCozeEmulator, UNKNOWN_VOICE_ID } from './emulator';

/** Parsed JSON read loosely in assertions, typed as JSON.parse types its result. */
type J = Record<string, ReturnType<typeof JSON.parse>>;

let emu: CozeEmulator;
let studio: CozeEmulator;
beforeAll(async () => {
	emu = await startCozeEmulator({ dialect: 'cloud' });
	studio = await startCozeEmulator({ dialect: 'studio' });
});
afterAll(async () => {
	await emu?.close();
	await studio?.close();
});
beforeEach(() => {
	emu.reset();
	studio.reset();
});

const AUTH = { Authorization: 'Bearer test-token' };
function speech(body: J, target: CozeEmulator = emu, signal?: AbortSignal): Promise<Response> {
	return fetch(`${target.url}/v1/audio/speech`, { method: 'POST', headers: { ...AUTH, 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal });
}
async function transcribe(bytes: Buffer, name: string): Promise<J> {
	const form = new FormData();
	form.append('file', new Blob([new Uint8Array(bytes)], { type: 'audio/mpeg' }), name);
	const r = await fetch(`${emu.url}/v1/audio/transcriptions`, { method: 'POST', headers: AUTH, body: form });
	return (await r.json()) as J;
}
const bytesOf = async (r: Response): Promise<Buffer> => Buffer.from(await r.arrayBuffer());

describe('POST /v1/audio/speech', () => {
	const text = 'Hello 你好, Coze! 🎉';
	it.each([
		['mp3', 'audio/mpeg', 'ID3'],
		['wav', 'audio/wav', 'RIFF'],
		['pcm', 'audio/pcm', 'COZE_EMULATOR_TEXT='],
		['ogg_opus', 'audio/ogg', 'OggS'],
	])('answers %s audio that transcribes back to its input', async (format, contentType, magic) => {
		const r = await speech({ input: text, voice_id: DEFAULT_VOICE_ID, response_format: format, sample_rate: 16000, speed: 1.5 });
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toBe(contentType);
		const audio = await bytesOf(r);
		expect(audio.subarray(0, magic.length).toString('latin1')).toBe(magic);
		expect(audio.length).toBeGreaterThanOrEqual([...text].length * 400);
		expect(audio.length).toBeLessThan([...text].length * 400 + 2000);
		expect(emu.speechRequests.at(-1)).toMatchObject({ input: text, voiceId: DEFAULT_VOICE_ID, responseFormat: format, speed: 1.5, sampleRate: 16000, bytes: audio.length });
		const t = await transcribe(audio, `speech.${format}`);
		expect(t).toMatchObject({ code: 0, msg: '', data: { text }, detail: { logid: expect.any(String) } });
		expect(emu.transcriptionRequests.at(-1)).toMatchObject({ fromSpeech: true, bytes: audio.length, fileName: `speech.${format}` });
	});
	it('writes well-formed wav and ogg containers', async () => {
		const wav = await bytesOf(await speech({ input: 'abc', voice_id: DEFAULT_VOICE_ID, response_format: 'wav', sample_rate: 22050 }));
		expect(wav.toString('latin1', 8, 16)).toBe('WAVEfmt ');
		expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
		expect(wav.readUInt32LE(24)).toBe(22050);
		const dataAt = wav.indexOf('data', 36, 'latin1');
		expect(wav.readUInt32LE(dataAt + 4)).toBe(wav.length - dataAt - 8);
		const ogg = await bytesOf(await speech({ input: 'abc', voice_id: DEFAULT_VOICE_ID, response_format: 'ogg_opus' }));
		expect(ogg.toString('latin1', 28, 36)).toBe('OpusHead');
		expect(ogg[5]).toBe(0x02); // BOS
		const mp3 = await bytesOf(await speech({ input: 'abc', voice_id: DEFAULT_VOICE_ID }));
		const frameAt = 10 + ((mp3[6] << 21) | (mp3[7] << 14) | (mp3[8] << 7) | mp3[9]);
		expect([mp3[frameAt], mp3[frameAt + 1]]).toEqual([0xff, 0xfb]);
	});
	it('scales with speechBytesPerChar', async () => {
		emu.setAudioOptions({ speechBytesPerChar: 10_000 });
		const audio = await bytesOf(await speech({ input: 'x'.repeat(500), voice_id: DEFAULT_VOICE_ID }));
		expect(audio.length).toBeGreaterThanOrEqual(5_000_000);
	});
	it('refuses input over 1024 UTF-8 bytes, unknown / untrained voices and bad parameters with code≠0 in HTTP 200', async () => {
		const ok = await speech({ input: '你'.repeat(341), voice_id: DEFAULT_VOICE_ID }); // 1023 bytes
		expect(ok.headers.get('content-type')).toBe('audio/mpeg');
		await ok.arrayBuffer();
		for (const body of [
			{ input: '你'.repeat(342), voice_id: DEFAULT_VOICE_ID },
			{ input: 'hi', voice_id: UNKNOWN_VOICE_ID },
			{ input: 'hi', voice_id: INIT_VOICE_ID },
			{ input: 'hi', voice_id: DEFAULT_VOICE_ID, speed: 2.5 },
			{ input: 'hi', voice_id: DEFAULT_VOICE_ID, response_format: 'flac' },
			{ input: 'hi', voice_id: DEFAULT_VOICE_ID, sample_rate: 11025 },
			{ input: 'hi', voice_id: CLONED_VOICE_ID, emotion: 'happy' },
		]) {
			const r = await speech(body);
			expect(r.status).toBe(200);
			expect(r.headers.get('content-type')).toContain('application/json');
			expect(((await r.json()) as J).code).toBe(4000);
		}
		expect((await speech({ input: 'hi', voice_id: SMALL_VOICE_ID, speed: 2.5 })).headers.get('content-type')).toBe('audio/mpeg');
		expect(emu.speechRequests.filter((s) => s.refused)).toHaveLength(7);
		emu.setAudioOptions({ errorStatus: 400 });
		expect((await speech({ input: 'hi', voice_id: UNKNOWN_VOICE_ID })).status).toBe(400);
	});
});

describe('POST /v1/audio/transcriptions', () => {
	it('transcribes other files deterministically and enforces the 10 MB limit (option)', async () => {
		expect((await transcribe(Buffer.from('not audio'), 'a.mp3')).data.text).toBe('transcribed 9 bytes of a.mp3');
		const big = Buffer.alloc(10 * 1024 * 1024 + 1);
		expect((await transcribe(big, 'big.wav')).code).toBe(4302);
		emu.setAudioOptions({ maxTranscriptionBytes: 64 * 1024 * 1024 });
		expect((await transcribe(big, 'big.wav')).data.text).toBe(`transcribed ${big.length} bytes of big.wav`);
		expect(emu.requests.at(-1)!.rawBody).toMatch(/not kept/);
		expect((await transcribe(Buffer.alloc(0), 'empty.mp3')).code).toBe(4300);
		const r = await fetch(`${emu.url}/v1/audio/transcriptions`, { method: 'POST', headers: { ...AUTH, 'Content-Type': 'application/json' }, body: '{}' });
		expect(((await r.json()) as J).code).toBe(4000);
	});
});

describe('GET /v1/audio/voices', () => {
	const voices = async (q: string): Promise<J> => (await (await fetch(`${emu.url}/v1/audio/voices${q}`, { headers: AUTH })).json()) as J;
	it('pages and filters', async () => {
		const all = await voices('');
		expect(all).toMatchObject({ code: 0, data: { has_more: false } });
		expect(all.data.voice_list).toHaveLength(7); // voice_state default cloned
		expect(all.data.voice_list[0]).toMatchObject({ voice_id: DEFAULT_VOICE_ID, is_system_voice: true, model_type: 'big', state: 'cloned' });
		expect(all.data.voice_list[0].support_emotions[0]).toMatchObject({ emotion: 'happy', emotion_scale_interval: { min: 1, max: 5, default: 4 } });
		expect((await voices('?voice_state=all')).data.voice_list).toHaveLength(8);
		expect((await voices('?filter_system_voice=true')).data.voice_list.map((v: J) => v.voice_id)).toEqual([CLONED_VOICE_ID]);
		expect((await voices('?model_type=small')).data.voice_list).toHaveLength(3);
		const p1 = await voices('?page_size=3&page_num=1');
		const p3 = await voices('?page_size=3&page_num=3');
		expect([p1.data.has_more, p3.data.has_more, p3.data.voice_list.length]).toEqual([true, false, 1]);
		expect((await voices('?page_size=101')).code).toBe(4000);
	});
});

describe('audio faults', () => {
	it('answers an error envelope, then normally', async () => {
		emu.queueAudioFaults('speech', [{ kind: 'error', code: 4013, msg: 'busy' }]);
		const r = await speech({ input: 'hi', voice_id: DEFAULT_VOICE_ID });
		expect([r.status, ((await r.json()) as J).code]).toEqual([200, 4013]);
		expect((await speech({ input: 'hi', voice_id: DEFAULT_VOICE_ID })).headers.get('content-type')).toBe('audio/mpeg');
	});
	it('sends an endless audio body', async () => {
		emu.queueAudioFaults('speech', [{ kind: 'endlessAudio' }]);
		const ac = new AbortController();
		const r = await speech({ input: 'hi', voice_id: DEFAULT_VOICE_ID, response_format: 'wav' }, emu, ac.signal);
		expect([r.headers.get('content-type'), r.headers.get('content-length')]).toEqual(['audio/wav', null]);
		const reader = r.body!.getReader();
		let n = 0;
		while (n < 4 * 1024 * 1024) n += (await reader.read()).value?.length ?? 0;
		ac.abort();
		expect(n).toBeGreaterThanOrEqual(4 * 1024 * 1024);
	});
	it('sends an oversized audio body that still carries the text', async () => {
		emu.queueAudioFaults('speech', [{ kind: 'oversizedAudio', bytes: 20 * 1024 * 1024 }]);
		const r = await speech({ input: 'big one', voice_id: DEFAULT_VOICE_ID });
		expect(r.headers.get('content-length')).toBe(String(20 * 1024 * 1024));
		const audio = await bytesOf(r);
		expect(audio.length).toBe(20 * 1024 * 1024);
		emu.setAudioOptions({ maxTranscriptionBytes: 30 * 1024 * 1024 });
		expect((await transcribe(audio, 'o.mp3')).data.text).toBe('big one');
	});
	it('trickles, and stays silent before the headers', async () => {
		emu.queueAudioFaults('speech', [{ kind: 'trickle', intervalMs: 20 }, { kind: 'silence', ms: 150 }, { kind: 'silence' }]);
		const ac = new AbortController();
		const r = await speech({ input: 'hi', voice_id: DEFAULT_VOICE_ID }, emu, ac.signal);
		const reader = r.body!.getReader();
		let n = 0;
		while (n < 3) n += (await reader.read()).value?.length ?? 0;
		ac.abort();
		const t0 = Date.now();
		const late = await speech({ input: 'hi', voice_id: DEFAULT_VOICE_ID });
		expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
		expect(late.headers.get('content-type')).toBe('audio/mpeg');
		await expect(speech({ input: 'hi', voice_id: DEFAULT_VOICE_ID }, emu, AbortSignal.timeout(200))).rejects.toThrow();
		expect(emu.speechRequests.map((s) => s.fault)).toEqual(['trickle', 'silence', 'silence']);
		expect(() => emu.queueAudioFaults('voices', [{ kind: 'endlessAudio' }])).toThrow(TypeError);
	});
});

describe('studio has no /v1/audio routes', () => {
	it('answers the session 401 (or 404 NoRoute as a variant)', async () => {
		const r = await speech({ input: 'hi', voice_id: DEFAULT_VOICE_ID }, studio);
		expect([r.status, await r.json()]).toEqual([401, { code: 401, msg: 'missing session_key in cookie' }]);
		studio.setKnowledgeOptions({ studioMissingRoute: 'notFound404' });
		const v = await fetch(`${studio.url}/v1/audio/voices`, { headers: AUTH });
		expect([v.status, await v.json()]).toEqual([404, { code: 404, msg: 'not found' }]);
	});
});
