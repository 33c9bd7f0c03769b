import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { retrieveFile } from '../../../shared/api/files';
import { isPlainObject } from '../../../shared/decoding/json';
import { concurrencyAndRetryOptions, timeoutOption } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { secondsToMs } from '../../../shared/utils/values';
import { LOOKUP_TIMEOUT_SECONDS } from '../agent/getChat.operation';
import { itemParameter, requiredText } from '../parameters';
import { refuseOnStudio } from '../studioLimits';

const properties: INodeProperties[] = [
	{
		displayName: 'File ID',
		name: 'fileId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 7431040978805850002',
		description: 'The ID of an uploaded file (the file_id of Upload)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [timeoutOption(LOOKUP_TIMEOUT_SECONDS, 'Seconds to wait for Coze to answer'), ...concurrencyAndRetryOptions],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['file'], operation: ['get'] } }, properties);

/** GET /v1/files/retrieve: a file's name, size and upload time (Coze cloud only, §10.5). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const fileId = requiredText.call(this, 'fileId', itemIndex, 'file ID', 'Map the file_id of an earlier Upload.');
	const options = itemParameter(this, 'options', itemIndex, {}) as { timeout?: number };
	const connection = await getCozeConnection.call(this, itemIndex);
	refuseOnStudio(this, connection, itemIndex, "look up a file's info", 'Keep the Upload output (id, file_name, bytes, url) instead.');
	const response = await retrieveFile.call(this, connection, fileId, { itemIndex, timeoutMs: secondsToMs(options.timeout ?? LOOKUP_TIMEOUT_SECONDS) });
	const data = isPlainObject(response.body.data) ? (response.body.data as IDataObject) : {};
	const output: IDataObject = { ...data, file_id: String(data.id ?? fileId) };
	if (response.logid) output.logid = response.logid;
	return output;
}
