/**
 * Audio (cloud only): public types, the default voices (system voices + one cloned and one untrained
 * personal voice; ids 7570000000000000001…, 19 digits, strings), audio options and fault kinds.
 * Wire facts: brief wire18 §8, docs/coze-api.md §12 [DOC:text_to_speech, audio_transcriptions, list_voices]
 * [JS:resources/audio/**] [PY:cozepy/audio/**].
 */

const VOICE_BASE = 7570000000000000000n;
const voiceId = (n: number): string => (VOICE_BASE + BigInt(n)).toString();

/** A big-model system voice with emotions (the default of the emulator's examples). */
export const DEFAULT_VOICE_ID = voiceId(1);
/** A small-model system voice (speed 0.2–3). */
export const SMALL_VOICE_ID = voiceId(4);
/** The account's cloned voice (state `cloned`, not a system voice) [DOC:list_voices example]. */
export const CLONED_VOICE_ID = voiceId(7);
/** A personal voice never trained (state `init`): listed with voice_state init|all; speech refuses it (ASSUMPTION). */
export const INIT_VOICE_ID = voiceId(8);
export const UNKNOWN_VOICE_ID = '7570999999999999999';

/** response_format values [DOC:text_to_speech] [OAS] [PY:cozepy/audio/speech/__init__.py]. */
export type SpeechFormat = 'mp3' | 'wav' | 'pcm' | 'ogg_opus';
export const SPEECH_FORMATS: readonly SpeechFormat[] = Object.freeze(['mp3', 'wav', 'pcm', 'ogg_opus']);
/** sample_rate values (default 24000) [DOC:text_to_speech]. */
export const SPEECH_SAMPLE_RATES: readonly number[] = Object.freeze([8000, 16000, 22050, 24000, 32000, 44100, 48000]);
/** emotion values [DOC:text_to_speech]. */
export const SPEECH_EMOTIONS: readonly string[] = Object.freeze(['happy', 'sad', 'angry', 'surprised', 'fear', 'hate', 'excited', 'coldness', 'neutral']);

export interface Voice {
	voice_id: string;
	name: string;
	is_system_voice: boolean;
	model_type: 'big' | 'small';
	model_name: string;
	state: 'init' | 'cloned';
	language_code: string;
	language_name: string;
	preview_text: string;
	preview_audio: string;
	available_training_times: number;
	create_time: number;
	update_time: number;
	/** Multi-emotion voices only [DOC:list_voices]. */
	support_emotions?: Array<{ emotion: string; display_name: string; emotion_scale_interval: { min: number; max: number; default: number } }>;
}

const T0 = 1767225600; // 2026-01-01T00:00:00Z

function voice(n: number, name: string, system: boolean, model: 'big' | 'small', lang: 'zh' | 'en', extra: Partial<Voice> = {}): Voice {
	return {
		voice_id: voiceId(n),
		name,
		is_system_voice: system,
		model_type: model,
		model_name: model === 'big' ? 'emulator-tts-big' : 'emulator-tts-small',
		state: 'cloned',
		language_code: lang,
		language_name: lang === 'zh' ? '中文' : 'English',
		preview_text: lang === 'zh' ? '你好，我是扣子模拟器。' : 'Hello, I am the Coze emulator.',
		preview_audio: `https://coze-emulator.invalid/voice/${voiceId(n)}.mp3`,
		available_training_times: system ? 0 : 6,
		create_time: T0 + n * 60,
		update_time: T0 + n * 60,
		...extra,
	};
}

const EMOTIONS: Voice['support_emotions'] = [
	{ emotion: 'happy', display_name: '开心', emotion_scale_interval: { min: 1, max: 5, default: 4 } },
	{ emotion: 'sad', display_name: '悲伤', emotion_scale_interval: { min: 1, max: 5, default: 4 } },
	{ emotion: 'neutral', display_name: '中性', emotion_scale_interval: { min: 1, max: 5, default: 4 } },
];

export const DEFAULT_VOICES: readonly Voice[] = Object.freeze([
	voice(1, '爽快思思 Emotional', true, 'big', 'zh', { support_emotions: EMOTIONS }),
	voice(2, '温暖阿虎', true, 'big', 'zh'),
	voice(3, 'Smooth Alvin', true, 'big', 'en'),
	voice(4, '通用女声', true, 'small', 'zh'),
	voice(5, '通用男声', true, 'small', 'zh'),
	voice(6, 'Narrator', true, 'small', 'en'),
	voice(7, 'jay', false, 'big', 'zh'),
	voice(8, 'untrained', false, 'big', 'zh', { state: 'init', available_training_times: 10 }),
]);

export function newDefaultVoices(): Voice[] {
	return DEFAULT_VOICES.map((v) => JSON.parse(JSON.stringify(v)) as Voice);
}

export interface AudioOptions {
	/** Speech audio bytes per input character (code point); the answer is at least its container's header. */
	speechBytesPerChar: number;
	/** Max UTF-8 bytes of `input` (1024 [DOC:text_to_speech] [PY]; coze-js says characters). */
	maxSpeechInputBytes: number;
	/** HTTP status of speech / transcription / voices refusals (sources: JSON code≠0; status UNKNOWN, default 200). */
	errorStatus: number;
	/** Content-Type per format: mp3 audio/mpeg [PY:tests/test_audio_speech.py]; the others UNKNOWN (variants e.g. audio/x-wav, application/octet-stream). */
	speechContentTypes: Record<SpeechFormat, string>;
	/** Max transcription file bytes (10 MB [DOC:audio_transcriptions]); raise it for big benches. */
	maxTranscriptionBytes: number;
}

export const DEFAULT_AUDIO_OPTIONS: Readonly<AudioOptions> = Object.freeze({
	speechBytesPerChar: 400,
	maxSpeechInputBytes: 1024,
	errorStatus: 200,
	speechContentTypes: Object.freeze({ mp3: 'audio/mpeg', wav: 'audio/wav', pcm: 'audio/pcm', ogg_opus: 'audio/ogg' }) as Record<SpeechFormat, string>,
	maxTranscriptionBytes: 10 * 1024 * 1024,
});

export function checkAudioOptions(o: AudioOptions): void {
	for (const k of ['speechBytesPerChar', 'maxSpeechInputBytes', 'maxTranscriptionBytes'] as const) {
		if (!(Number.isInteger(o[k]) && o[k] >= 0)) throw new RangeError(`audioOptions.${k} must be an integer >= 0`);
	}
	if (!(Number.isInteger(o.errorStatus) && o.errorStatus >= 200 && o.errorStatus <= 599)) throw new RangeError('audioOptions.errorStatus must be an HTTP status');
	for (const f of SPEECH_FORMATS) if (typeof o.speechContentTypes?.[f] !== 'string') throw new TypeError(`audioOptions.speechContentTypes.${f} must be a string`);
}

export type AudioEndpoint = 'speech' | 'transcriptions' | 'voices';

/**
 * Audio faults (queueAudioFaults), consumed one per authenticated request of their endpoint, before it is checked:
 * - `error`: JSON `{code (default 5000), msg, detail}` with HTTP `status` (default 200);
 * - `endlessAudio` (speech): HTTP 200 with the format's audio Content-Type, no Content-Length, bytes without end as
 *   fast as the client reads (`chunkBytes`, default 64 KiB);
 * - `oversizedAudio` (speech): a complete answer of `bytes` bytes (a valid header carrying the input, then zeros),
 *   streamed with its Content-Length (`contentLength: false` → chunked);
 * - `trickle`: status line and headers (speech: audio; others: JSON), then one byte every `intervalMs` (1000), never the end;
 * - `silence`: nothing for `ms` milliseconds, then the normal answer; without `ms` never any answer.
 * Not Coze's behaviour (except `error`): a broken or hostile server's.
 */
export type AudioFault =
	| { kind: 'error'; code?: number; msg?: string; status?: number }
	| { kind: 'endlessAudio'; chunkBytes?: number }
	| { kind: 'oversizedAudio'; bytes: number; contentLength?: boolean }
	| { kind: 'trickle'; intervalMs?: number }
	| { kind: 'silence'; ms?: number };

export function checkAudioFaults(endpoint: AudioEndpoint, faults: AudioFault[]): void {
	if (!['speech', 'transcriptions', 'voices'].includes(endpoint)) throw new TypeError(`unknown audio endpoint ${String(endpoint)}`);
	if (!Array.isArray(faults)) throw new TypeError('faults must be an array');
	const posInt = (v: unknown): boolean => v === undefined || (Number.isInteger(v) && (v as number) > 0);
	for (const f of faults) {
		switch (f.kind) {
			case 'error':
				if (f.code !== undefined && (!Number.isInteger(f.code) || f.code === 0)) throw new RangeError('error: code must be a non-zero integer');
				break;
			case 'endlessAudio':
			case 'oversizedAudio':
				if (endpoint !== 'speech') throw new TypeError(`${f.kind} is a speech fault`);
				if (f.kind === 'endlessAudio' && !posInt(f.chunkBytes)) throw new RangeError('endlessAudio: chunkBytes must be an integer > 0');
				if (f.kind === 'oversizedAudio' && !(Number.isInteger(f.bytes) && f.bytes > 0)) throw new RangeError('oversizedAudio: bytes must be an integer > 0');
				break;
			case 'trickle':
				if (!posInt(f.intervalMs)) throw new RangeError('trickle: intervalMs must be an integer > 0');
				break;
			case 'silence':
				if (f.ms !== undefined && !(Number.isFinite(f.ms) && f.ms >= 0)) throw new RangeError('silence: ms must be >= 0');
				break;
			default:
				throw new TypeError(`unknown audio fault kind ${String((f as { kind?: unknown }).kind)}`);
		}
	}
}

/** One POST /v1/audio/speech the emulator received (CozeEmulator.speechRequests). */
export interface SpeechRecord {
	input: unknown;
	voiceId: unknown;
	/** As sent (undefined when absent; the answer then defaults to mp3). */
	responseFormat: unknown;
	speed: unknown;
	sampleRate: unknown;
	emotion?: unknown;
	emotionScale?: unknown;
	loudnessRate?: unknown;
	contextTexts?: unknown;
	/** Body bytes answered (0 for refusals and faults without a complete body). */
	bytes: number;
	refused?: { code: number; msg: string };
	fault?: AudioFault['kind'];
}

/** One POST /v1/audio/transcriptions (CozeEmulator.transcriptionRequests). */
export interface TranscriptionRecord {
	fileName: string;
	contentType: string;
	bytes: number;
	sha256: string;
	/** The file carried the emulator's speech marker (its text is the answer). */
	fromSpeech: boolean;
	text?: string;
	refused?: { code: number; msg: string };
	fault?: AudioFault['kind'];
}

export interface AudioState {
	voices: Voice[];
	options: AudioOptions;
	readonly faults: Record<AudioEndpoint, AudioFault[]>;
	readonly speech: SpeechRecord[];
	readonly transcriptions: TranscriptionRecord[];
}
