/**
 * Audio, cloud only (brief wire18 §8; docs/coze-api.md §12). Studio has no /v1/audio/* route at all
 * [ST:api/router/coze/api.go] → its unknown-route behaviour (dispatch.ts: not allow-listed → session 401,
 * or KnowledgeOptions.studioMissingRoute `notFound404`).
 *
 * - `POST /v1/audio/speech` [DOC:text_to_speech] [JS:resources/audio/speech/speech.ts] [PY:cozepy/audio/speech/__init__.py]:
 *   JSON {input (≤ 1024 UTF-8 bytes), voice_id, response_format mp3 (default) | wav | pcm | ogg_opus, speed
 *   (big-model voices 0.5–2, small 0.2–3; default 1), sample_rate 8000…48000 (24000), emotion (multi-emotion voices),
 *   emotion_scale 1–5, loudness_rate −50…100, context_texts} → HTTP 200 raw audio (audioCodec.ts), Content-Type per
 *   AudioOptions.speechContentTypes. Refusals: JSON {code≠0, msg, detail} [DOC: "返回信息中包含 code 和 msg"];
 *   ASSUMPTIONS: code 4000 for every parameter refusal (unknown or untrained voice included), HTTP AudioOptions.errorStatus (200).
 * - `POST /v1/audio/transcriptions` [DOC:audio_transcriptions] [JS:audio/transcriptions/transcriptions.ts]
 *   [PY:cozepy/audio/transcriptions/__init__.py]: multipart part `file` (≤ 10 MB, AudioOptions.maxTranscriptionBytes)
 *   → {code:0,msg:"",data:{text},detail}: the emulator speech's text (of every piece of joined files, space-separated), else `transcribed <bytes> bytes of <filename>`.
 *   ASSUMPTIONS: not multipart / no `file` part → 4000; empty file → 4300; too large → 4302 (coze-api.md §5.1 file codes).
 *   The request's recorded `rawBody` is replaced by a short note (a 50 MB upload is not kept twice).
 * - `GET /v1/audio/voices` [DOC:list_voices] [JS:audio/voices/voices.ts] [PY:cozepy/audio/voices/__init__.py]:
 *   filter_system_voice (false), model_type big|small, voice_state init|cloned (default)|all, page_num ≥ 1 (1),
 *   page_size 1–100 (100) → data {voice_list, has_more}. ASSUMPTIONS: system voices have state `cloned`; bad values → 4000.
 */
import { createHash } from 'node:crypto';

import type { AudioEndpoint, AudioFault, SpeechFormat, SpeechRecord, TranscriptionRecord, Voice } from './audioCatalogue';
import { SPEECH_EMOTIONS, SPEECH_FORMATS, SPEECH_SAMPLE_RATES } from './audioCatalogue';
import { encodeSpeech, speechTextsOf } from './audioCodec';
import type { Reply, RequestContext } from './core';
import { trickleReply } from './core';
import { cloudError, cloudOk } from './dialect';
import { isJsonObject } from './json';
import { boundaryOf, parseMultipart } from './multipart';

export const SPEECH_PATH = '/v1/audio/speech';
export const TRANSCRIPTIONS_PATH = '/v1/audio/transcriptions';
export const VOICES_PATH = '/v1/audio/voices';

const refusal = (ctx: RequestContext, code: number, msg: string): Reply => cloudError(ctx.logId, code, msg, {}, ctx.state.audio.options.errorStatus);

/** Applies the endpoint's next queued fault: a Reply to answer instead, 'continue' after a finite silence, or undefined. */
async function takeFault(ctx: RequestContext, endpoint: AudioEndpoint, contentType: string): Promise<{ fault: AudioFault; reply?: Reply } | undefined> {
	const fault = ctx.state.audio.faults[endpoint].shift();
	if (!fault) return undefined;
	switch (fault.kind) {
		case 'error':
			return { fault, reply: cloudError(ctx.logId, fault.code ?? 5000, fault.msg ?? 'Internal server error (emulator fault)', {}, fault.status ?? 200) };
		case 'silence':
			if (fault.ms === undefined) return { fault, reply: { kind: 'hang' } };
			if (!(await ctx.sleep(fault.ms))) return { fault, reply: { kind: 'hang' } };
			return { fault };
		case 'trickle':
			if (endpoint !== 'speech') return { fault, reply: trickleReply('{"code":0,"msg":"","data":{"text":"', fault.intervalMs ?? 1000) };
			return { fault, reply: streamReply(contentType, undefined, Buffer.alloc(0), fault.intervalMs ?? 1000, 1) };
		case 'endlessAudio':
			return { fault, reply: streamReply(contentType, undefined, Buffer.alloc(0), 0, fault.chunkBytes ?? 64 * 1024) };
		case 'oversizedAudio':
			return undefined; // applied by the speech handler (it needs the parsed request)
	}
}

/**
 * Writes `head`, then zeros in `chunk`-byte pieces — until `total` bytes (with Content-Length unless `total` is
 * undefined) or forever — every `intervalMs` (0: as fast as the client reads).
 */
function streamReply(contentType: string, total: number | undefined, head: Buffer, intervalMs: number, chunk: number, contentLength = true): Reply {
	return {
		kind: 'custom',
		write: async (res, rctx) => {
			res.on('error', () => undefined);
			const headers: Record<string, string> = { 'Content-Type': contentType };
			if (total !== undefined && contentLength) headers['Content-Length'] = String(total);
			res.writeHead(200, headers);
			let sent = 0;
			const piece = Buffer.alloc(chunk);
			let wake: () => void = () => undefined;
			const resume = (): void => wake();
			res.on('drain', resume);
			res.once('close', resume);
			const send = async (buf: Buffer): Promise<void> => {
				sent += buf.length;
				if (!res.write(buf)) await new Promise<void>((resolve) => (wake = resolve));
			};
			if (head.length > 0) await send(head);
			while (!res.destroyed && !res.socket?.destroyed && (total === undefined || sent < total)) {
				if (intervalMs > 0 && !(await rctx.sleep(intervalMs))) break;
				await send(total === undefined ? piece : piece.subarray(0, Math.min(chunk, total - sent)));
			}
			res.off('drain', resume);
			if (!res.destroyed) res.end();
		},
	};
}

function voiceOf(ctx: RequestContext, id: unknown): Voice | undefined {
	return typeof id === 'string' ? ctx.state.audio.voices.find((v) => v.voice_id === id) : undefined;
}

/** Why the speech request is refused (msg), or undefined. */
function speechProblem(ctx: RequestContext, b: Record<string, unknown>): string | undefined {
	const o = ctx.state.audio.options;
	if (typeof b.input !== 'string' || b.input === '') return 'input is required';
	if (Buffer.byteLength(b.input, 'utf8') > o.maxSpeechInputBytes) return `input exceeds ${o.maxSpeechInputBytes} bytes`;
	const v = voiceOf(ctx, b.voice_id);
	if (!v) return `voice_id ${String(b.voice_id)} not found`;
	if (v.state !== 'cloned') return `voice_id ${v.voice_id} is not trained`;
	if (b.response_format !== undefined && !SPEECH_FORMATS.includes(b.response_format as SpeechFormat)) return `response_format must be one of ${SPEECH_FORMATS.join(', ')}`;
	const [lo, hi] = v.model_type === 'big' ? [0.5, 2] : [0.2, 3];
	if (b.speed !== undefined && !(typeof b.speed === 'number' && b.speed >= lo && b.speed <= hi)) return `speed must be within ${lo}-${hi} for this voice`;
	if (b.sample_rate !== undefined && !SPEECH_SAMPLE_RATES.includes(b.sample_rate as number)) return `sample_rate must be one of ${SPEECH_SAMPLE_RATES.join(', ')}`;
	if (b.emotion !== undefined) {
		if (!SPEECH_EMOTIONS.includes(b.emotion as string)) return `emotion must be one of ${SPEECH_EMOTIONS.join(', ')}`;
		if (!v.support_emotions?.some((e) => e.emotion === b.emotion)) return `voice ${v.voice_id} does not support emotion ${String(b.emotion)}`;
	}
	if (b.emotion_scale !== undefined && !(typeof b.emotion_scale === 'number' && b.emotion_scale >= 1 && b.emotion_scale <= 5)) return 'emotion_scale must be within 1-5';
	if (b.loudness_rate !== undefined && !(typeof b.loudness_rate === 'number' && b.loudness_rate >= -50 && b.loudness_rate <= 100)) return 'loudness_rate must be within -50..100';
	return undefined;
}

export async function speechHandler(ctx: RequestContext): Promise<Reply> {
	const a = ctx.state.audio;
	const b = isJsonObject(ctx.recorded.body) ? ctx.recorded.body : {};
	const format: SpeechFormat = SPEECH_FORMATS.includes(b.response_format as SpeechFormat) ? (b.response_format as SpeechFormat) : 'mp3';
	const contentType = a.options.speechContentTypes[format];
	const rec: SpeechRecord = {
		input: b.input,
		voiceId: b.voice_id,
		responseFormat: b.response_format,
		speed: b.speed,
		sampleRate: b.sample_rate,
		...(b.emotion !== undefined ? { emotion: b.emotion } : {}),
		...(b.emotion_scale !== undefined ? { emotionScale: b.emotion_scale } : {}),
		...(b.loudness_rate !== undefined ? { loudnessRate: b.loudness_rate } : {}),
		...(b.context_texts !== undefined ? { contextTexts: b.context_texts } : {}),
		bytes: 0,
	};
	a.speech.push(rec);
	const oversized = a.faults.speech[0]?.kind === 'oversizedAudio' ? a.faults.speech.shift() : undefined;
	const f = oversized ? undefined : await takeFault(ctx, 'speech', contentType);
	if (f) rec.fault = f.fault.kind;
	if (f?.reply) return f.reply;
	const problem = speechProblem(ctx, b);
	if (problem) {
		rec.refused = { code: 4000, msg: problem };
		return refusal(ctx, 4000, problem);
	}
	const input = b.input as string;
	const rate = typeof b.sample_rate === 'number' ? b.sample_rate : 24000;
	if (oversized?.kind === 'oversizedAudio') {
		rec.fault = 'oversizedAudio';
		const head = encodeSpeech(input, format, rate, 0);
		rec.bytes = Math.max(oversized.bytes, head.length);
		return streamReply(contentType, rec.bytes, head, 0, 64 * 1024, oversized.contentLength !== false);
	}
	const audio = encodeSpeech(input, format, rate, [...input].length * a.options.speechBytesPerChar);
	rec.bytes = audio.length;
	return { kind: 'raw', status: 200, body: audio, contentType };
}

export async function transcriptionsHandler(ctx: RequestContext): Promise<Reply> {
	const a = ctx.state.audio;
	const size = ctx.bodyBytes.length;
	ctx.recorded.rawBody = `<multipart body of ${size} bytes, not kept by the emulator>`;
	const rec: TranscriptionRecord = { fileName: '', contentType: '', bytes: 0, sha256: '', fromSpeech: false };
	a.transcriptions.push(rec);
	const f = await takeFault(ctx, 'transcriptions', 'application/json');
	if (f) rec.fault = f.fault.kind;
	if (f?.reply) return f.reply;
	const refuse = (code: number, msg: string): Reply => ((rec.refused = { code, msg }), refusal(ctx, code, msg));
	const ct = boundaryOf(String(ctx.req.headers['content-type'] ?? ''));
	if (!ct || ct.mediaType !== 'multipart/form-data' || ct.boundary === '') return refuse(4000, 'Content-Type must be multipart/form-data');
	let parsed = parseMultipart(ctx.bodyBytes, ct.boundary);
	if (!parsed.ok) return refuse(4000, 'malformed multipart body');
	const part = parsed.parts.find((p) => p.name === 'file');
	parsed = { ok: true, parts: [] }; // drop the other parts' copies at once
	if (!part) return refuse(4000, 'the multipart part "file" is required');
	Object.assign(rec, {
		fileName: part.filename ?? '',
		contentType: part.contentType,
		bytes: part.data.length,
		sha256: createHash('sha256').update(part.data).digest('hex'),
	});
	if (part.data.length === 0) return refuse(4300, 'The uploaded file is empty.');
	if (part.data.length > a.options.maxTranscriptionBytes) return refuse(4302, `The file size exceeds the limit (${a.options.maxTranscriptionBytes} bytes).`);
	// Speech files joined one after the other are heard one after the other.
	const spoken = speechTextsOf(part.data);
	rec.fromSpeech = spoken.length > 0;
	rec.text = rec.fromSpeech ? spoken.join(' ') : `transcribed ${part.data.length} bytes of ${part.filename ?? 'file'}`;
	return cloudOk(ctx.logId, { data: { text: rec.text } });
}

export async function voicesHandler(ctx: RequestContext): Promise<Reply> {
	const f = await takeFault(ctx, 'voices', 'application/json');
	if (f?.reply) return f.reply;
	const q = ctx.recorded.query;
	const int = (v: string | undefined, d: number): number => (v === undefined || v === '' ? d : /^\d+$/.test(v) ? Number(v) : NaN);
	const pageNum = int(q.page_num, 1);
	const pageSize = int(q.page_size, 100);
	const state = q.voice_state ?? 'cloned';
	const bool = (v: string | undefined): boolean | undefined => (v === undefined ? false : v === 'true' ? true : v === 'false' ? false : undefined);
	const filterSystem = bool(q.filter_system_voice);
	if (!(pageNum >= 1) || !(pageSize >= 1 && pageSize <= 100) || filterSystem === undefined) return refusal(ctx, 4000, 'Request parameter error');
	if ((q.model_type !== undefined && q.model_type !== 'big' && q.model_type !== 'small') || !['init', 'cloned', 'all'].includes(state)) {
		return refusal(ctx, 4000, 'Request parameter error');
	}
	const all = ctx.state.audio.voices.filter(
		(v) => !(filterSystem && v.is_system_voice) && (q.model_type === undefined || v.model_type === q.model_type) && (state === 'all' || v.state === state),
	);
	const voice_list = all.slice((pageNum - 1) * pageSize, pageNum * pageSize).map((v) => JSON.parse(JSON.stringify(v)) as Voice);
	return cloudOk(ctx.logId, { data: { voice_list, has_more: pageNum * pageSize < all.length } });
}
