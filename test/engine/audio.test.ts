/**
 * The Coze node's Audio resource in n8n's engine against the emulator (Coze cloud): Text to
 * Speech in every format as binary data, a long text in pieces joined into one file that Speech
 * to Text reads back whole, List Voices and the editor's voice list; Coze Studio refuses them all.
 * Faults (Max Answer Size, Timeout, Coze's errors): audioFaults.test.ts.
 */
import type { IDataObject, INodeExecutionData, INodeParameters, INodePropertyOptions } from 'n8n-workflow';

import type { Voice } from '../emulator';
import { CLONED_VOICE_ID, DEFAULT_VOICE_ID, DEFAULT_VOICES, INIT_VOICE_ID, SMALL_VOICE_ID, speechTextOf, speechTextsOf } from '../emulator';
import { wavParts } from '../harness/wav';
import { cozeParameters } from '../harness/agents';
import { callNodeMethod } from '../harness/engine';
import { useNodeRuns } from '../harness/nodeRuns';
import { binaryItem } from '../harness/parameters';

const TOKEN = 'pat_audio_secret_token_0123456789';

const speech = (text: string, fields: INodeParameters = {}, options: IDataObject = {}) =>
	cozeParameters('audio', 'textToSpeech', { text, voiceId: DEFAULT_VOICE_ID, format: 'mp3', speed: 1, ...fields }, options);

/** The bytes of an output item's binary property. */
function bytesOf(item: INodeExecutionData, property = 'data'): Buffer {
	const binary = item.binary?.[property];
	if (!binary) throw new Error(`no binary property ${property}`);
	return Buffer.from(binary.data, 'base64');
}

/** A text of about `bytes` UTF-8 bytes, in sentences, Chinese and English mixed. */
function longText(bytes: number): string {
	const sentences: string[] = [];
	for (let n = 0; Buffer.byteLength(sentences.join(' ')) < bytes; n++) sentences.push(n % 2 ? `第${n}句：您的订单已经发货，明天送达。` : `Sentence ${n}: your order has shipped and arrives tomorrow.`);
	return sentences.join(' ');
}

describe('Coze → Audio', () => {
	const { emulators, run, credentialsFor } = useNodeRuns(TOKEN);

	it.each([
		['mp3', 'audio/mpeg', 'speech.mp3', 'mp3'],
		['wav', 'audio/wav', 'speech.wav', 'wav'],
		['pcm', 'audio/L16', 'speech.pcm', 'pcm'],
		['ogg_opus', 'audio/ogg', 'speech.ogg', 'ogg'],
	])('reads a text aloud as %s, in binary data with its MIME type, name and extension', async (format, mimeType, fileName, extension) => {
		const outcome = await run('cloud', speech('您好，订单已发货。', { format, speed: 1.5 }, { sampleRate: 16000 }));
		expect(outcome.error).toBeUndefined();
		const [item] = outcome.output;
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.binary?.data).toMatchObject({ mimeType, fileName, fileExtension: extension });
		const audio = bytesOf(item);
		expect(speechTextOf(audio)).toBe('您好，订单已发货。');
		expect(item.json).toMatchObject({ voice_id: DEFAULT_VOICE_ID, format, speed: 1.5, characters: 9, pieces: 1, bytes: audio.length, file_name: fileName });
		expect(emulators.cloud.speechRequests.map((request) => [request.input, request.voiceId, request.responseFormat, request.speed, request.sampleRate])).toEqual([
			['您好，订单已发货。', DEFAULT_VOICE_ID, format, 1.5, 16000],
		]);
		expect(emulators.cloud.speechRequests[0].bytes).toBe(audio.length);
		if (format === 'wav') expect(audio.toString('latin1', 0, 4)).toBe('RIFF');
	});

	it('puts the audio in the chosen binary field under the chosen file name, and sends no sample rate unless set', async () => {
		const outcome = await run('cloud', speech('Hi', {}, { binaryPropertyName: ' voice ', fileName: 'greeting.mp3' }));
		expect(Object.keys(outcome.output[0].binary ?? {})).toEqual(['voice']);
		expect(outcome.output[0].binary?.voice).toMatchObject({ fileName: 'greeting.mp3', mimeType: 'audio/mpeg' });
		expect(speechTextOf(bytesOf(outcome.output[0], 'voice'))).toBe('Hi');
		expect(emulators.cloud.requests.find((request) => request.path === '/v1/audio/speech')?.body).toEqual({ input: 'Hi', voice_id: DEFAULT_VOICE_ID, response_format: 'mp3', speed: 1 });
	});

	it.each(['mp3', 'wav', 'pcm', 'ogg_opus'])('reads a 20 KB text in pieces of at most 1024 bytes, joined into one %s file Speech to Text reads back whole', async (format) => {
		const text = longText(20_000);
		const outcome = await run('cloud', speech(text, { format }));
		expect(outcome.error).toBeUndefined();
		const inputs = emulators.cloud.speechRequests.map((request) => String(request.input));
		expect(inputs.length).toBeGreaterThanOrEqual(20);
		expect(inputs.every((input) => Buffer.byteLength(input, 'utf8') <= 1024)).toBe(true);
		expect(inputs.join(' ')).toBe(text);
		expect(outcome.output[0].json).toMatchObject({ pieces: inputs.length, characters: [...text].length });
		const audio = bytesOf(outcome.output[0]);
		const answered = emulators.cloud.speechRequests.map((request) => request.bytes);
		const total = answered.reduce((sum, bytes) => sum + bytes, 0);
		if (format !== 'wav') expect(audio.length).toBe(total);
		else {
			// One RIFF header whose sizes cover every piece's samples.
			expect(audio.toString('latin1').split('RIFF')).toHaveLength(2);
			const parts = wavParts(audio);
			const header = parts?.header.length ?? 0;
			expect(header).toBeGreaterThan(12);
			expect(audio.length).toBe(total - (inputs.length - 1) * header);
			expect(audio.readUInt32LE(4)).toBe(audio.length - 8);
			expect(parts?.header.readUInt32LE(header - 4)).toBe(audio.length - header);
		}
		expect(speechTextsOf(audio)).toEqual(inputs);
		const heard = await run('cloud', cozeParameters('audio', 'speechToText', { binaryPropertyName: 'data' }), [], { inputItems: [outcome.output[0]] });
		expect(heard.error).toBeUndefined();
		expect(heard.output[0].json).toMatchObject({ text, file_name: `speech.${format === 'ogg_opus' ? 'ogg' : format}`, bytes: audio.length });
		expect(emulators.cloud.transcriptionRequests[0]).toMatchObject({ fromSpeech: true, bytes: audio.length, fileName: `speech.${format === 'ogg_opus' ? 'ogg' : format}`, contentType: { mp3: 'audio/mpeg', wav: 'audio/wav', pcm: 'audio/L16', ogg_opus: 'audio/ogg' }[format] });
	});

	it('transcribes audio from binary data, and names a missing binary field and the ones the item has', async () => {
		const file = { name: '留言.mp3', mime: 'audio/mpeg', bytes: Buffer.from('ID3 fake audio') };
		const heard = await run('cloud', cozeParameters('audio', 'speechToText', { binaryPropertyName: 'voice' }), [], { inputItems: [binaryItem({}, { voice: file })] });
		expect(heard.error).toBeUndefined();
		expect(heard.output[0].json).toMatchObject({ text: 'transcribed 14 bytes of 留言.mp3', file_name: '留言.mp3', bytes: 14, logid: expect.any(String) });
		expect(emulators.cloud.transcriptionRequests[0]).toMatchObject({ fileName: '留言.mp3', contentType: 'audio/mpeg', bytes: 14, fromSpeech: false });
		const missing = await run('cloud', cozeParameters('audio', 'speechToText', { binaryPropertyName: 'data' }), [], { inputItems: [binaryItem({}, { voice: file, photo: file })] });
		expect(missing.error?.message).toBe('The item has no binary property "data" for speech to text');
		expect(missing.error?.description).toBe('Binary properties of this item: voice, photo.');
		const none = await run('cloud', cozeParameters('audio', 'speechToText', { binaryPropertyName: 'data' }));
		expect(none.error?.description).toContain('This item carries no binary data');
		expect(emulators.cloud.transcriptionRequests).toHaveLength(1);
	});

	it("quotes Coze's refusal of a file larger than it transcribes", async () => {
		emulators.cloud.setAudioOptions({ maxTranscriptionBytes: 1000 });
		const outcome = await run('cloud', cozeParameters('audio', 'speechToText', { binaryPropertyName: 'data' }), [], {
			inputItems: [binaryItem({}, { data: { name: 'long.wav', mime: 'audio/wav', bytes: Buffer.alloc(2000) } })],
		});
		expect(outcome.error?.message).toMatch(/\(Coze code 4302\) for the audio "long\.wav"$/);
		expect(outcome.error?.description).toContain('The file size exceeds the limit (1000 bytes).');
		expect(emulators.cloud.transcriptionRequests).toHaveLength(1);
	});

	it('lists voices page by page until has_more is false, only own ones or one model type when asked', async () => {
		const many: Voice[] = Array.from({ length: 130 }, (_, n) => ({ ...DEFAULT_VOICES[1], voice_id: (7570000000000001000n + BigInt(n)).toString(), name: `Voice ${n}` }));
		emulators.cloud.setVoices([...DEFAULT_VOICES.map((voice) => ({ ...voice })), ...many]);
		const all = await run('cloud', cozeParameters('audio', 'listVoices', { returnAll: true }));
		expect(all.error).toBeUndefined();
		// The untrained voice is not listed (Coze lists cloned voices by default).
		expect(all.output).toHaveLength(137);
		expect(all.output.map((item) => item.json.voice_id)).not.toContain(INIT_VOICE_ID);
		const pages = emulators.cloud.requests.filter((request) => request.path === '/v1/audio/voices').map((request) => request.query);
		expect(pages).toEqual([
			{ page_num: '1', page_size: '100' },
			{ page_num: '2', page_size: '100' },
		]);
		const own = await run('cloud', cozeParameters('audio', 'listVoices', { returnAll: true }, { ownVoicesOnly: true }));
		expect(own.output.map((item) => item.json.voice_id)).toEqual([CLONED_VOICE_ID]);
		expect(emulators.cloud.requests.at(-1)?.query).toEqual({ page_num: '1', page_size: '100', filter_system_voice: 'true' });
		emulators.cloud.setVoices(DEFAULT_VOICES.map((voice) => ({ ...voice })));
		const small = await run('cloud', cozeParameters('audio', 'listVoices', { returnAll: false, limit: 2 }, { modelType: 'small' }));
		expect(small.output.map((item) => item.json.voice_id)).toEqual([SMALL_VOICE_ID, DEFAULT_VOICES[4].voice_id]);
		expect(small.output.every((item) => item.json.model_type === 'small')).toBe(true);
		expect(emulators.cloud.requests.at(-1)?.query).toEqual({ page_num: '1', page_size: '100', model_type: 'small' });
	});

	it("the editor's voice list names each voice with its language, cloned voices said so; Coze Studio's says it has none", async () => {
		const voices = await callNodeMethod<INodePropertyOptions[]>('loadOptions', 'getVoices', { resource: 'audio', operation: 'textToSpeech' }, credentialsFor('cloud'));
		expect(voices[0]).toEqual({ name: '爽快思思 Emotional (中文)', value: DEFAULT_VOICE_ID, description: undefined });
		expect(voices.find((voice) => voice.value === CLONED_VOICE_ID)).toEqual({ name: 'jay (中文)', value: CLONED_VOICE_ID, description: 'Cloned voice' });
		expect(voices).toHaveLength(7);
		const studio = await callNodeMethod<INodePropertyOptions[]>('loadOptions', 'getVoices', { resource: 'audio', operation: 'textToSpeech' }, credentialsFor('studio'));
		expect(studio).toEqual([{ name: 'Coze Studio Has No Speech Endpoints', value: '' }]);
		expect(emulators.studio.requests).toHaveLength(0);
	});

	it.each([
		['textToSpeech', { text: 'hi', voiceId: DEFAULT_VOICE_ID, format: 'mp3', speed: 1 }, 'Coze Studio cannot turn text into speech'],
		['speechToText', { binaryPropertyName: 'data' }, 'Coze Studio cannot turn speech into text'],
		['listVoices', { returnAll: true }, 'Coze Studio cannot list voices'],
	])('on Coze Studio, %s says what Studio lacks, before sending anything', async (operation, fields, message) => {
		const outcome = await run('studio', cozeParameters('audio', operation, fields), [], {
			inputItems: [binaryItem({}, { data: { name: 'a.mp3', mime: 'audio/mpeg', bytes: Buffer.from('x') } })],
		});
		expect(outcome.error?.message).toBe(message);
		expect(outcome.error?.description).toMatch(/^Coze Studio's Open API has no endpoint for this\. /);
		expect(emulators.studio.requests).toHaveLength(0);
	});
});
