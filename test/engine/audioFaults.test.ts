/**
 * What goes wrong around the Coze node's Audio resource, in n8n's engine against the emulator:
 * Coze's refusals (an unknown voice, speed out of range, code ≠ 0 in HTTP 200), audio without
 * end (Max Answer Size), an answer that trickles or never comes (Timeout), and how often a
 * failed request is sent again (Max Attempts).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DEFAULT_VOICE_ID, UNKNOWN_VOICE_ID } from '../emulator';
import { cozeParameters } from '../harness/agents';
import { useNodeRuns } from '../harness/nodeRuns';
import { binaryItem, expectPairedInOrder, MARGIN_MS } from '../harness/parameters';

const TOKEN = 'pat_audio_faults_secret_token_0123456789';

const speech = (text: string, fields: INodeParameters = {}, options: IDataObject = {}) =>
	cozeParameters('audio', 'textToSpeech', { text, voiceId: DEFAULT_VOICE_ID, format: 'mp3', speed: 1, ...fields }, options);

describe('Coze → Audio, when things go wrong', () => {
	const { emulators, run } = useNodeRuns(TOKEN);

	it("explains Coze's refusal of an unknown voice, quoting Coze", async () => {
		const outcome = await run('cloud', speech('hi', { voiceId: UNKNOWN_VOICE_ID }));
		expect(outcome.error?.message).toBe('Coze rejected the speech request (Coze code 4000)');
		expect(outcome.error?.description).toContain(`voice_id ${UNKNOWN_VOICE_ID} not found`);
		expect(outcome.error?.description).toContain('Check the voice ID (List Voices)');
		expect(emulators.cloud.speechRequests).toHaveLength(1);
	});

	it('refuses a speed out of range before sending anything; Coze refuses one its voice cannot take', async () => {
		const tooFast = await run('cloud', speech('hi', { speed: 3.5 }));
		expect(tooFast.error?.message).toBe('The Speed "3.5" is out of range');
		expect(tooFast.error?.description).toBe('Coze reads at 0.2 to 3 times normal speed; 1 is normal.');
		const tooSlow = await run('cloud', speech('hi', { speed: 0.1 }));
		expect(tooSlow.error?.message).toBe('The Speed "0.1" is out of range');
		expect(emulators.cloud.requests).toHaveLength(0);
		// A big-model voice reads at 0.5 to 2 only.
		const forTheVoice = await run('cloud', speech('hi', { speed: 2.5 }));
		expect(forTheVoice.error?.message).toBe('Coze rejected the speech request (Coze code 4000)');
		expect(forTheVoice.error?.description).toContain('speed must be within 0.5-2 for this voice');
	});

	it('a code ≠ 0 in a JSON answer of HTTP 200 is an error, never saved as audio, and names the piece of a long text', async () => {
		emulators.cloud.queueAudioFaults('speech', [{ kind: 'error', code: 4000, msg: 'input contains unsupported characters' }]);
		const outcome = await run('cloud', speech('hello'));
		expect(outcome.output).toHaveLength(0);
		expect(outcome.error?.message).toBe('Coze rejected the speech request (Coze code 4000)');
		expect(outcome.error?.description).toContain('input contains unsupported characters');

		const text = Array.from({ length: 60 }, (_, n) => `Sentence number ${n} of a long text.`).join(' ');
		emulators.cloud.queueAudioFaults('speech', [{ kind: 'error', code: 4000, msg: 'fine' }]);
		emulators.cloud.speechRequests.length = 0;
		// The first piece fails: nothing else is sent.
		const long = await run('cloud', speech(text));
		expect(long.error?.message).toMatch(/^Coze rejected the speech request \(Coze code 4000\) \(piece 1 of 3 of the text\)$/);
		expect(emulators.cloud.speechRequests).toHaveLength(1);
	});

	it('under Continue On Fail, the item Coze refused is one error item in its place, the others read in order', async () => {
		const outcome = await run('cloud', speech('={{ $json.text }}', { voiceId: '={{ $json.voice }}' }), [
			{ text: 'one', voice: DEFAULT_VOICE_ID },
			{ text: 'two', voice: UNKNOWN_VOICE_ID },
			{ text: 'three', voice: DEFAULT_VOICE_ID },
		], { continueOnFail: true });
		expect(outcome.error).toBeUndefined();
		expectPairedInOrder(outcome, 3);
		expect(outcome.output.map((item) => Object.keys(item.binary ?? {}))).toEqual([['data'], [], ['data']]);
		expect(outcome.output[1].json).toMatchObject({ error: 'Coze rejected the speech request (Coze code 4000)', description: expect.stringContaining('not found') });
	});

	it('audio without end stops at Max Answer Size, in bounded time', async () => {
		emulators.cloud.queueAudioFaults('speech', [{ kind: 'endlessAudio' }]);
		const started = Date.now();
		const outcome = await run('cloud', speech('hello', {}, { maxAnswerSize: 1 }));
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(outcome.error?.message).toMatch(/Max Answer Size/);
		expect(outcome.error?.message).toMatch(/1 MB/);
		expect(outcome.output).toHaveLength(0);
		// A longer answer is no reason to ask again.
		expect(emulators.cloud.speechRequests).toHaveLength(1);
	});

	it('a whole text whose pieces pass Max Answer Size together says so', async () => {
		// About 0.6 MB of audio per piece: the second piece passes 1 MB.
		emulators.cloud.setAudioOptions({ speechBytesPerChar: 700 });
		const text = Array.from({ length: 90 }, (_, n) => `Sentence number ${n} of a long text.`).join(' ');
		const outcome = await run('cloud', speech(text, {}, { maxAnswerSize: 1 }));
		expect(outcome.error?.message).toMatch(/Max Answer Size.*\(piece 2 of \d of the text\)$/);
		expect(outcome.error?.description).toBe('The audio of the whole text passed 1 MB. Raise Max Answer Size, or send a shorter text.');
	});

	it.each([
		['trickle', { kind: 'trickle' as const, intervalMs: 200 }],
		['silence', { kind: 'silence' as const }],
	])('a %s answer is stopped at Timeout, and not sent again more often than Max Attempts allows', async (_name, fault) => {
		emulators.cloud.queueAudioFaults('speech', [fault, fault, fault, fault, fault]);
		const started = Date.now();
		const outcome = await run('cloud', speech('hello', {}, { timeout: 2, maxAttempts: 2 }));
		const took = Date.now() - started;
		expect(outcome.error?.message).toBe('Coze did not answer within 2 s');
		expect(took).toBeGreaterThanOrEqual(1900);
		expect(took).toBeLessThan(2000 + MARGIN_MS);
		expect(emulators.cloud.speechRequests.length).toBeGreaterThanOrEqual(1);
		expect(emulators.cloud.speechRequests.length).toBeLessThanOrEqual(2);
	});

	it('a transcription that never answers is stopped at Timeout, naming the audio', async () => {
		emulators.cloud.queueAudioFaults('transcriptions', [{ kind: 'silence' }, { kind: 'silence' }]);
		const started = Date.now();
		const outcome = await run('cloud', cozeParameters('audio', 'speechToText', { binaryPropertyName: 'data' }, { timeout: 2 }), [], {
			inputItems: [binaryItem({}, { data: { name: 'a.mp3', mime: 'audio/mpeg', bytes: Buffer.from('ID3') } })],
		});
		expect(Date.now() - started).toBeLessThan(2000 + MARGIN_MS);
		expect(outcome.error?.message).toBe('Coze did not answer within 2 s for the audio "a.mp3"');
		expect(emulators.cloud.transcriptionRequests.length).toBeLessThanOrEqual(2);
	});

	it("a voice list Coze fails is an error that speaks of voices, not of a workflow", async () => {
		emulators.cloud.queueAudioFaults('voices', [{ kind: 'error', code: 4100, msg: 'token invalid', status: 200 }]);
		const outcome = await run('cloud', cozeParameters('audio', 'listVoices', { returnAll: true }));
		expect(outcome.error?.message).toBe('Coze rejected the access token (Coze code 4100)');
		expect(outcome.error?.description).toContain('token invalid');
		expect(outcome.error?.description).not.toMatch(/workflow/i);
	});
});
