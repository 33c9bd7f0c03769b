import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { uploadFile } from '../../../shared/api/workflows';
import { asNodeError, cozeApiError } from '../../../shared/decoding/errors';
import { isPlainObject } from '../../../shared/decoding/json';
import { multipartBody, withFileName } from '../../../shared/api/multipart';
import type { CozeConnection } from '../../../shared/transport';

const UPLOAD_TIMEOUT_MS = 300_000;

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
	const item = this.getInputData()[itemIndex];
	if (!item?.binary?.[binaryProperty]) {
		const available = Object.keys(item?.binary ?? {});
		throw new NodeOperationError(node, `The item has no binary property "${binaryProperty}" for the input "${inputName}"`, {
			itemIndex,
			description: available.length
				? `Binary properties of this item: ${available.join(', ')}.`
				: 'This item carries no binary data. Read the file with a node that outputs binary data (e.g. Read/Write Files from Disk, HTTP Request) before this one.',
		});
	}
	const binary = this.helpers.assertBinaryData(itemIndex, binaryProperty);
	const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, binaryProperty);
	const fileName = binary.fileName ?? `${binaryProperty}${binary.fileExtension ? `.${binary.fileExtension}` : ''}`;
	const multipart = multipartBody(bytes, fileName, binary.mimeType || 'application/octet-stream');

	let response;
	try {
		response = await uploadFile.call(this, connection, multipart, { timeoutMs: UPLOAD_TIMEOUT_MS, itemIndex });
	} catch (error) {
		if (error instanceof NodeApiError) {
			error.message = `${error.message} for the file "${fileName}" of the input "${inputName}"`;
		}
		throw asNodeError(node, error, itemIndex);
	}
	const data = isPlainObject(response.body.data) ? response.body.data : {};
	if (connection.region === 'studio') {
		if (typeof data.url === 'string' && data.url !== '') return withFileName(data.url, fileName);
	} else if (data.id !== undefined && data.id !== null && String(data.id) !== '') {
		return JSON.stringify({ file_id: String(data.id) });
	}
	throw cozeApiError(node, { logid: response.logid }, itemIndex, {
		summary: `Coze accepted the file "${fileName}" but sent back no ${connection.region === 'studio' ? 'URL' : 'file ID'}`,
		hint: 'The input cannot refer to it. Try again; if it persists, pass a public URL of the file instead.',
	});
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
	const properties = spec
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
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
