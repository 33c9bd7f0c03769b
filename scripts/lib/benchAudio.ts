/**
 * The memory measures of `npm run bench` for files: Speech to Text of a 50 MB audio file, Text
 * to Speech of a text whose audio is about 50 MB, and Add Document of an 11 MB text file to a
 * knowledge base on Coze cloud (its base64 inside the JSON body). Each is the peak of heap +
 * external over a baseline taken once the input item exists (the file already held by n8n, as
 * n8n holds binary data in memory: a base64 string), divided by the file's size.
 *
 * The emulator runs in a process of its own for these: in-process, its server would hold the
 * request body several times (its chunks, their join, a UTF-8 string of it for the request
 * log, and for uploads the multipart part or the decoded base64), all counted as the node's.
 */
import type { ChildProcess } from 'node:child_process';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { AudioOptions } from '../../test/emulator/audioCatalogue';
import type { KnowledgeOptions } from '../../test/emulator/knowledgeCatalogue';
import { TEXT_DATASET_ID } from '../../test/emulator/knowledgeCatalogue';
import { AGENT_NODE_TYPE, runCozeNode } from '../../test/harness/engine';

const MB = 1024 * 1024;
/** Coze cloud's first system voice in the emulator (audioCatalogue.ts DEFAULT_VOICE_ID). */
const VOICE_ID = '7570000000000000001';

export interface FileMeasure {
	/** Peak heap + external over the baseline, in bytes. */
	peakBytes: number;
	/** The file's size in bytes (input for uploads, output for speech). */
	fileBytes: number;
	ratio: number;
}

type PeakMemory = <T>(work: () => Promise<T>) => Promise<{ peakBytes: number; result: T }>;

export interface RemoteEmulator {
	url: string;
	child: ChildProcess;
}

/** Sets options of the emulator in its own process (cli.ts answers `configure` over IPC). */
export async function configureRemote(child: ChildProcess, options: { audioOptions?: Partial<AudioOptions>; knowledgeOptions?: Partial<KnowledgeOptions> }): Promise<void> {
	await new Promise<void>((resolve) => {
		child.once('message', () => resolve());
		child.send({ type: 'configure', ...options });
	});
}

/**
 * Collects garbage until memory stops falling. V8 frees the memory of dead Buffers on a
 * background thread after a collection, so right after `gc()` the `external` figure still
 * counts the buffers the input was made from; a baseline taken then would hide as much of the
 * node's own memory.
 */
export async function settle(): Promise<void> {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) return;
	let last = Infinity;
	for (let round = 0; round < 20; round++) {
		gc();
		await new Promise((resolve) => setTimeout(resolve, 25));
		const m = process.memoryUsage();
		const used = m.heapUsed + m.external;
		if (last - used < MB) return;
		last = used;
	}
}

/** One item with one binary property, held as n8n holds binary data in memory (base64). */
function binaryItem(bytes: number, fileName: string, mimeType: string, fill: (file: Buffer) => void): INodeExecutionData {
	const file = Buffer.alloc(bytes);
	fill(file);
	return { json: {}, binary: { data: { data: file.toString('base64'), mimeType, fileName, fileExtension: fileName.split('.').pop() } } };
}

async function runOne(emulator: RemoteEmulator, token: string, parameters: INodeParameters, inputItems: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const outcome = await runCozeNode({
		items: [],
		inputItems,
		nodeType: AGENT_NODE_TYPE,
		parameters,
		credentials: { region: 'custom', baseUrl: emulator.url, accessToken: token },
	});
	if (outcome.status !== 'success' || outcome.output.length === 0) throw new Error(`the node failed: ${outcome.error?.message ?? outcome.status}`);
	return outcome.output;
}

/** Speech to Text of a 50 MB file (the emulator's 10 MB limit raised for it). */
export async function measureSpeechToText(emulator: RemoteEmulator, token: string, peakMemory: PeakMemory): Promise<FileMeasure> {
	const fileBytes = 50 * MB;
	await configureRemote(emulator.child, { audioOptions: { maxTranscriptionBytes: fileBytes } });
	const input = [binaryItem(fileBytes, 'speech.mp3', 'audio/mpeg', (file) => file.fill(0x55))];
	const parameters: INodeParameters = { resource: 'audio', operation: 'speechToText', binaryPropertyName: 'data', options: {} };
	await settle();
	const { peakBytes, result } = await peakMemory(() => runOne(emulator, token, parameters, input));
	const json = result[0].json as IDataObject;
	if (json.bytes !== fileBytes) throw new Error(`speech to text sent ${String(json.bytes)} bytes, not ${fileBytes}`);
	return { peakBytes, fileBytes, ratio: peakBytes / fileBytes };
}

/**
 * Text to Speech of a text of about 200 000 characters, read in about 200 pieces of at most 1024
 * bytes, at 256 bytes of audio per character: one MP3 file of about 50 MB.
 */
export async function measureTextToSpeech(emulator: RemoteEmulator, token: string, peakMemory: PeakMemory): Promise<FileMeasure & { pieces: number }> {
	const bytesPerChar = 256;
	await configureRemote(emulator.child, { audioOptions: { speechBytesPerChar: bytesPerChar } });
	const sentence = 'The emulator reads this sentence aloud as silence, one piece of the text after another. ';
	const text = sentence.repeat(Math.ceil((50 * MB) / bytesPerChar / sentence.length));
	const parameters: INodeParameters = {
		resource: 'audio',
		operation: 'textToSpeech',
		text,
		voiceId: VOICE_ID,
		format: 'mp3',
		speed: 1,
		options: { maxAnswerSize: 64 },
	};
	await settle();
	const { peakBytes, result } = await peakMemory(() => runOne(emulator, token, parameters, [{ json: {} }]));
	const json = result[0].json as IDataObject;
	const fileBytes = Number(json.bytes);
	return { peakBytes, fileBytes, ratio: peakBytes / fileBytes, pieces: Number(json.pieces) };
}

/**
 * Add Document of an 11 MB text file to a text knowledge base on Coze cloud: the largest whole
 * number of MB whose base64 JSON body (14.7 MB) stays under Coze's 15 MB request cap.
 */
export async function measureAddDocument(emulator: RemoteEmulator, token: string, peakMemory: PeakMemory): Promise<FileMeasure> {
	const fileBytes = 11 * MB;
	await configureRemote(emulator.child, { knowledgeOptions: { processingPolls: 0 } });
	const line = Buffer.from('A line of the handbook, added to the knowledge base as a text document.\n', 'latin1');
	const input = [binaryItem(fileBytes, 'handbook.txt', 'text/plain', (file) => file.fill(line))];
	const parameters: INodeParameters = {
		resource: 'knowledgeBase',
		operation: 'addDocument',
		knowledgeBaseId: TEXT_DATASET_ID,
		source: 'file',
		binaryPropertyName: 'data',
		options: { pollInterval: 0.5 },
	};
	await settle();
	const { peakBytes, result } = await peakMemory(() => runOne(emulator, token, parameters, input));
	if (!result[0].json.document_id) throw new Error(`add document returned no document_id: ${JSON.stringify(result[0].json).slice(0, 300)}`);
	return { peakBytes, fileBytes, ratio: peakBytes / fileBytes };
}
