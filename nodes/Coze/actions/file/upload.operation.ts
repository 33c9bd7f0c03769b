import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { uploadBinaryProperty } from '../../../shared/actions/uploadBinary';
import { concurrencyAndRetryOptions } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { requiredText } from '../parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data',
		hint: 'The name of the input binary field containing the file to be uploaded',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...concurrencyAndRetryOptions],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['file'], operation: ['upload'] } }, properties);

/** POST /v1/files/upload: Coze's file object {id, bytes, file_name, created_at} (Coze Studio adds url, §3). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const property = requiredText.call(this, 'binaryPropertyName', itemIndex, 'input binary field', 'Enter the name of the binary property that holds the file, e.g. data.');
	const connection = await getCozeConnection.call(this, itemIndex);
	const uploaded = await uploadBinaryProperty.call(this, connection, property, itemIndex);
	const output: IDataObject = { ...uploaded.data, file_id: String(uploaded.data.id ?? '') };
	if (uploaded.logid) output.logid = uploaded.logid;
	return output;
}
