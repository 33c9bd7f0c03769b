/**
 * The audio endpoints (docs/coze-api.md §12): the only place that knows their paths and body
 * shapes. Coze cloud only: Coze Studio's Open API has no /v1/audio routes (§12.4).
 */
import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { isPlainObject } from '../decoding/json';
import type { CozeConnection } from '../transport';
import { cozeApiRequest } from '../transport';
import type { ByteSink, CozeBinaryAnswer } from '../transport/binary';
import { cozeBinaryRequest } from '../transport/binary';
import type { CallLimits } from './workflows';

export interface SpeechRequest {
	/** At most 1024 bytes of UTF-8 (§12.1). */
	input: string;
	voiceId: string;
	format: string;
	speed?: number;
	sampleRate?: number;
}

/**
 * POST /v1/audio/speech (§12.1): the audio itself, poured into `limits.sink`, or Coze's JSON envelope on failure. It creates
 * nothing in Coze, so a failed attempt may be sent again like a lookup.
 */
export async function synthesizeSpeech(
	this: IExecuteFunctions,
	connection: CozeConnection,
	speech: SpeechRequest,
	limits: CallLimits & { maxBytes: number; sink: ByteSink },
): Promise<CozeBinaryAnswer> {
	const body: IDataObject = { input: speech.input, voice_id: speech.voiceId, response_format: speech.format };
	if (speech.speed !== undefined) body.speed = speech.speed;
	if (speech.sampleRate !== undefined) body.sample_rate = speech.sampleRate;
	return await cozeBinaryRequest.call(this, connection, { method: 'POST', path: '/v1/audio/speech', body, readOnly: true, subject: 'audio', ...limits });
}

/** POST /v1/audio/transcriptions (§12.2): one multipart part named "file"; the text in data.text. Creates nothing. */
export async function transcribeSpeech(
	this: IExecuteFunctions,
	connection: CozeConnection,
	multipart: { body: Buffer; contentType: string },
	limits: CallLimits,
): Promise<{ text: string; data: IDataObject; logid?: string }> {
	const response = await cozeApiRequest.call(this, connection, {
		method: 'POST',
		path: '/v1/audio/transcriptions',
		body: multipart.body,
		headers: { 'Content-Type': multipart.contentType },
		readOnly: true,
		subject: 'audio',
		...limits,
	});
	const data = isPlainObject(response.body.data) ? (response.body.data as IDataObject) : {};
	return { text: typeof data.text === 'string' ? data.text : '', data, logid: response.logid };
}

/** GET /v1/audio/voices (§12.3): one page of the voices the account may use; page_size at most 100. */
export async function listVoicesPage(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	connection: CozeConnection,
	query: { page: number; pageSize: number; filterSystemVoice?: boolean; modelType?: string },
	limits: CallLimits,
): Promise<{ voices: IDataObject[]; hasMore: boolean }> {
	const qs: IDataObject = { page_num: query.page, page_size: query.pageSize };
	if (query.filterSystemVoice) qs.filter_system_voice = true;
	if (query.modelType) qs.model_type = query.modelType;
	const { body } = await cozeApiRequest.call(this, connection, { method: 'GET', path: '/v1/audio/voices', qs, subject: 'audio', ...limits });
	const data = isPlainObject(body.data) ? body.data : {};
	const voices = Array.isArray(data.voice_list) ? (data.voice_list.filter(isPlainObject) as IDataObject[]) : [];
	return { voices, hasMore: data.has_more === true };
}
