import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { binaryPropertyNames, uploadBinaryProperty, uploadedFileId } from '../../../shared/actions/uploadBinary';
import { withFileName } from '../../../shared/api/multipart';
import { cozeApiError } from '../../../shared/decoding/errors';
import type { CozeConnection } from '../../../shared/transport';

/**
 * Uploads one binary property of the item to Coze and returns the value a workflow input
 * expects for it: the JSON text {"file_id": "…"} on Coze cloud, the file's URL on Coze Studio
 * (Studio's workflow engine only understands URLs).
 */
export async function uploadBinaryForInput(
	this: IExecuteFunctions,
	connection: CozeConnection,
	binaryProperty: string,
	inputName: string,
	itemIndex: number,
): Promise<string> {
	const node = this.getNode();
	const uploaded = await uploadBinaryProperty.call(this, connection, binaryProperty, itemIndex, `the input "${inputName}"`);
	const hint = 'The input cannot refer to it. Try again; if it persists, pass a public URL of the file instead.';
	if (connection.region !== 'studio') return JSON.stringify({ file_id: uploadedFileId(node, uploaded, itemIndex, hint) });
	const { data, fileName, logid } = uploaded;
	if (typeof data.url === 'string' && data.url !== '') return withFileName(data.url, fileName);
	throw cozeApiError(node, { logid }, itemIndex, { summary: `Coze accepted the file "${fileName}" but sent back no URL`, hint });
}

/**
 * Uploads the binary properties named in `spec` ("data", or "data, photo2" for an array input)
 * and returns the input's value: one file value, or an array of them.
 */
export async function fileInputValue(
	this: IExecuteFunctions,
	connection: CozeConnection,
	inputName: string,
	spec: string,
	asArray: boolean,
	itemIndex: number,
): Promise<IDataObject[string]> {
	const properties = binaryPropertyNames(spec);
	if (properties.length === 0) {
		throw new NodeOperationError(this.getNode(), `No binary property is named for the input "${inputName}"`, {
			itemIndex,
			description: 'Enter the name of the binary property that holds the file, e.g. data.',
		});
	}
	const values: string[] = [];
	for (const property of properties) {
		values.push(await uploadBinaryForInput.call(this, connection, property, inputName, itemIndex));
	}
	return asArray || values.length > 1 ? values : values[0];
}
