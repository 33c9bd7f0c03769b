/**
 * The audio part of the public CozeEmulator object (AudioEmulatorApi), attached by index.ts;
 * `resetAudio` is what `reset()` does for it.
 */
import type { AudioEndpoint, AudioFault, AudioOptions, AudioState, SpeechRecord, TranscriptionRecord, Voice } from './audioCatalogue';
import { checkAudioFaults, checkAudioOptions, DEFAULT_AUDIO_OPTIONS, newDefaultVoices } from './audioCatalogue';
import { clone } from './catalogue';
import type { EmulatorState } from './core';

export interface AudioStartOptions {
	/** Initial voices, also restored by `reset()` (default DEFAULT_VOICES). */
	voices?: Voice[];
	/** Over DEFAULT_AUDIO_OPTIONS, also restored by `reset()`. */
	audioOptions?: Partial<AudioOptions>;
}

/** The audio part of CozeEmulator (cloud routes; a Studio emulator has the same members but no routes). */
export interface AudioEmulatorApi {
	/** The voices of GET /v1/audio/voices (a copy). */
	readonly voices: Voice[];
	setVoices(voices: Voice[]): void;
	readonly audioOptions: AudioOptions;
	/** Changes some options (the others stay); `reset()` restores the start values. */
	setAudioOptions(opts: Partial<AudioOptions>): void;
	/** Every authenticated POST /v1/audio/speech, in arrival order (live array). */
	readonly speechRequests: SpeechRecord[];
	/** Every authenticated POST /v1/audio/transcriptions, in arrival order (live array). */
	readonly transcriptionRequests: TranscriptionRecord[];
	/** Queues faults for the next requests of an audio endpoint (audioCatalogue.ts AudioFault). */
	queueAudioFaults(endpoint: AudioEndpoint, faults: AudioFault[]): void;
	queuedAudioFaults(endpoint: AudioEndpoint): AudioFault[];
}

function startOptions(opts: AudioStartOptions): AudioOptions {
	const o: AudioOptions = { ...clone(DEFAULT_AUDIO_OPTIONS), ...clone(opts.audioOptions ?? {}) };
	checkAudioOptions(o);
	return o;
}

export function newAudioState(opts: AudioStartOptions): AudioState {
	return {
		voices: opts.voices ? clone(opts.voices) : newDefaultVoices(),
		options: startOptions(opts),
		faults: { speech: [], transcriptions: [], voices: [] },
		speech: [],
		transcriptions: [],
	};
}

export function resetAudio(state: EmulatorState, opts: AudioStartOptions): void {
	const a = state.audio;
	a.voices = opts.voices ? clone(opts.voices) : newDefaultVoices();
	a.options = startOptions(opts);
	for (const q of Object.values(a.faults)) q.length = 0;
	a.speech.length = 0; // same identities as the public arrays
	a.transcriptions.length = 0;
}

export function attachAudioApi<T extends object>(target: T, state: EmulatorState): T & AudioEmulatorApi {
	const a = state.audio;
	const api: Omit<AudioEmulatorApi, 'voices' | 'audioOptions'> = {
		setVoices: (voices) => void (a.voices = clone(voices)),
		setAudioOptions: (o) => {
			const next = { ...a.options, ...clone(o) };
			checkAudioOptions(next);
			a.options = next;
		},
		speechRequests: a.speech,
		transcriptionRequests: a.transcriptions,
		queueAudioFaults: (endpoint, faults) => {
			checkAudioFaults(endpoint, faults);
			a.faults[endpoint].push(...clone(faults));
		},
		queuedAudioFaults: (endpoint) => clone(a.faults[endpoint] ?? []),
	};
	Object.assign(target, api);
	Object.defineProperty(target, 'voices', { enumerable: true, get: () => clone(a.voices) });
	Object.defineProperty(target, 'audioOptions', { enumerable: true, get: () => clone(a.options) });
	return target as T & AudioEmulatorApi;
}
