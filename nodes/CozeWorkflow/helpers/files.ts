import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { CozeConnection } from '../transport';
import { cozeApiRequest } from '../transport';
import { asNodeError, cozeApiError } from './errors';
import { isPlainObject } from './json';

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
	const { body, contentType } = multipartBody(bytes, fileName, binary.mimeType || 'application/octet-stream');

	let response;
	try {
		response = await cozeApiRequest.call(this, connection, {
			method: 'POST',
			path: '/v1/files/upload',
			body,
			headers: { 'Content-Type': contentType },
			timeoutMs: UPLOAD_TIMEOUT_MS,
			itemIndex,
		});
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

/**
 * Studio's engine takes a file's name and extension from the `x-wf-file_name` query parameter
 * of its URL, which Studio's own editor adds to every uploaded file's URL
 * (coze-studio frontend test-run file materials, TEST_RUN_FILE_NAME_KEY; backend
 * domain/workflow/internal/nodes/convert.go). Without it the file reaches the workflow unnamed.
 */
export function withFileName(url: string, fileName: string): string {
	try {
		const parsed = new URL(url);
		if (!parsed.searchParams.has('x-wf-file_name')) parsed.searchParams.set('x-wf-file_name', fileName);
		return parsed.toString();
	} catch {
		return url;
	}
}

/**
 * A file name as an RFC 5987 ext-value. encodeURIComponent leaves ' ( ) * unencoded, which
 * attr-char does not allow; Go's mime parser (Coze Studio) then drops every parameter of the
 * part, the form field name included, and the upload fails with "can't find file".
 */
export function rfc5987(fileName: string): string {
	return `UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** multipart/form-data with the one part Coze reads, "file", keeping the name and MIME type. */
function multipartBody(bytes: Buffer, fileName: string, mimeType: string): { body: Buffer; contentType: string } {
	const boundary = `----n8n-nodes-coze-${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
	// A quoted-string may not hold a bare quote or backslash, nor a line break in a header.
	const safeName = fileName.replace(/[\r\n"\\]/g, '_');
	const head =
		`--${boundary}\r\n` +
		`Content-Disposition: form-data; name="file"; filename="${safeName}"; filename*=${rfc5987(fileName)}\r\n` +
		`Content-Type: ${mimeType.replace(/[\r\n]/g, '')}\r\n\r\n`;
	const body = Buffer.concat([Buffer.from(head, 'utf8'), bytes, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]);
	return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
