import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { transcribeSpeech } from '../../../shared/api/audio';
import { multipartBody } from '../../../shared/api/multipart';
import { binaryFileOf, UPLOAD_TIMEOUT_MS } from '../../../shared/actions/uploadBinary';
import { asNodeError } from '../../../shared/decoding/errors';
import { concurrencyAndRetryOptions, timeoutOption } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { itemParameter, requiredText, secondsOptionMs } from '../parameters';
import { refuseOnStudio } from '../studioLimits';

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data',
		hint: 'The name of the input binary field containing the audio (mp3, wav, ogg, m4a, pcm …)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [timeoutOption(UPLOAD_TIMEOUT_MS / 1000, 'Seconds to wait for the upload and the text, in all'), ...concurrencyAndRetryOptions],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['audio'], operation: ['speechToText'] } }, properties);

/** POST /v1/audio/transcriptions (§12.2): the text spoken in the audio file (Coze cloud only). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const property = requiredText.call(this, 'binaryPropertyName', itemIndex, 'input binary field', 'Enter the name of the binary property that holds the audio, e.g. data.');
	const options = itemParameter(this, 'options', itemIndex, {}) as { timeout?: number };
	const timeoutMs = secondsOptionMs(this, options.timeout, UPLOAD_TIMEOUT_MS / 1000, 'Timeout', itemIndex);
	const connection = await getCozeConnection.call(this, itemIndex);
	refuseOnStudio(this, connection, itemIndex, 'turn speech into text', 'Use a workflow with a speech-to-text plugin through the Coze Workflow node, or Coze cloud.');
	const file = await binaryFileOf.call(this, property, itemIndex, 'speech to text');
	const bytes = file.bytes.length;
	const multipart = multipartBody(file.bytes, file.fileName, file.mimeType);
	// The file now lives only in the request body: not held twice while Coze listens to it.
	file.bytes = Buffer.alloc(0);
	try {
		const { text, logid } = await transcribeSpeech.call(this, connection, multipart, { itemIndex, timeoutMs });
		const output: IDataObject = { text, file_name: file.fileName, bytes };
		if (logid) output.logid = logid;
		return output;
	} catch (error) {
		if (error instanceof NodeApiError) error.message = `${error.message} for the audio "${file.fileName}"`;
		throw asNodeError(this.getNode(), error, itemIndex);
	}
}
