import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { multipartBody } from '../api/multipart';
import { uploadFile } from '../api/files';
import { asNodeError, cozeApiError } from '../decoding/errors';
import { isPlainObject } from '../decoding/json';
import type { CozeConnection } from '../transport';

export const UPLOAD_TIMEOUT_MS = 300_000;

export interface UploadedFile {
	/** Coze's answer: {id, bytes, file_name, created_at …} (Studio adds uri and url, §3). */
	data: IDataObject;
	fileName: string;
	mimeType: string;
	logid?: string;
}

/** One binary property of an item, read whole: its bytes, name and MIME type (`purpose` names what it is for in errors). */
export async function binaryFileOf(
	this: IExecuteFunctions,
	binaryProperty: string,
	itemIndex: number,
	purpose?: string,
): Promise<{ bytes: Buffer; fileName: string; mimeType: string }> {
	const item = this.getInputData()[itemIndex];
	const forWhat = purpose ? ` for ${purpose}` : '';
	if (!item?.binary?.[binaryProperty]) {
		const available = Object.keys(item?.binary ?? {});
		throw new NodeOperationError(this.getNode(), `The item has no binary property "${binaryProperty}"${forWhat}`, {
			itemIndex,
			description: available.length
				? `Binary properties of this item: ${available.join(', ')}.`
				: 'This item carries no binary data. Read the file with a node that outputs binary data (e.g. Read/Write Files from Disk, HTTP Request) before this one.',
		});
	}
	const binary = this.helpers.assertBinaryData(itemIndex, binaryProperty);
	const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, binaryProperty);
	const fileName = binary.fileName ?? `${binaryProperty}${binary.fileExtension ? `.${binary.fileExtension}` : ''}`;
	return { bytes, fileName, mimeType: binary.mimeType || 'application/octet-stream' };
}

/**
 * Uploads one binary property of the item to Coze (POST /v1/files/upload). `purpose` names what
 * the file is for in errors, e.g. `the input "image"`.
 */
export async function uploadBinaryProperty(
	this: IExecuteFunctions,
	connection: CozeConnection,
	binaryProperty: string,
	itemIndex: number,
	purpose?: string,
	timeoutMs = UPLOAD_TIMEOUT_MS,
): Promise<UploadedFile> {
	const node = this.getNode();
	const file = await binaryFileOf.call(this, binaryProperty, itemIndex, purpose);
	const { fileName, mimeType } = file;
	const multipart = multipartBody(file.bytes, fileName, mimeType);
	// The file now lives only in the request body: not held twice while it is sent.
	file.bytes = Buffer.alloc(0);
	try {
		const response = await uploadFile.call(this, connection, multipart, { timeoutMs: Math.max(1, timeoutMs), itemIndex });
		return { data: isPlainObject(response.body.data) ? (response.body.data as IDataObject) : {}, fileName, mimeType, logid: response.logid };
	} catch (error) {
		if (error instanceof NodeApiError) error.message = `${error.message} for the file "${fileName}"${purpose ? ` of ${purpose}` : ''}`;
		throw asNodeError(node, error, itemIndex);
	}
}

/** The uploaded file's id, as a string; an upload Coze answered without one is an error (`hint`: what it means for the caller). */
export function uploadedFileId(node: INode, uploaded: UploadedFile, itemIndex: number, hint: string): string {
	const id = uploaded.data.id;
	if (id !== undefined && id !== null && String(id) !== '') return String(id);
	throw cozeApiError(node, { logid: uploaded.logid }, itemIndex, {
		summary: `Coze accepted the file "${uploaded.fileName}" but sent back no file ID`,
		hint,
	});
}

/** The names in "data" or "data, photo2": the binary properties to upload, in order. */
export function binaryPropertyNames(spec: unknown): string[] {
	return String(spec ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
}
