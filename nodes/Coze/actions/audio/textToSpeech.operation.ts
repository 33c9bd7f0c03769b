import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { synthesizeSpeech } from '../../../shared/api/audio';
import { asNodeError, cozeApiError } from '../../../shared/decoding/errors';
import { speechFileExtension, speechMimeType, speechPieces } from '../../../shared/decoding/speech';
import { SpeechAudioJoiner } from '../../../shared/decoding/speechJoin';
import { concurrencyAndRetryOptions, timeoutOption } from '../../../shared/descriptions/options';
import { WithBinary } from '../../../shared/router/eachItem';
import { getCozeConnection } from '../../../shared/transport';
import { formatMb, maxAnswerBytesOf } from '../../../shared/transport/budget';
import { msToSecondsLabel } from '../../../shared/utils/values';
import { itemParameter, optionText, requiredText, secondsOptionMs } from '../parameters';
import { refuseOnStudio } from '../studioLimits';

const SPEECH_TIMEOUT_SECONDS = 300;

const properties: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Your order has shipped and arrives tomorrow.',
		description: 'The text to read aloud. A text longer than Coze takes at once (1024 bytes) is read in pieces, cut between sentences, and comes back as one file.',
	},
	{
		displayName: 'Voice Name or ID',
		name: 'voiceId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getVoices' },
		default: '',
		required: true,
		description: 'The voice to read in. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Audio Format',
		name: 'format',
		type: 'options',
		options: [
			{ name: 'MP3', value: 'mp3' },
			{ name: 'OGG Opus', value: 'ogg_opus' },
			{ name: 'PCM (Raw 16-Bit Samples)', value: 'pcm' },
			{ name: 'WAV', value: 'wav' },
		],
		default: 'mp3',
	},
	{
		displayName: 'Speed',
		name: 'speed',
		type: 'number',
		typeOptions: { minValue: 0.2, maxValue: 3, numberPrecision: 1 },
		default: 1,
		description: 'How fast to speak, from 0.2 to 3 (1 is normal speed)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'e.g. answer.mp3',
				description: 'The name of the audio file (speech.mp3, speech.wav … after the format when not set)',
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				hint: 'The name of the output binary field to put the audio in',
			},
			{
				displayName: 'Sample Rate',
				name: 'sampleRate',
				type: 'options',
				options: [8000, 16000, 22050, 24000, 32000, 44100, 48000].map((rate) => ({ name: `${rate} Hz`, value: rate })),
				default: 24000,
			},
			timeoutOption(SPEECH_TIMEOUT_SECONDS, 'Seconds to wait for all of the audio, every piece of a long text included'),
			...concurrencyAndRetryOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['audio'], operation: ['textToSpeech'] } }, properties);

interface SpeechOptions {
	fileName?: string;
	binaryPropertyName?: string;
	sampleRate?: number;
	timeout?: number;
}

/**
 * POST /v1/audio/speech, once per piece of the text, one piece after the other (§12.1): the
 * audio as one binary file. One Timeout and one Max Answer Size cover all the pieces.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<WithBinary> {
	const node = this.getNode();
	const text = requiredText.call(this, 'text', itemIndex, 'text', 'Enter the text to read aloud, or map it from an earlier node.');
	const voiceId = requiredText.call(this, 'voiceId', itemIndex, 'voice', 'Choose a voice from the list (List Voices shows them all).');
	const format = String(itemParameter(this, 'format', itemIndex, 'mp3'));
	const speed = Number(itemParameter(this, 'speed', itemIndex, 1));
	if (!Number.isFinite(speed) || speed < 0.2 || speed > 3) {
		throw new NodeOperationError(node, `The Speed "${String(speed)}" is out of range`, { itemIndex, description: 'Coze reads at 0.2 to 3 times normal speed; 1 is normal.' });
	}
	const options = itemParameter(this, 'options', itemIndex, {}) as SpeechOptions;
	const connection = await getCozeConnection.call(this, itemIndex);
	refuseOnStudio(this, connection, itemIndex, 'turn text into speech', 'Coze Studio has no speech endpoints; use Coze cloud for Text to Speech.');

	const timeoutMs = secondsOptionMs(this, options.timeout, SPEECH_TIMEOUT_SECONDS, 'Timeout', itemIndex);
	const fileName = optionText(options.fileName) || `speech.${speechFileExtension(format)}`;
	const binaryProperty = optionText(options.binaryPropertyName) || 'data';
	const giveUpAt = Date.now() + timeoutMs;
	const maxBytes = maxAnswerBytesOf(this);
	const pieces = speechPieces(text);
	// The audio is joined as it arrives, chunk by chunk, into one buffer sized from the bytes per byte of text so far.
	const joiner = new SpeechAudioJoiner(format, 0, maxBytes);
	const sink = { restart: () => joiner.restartPiece(), write: (chunk: Buffer) => joiner.write(chunk) };
	const textBytes = pieces.map((piece) => Buffer.byteLength(piece, 'utf8'));
	const allTextBytes = textBytes.reduce((sum, n) => sum + n, 0);
	let textBytesRead = 0;
	let bytes = 0;
	let logid: string | undefined;
	for (const [index, input] of pieces.entries()) {
		const remainingMs = giveUpAt - Date.now();
		const which = pieces.length > 1 ? ` (piece ${index + 1} of ${pieces.length} of the text)` : '';
		if (remainingMs <= 0) {
			throw cozeApiError(node, {}, itemIndex, {
				summary: `Coze did not read the whole text within ${msToSecondsLabel(timeoutMs)}`,
				hint: `${index} of ${pieces.length} pieces were read. Raise Timeout, or send a shorter text.`,
			});
		}
		try {
			joiner.startPiece();
			const answer = await synthesizeSpeech.call(
				this,
				connection,
				{ input, voiceId, format, speed, sampleRate: options.sampleRate },
				{ itemIndex, timeoutMs: remainingMs, maxBytes: maxBytes - bytes, sink },
			);
			joiner.endPiece();
			bytes += answer.length;
			textBytesRead += textBytes[index];
			joiner.expect((bytes / textBytesRead) * allTextBytes);
			logid = answer.logid ?? logid;
		} catch (error) {
			if (error instanceof NodeApiError) error.message = `${error.message}${which}`;
			if (error instanceof NodeApiError && bytes > 0 && /Max Answer Size/.test(error.message)) {
				error.description = `The audio of the whole text passed ${formatMb(maxBytes)}. Raise Max Answer Size, or send a shorter text.`;
			}
			throw asNodeError(node, error, itemIndex);
		}
	}
	// Only the joined file is left when n8n stores it: at most the file and its stored copy.
	// A hostile server could echo the token into its audio: cut out of the whole file, across pieces too.
	const file = connection.scrubber.bytes(joiner.finish());
	const binary = await this.helpers.prepareBinaryData(file, fileName, speechMimeType(format));
	const json: IDataObject = { voice_id: voiceId, format, speed, characters: [...text].length, pieces: pieces.length, bytes: file.length, file_name: fileName };
	if (logid) json.logid = logid;
	return new WithBinary(json, { [binaryProperty]: binary });
}
