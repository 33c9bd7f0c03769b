import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FileField } from '../../../shared/api/knowledgeBody';
import { filePlaceholder } from '../../../shared/api/knowledgeBody';
import { binaryFileOf, binaryPropertyNames, uploadBinaryProperty, uploadedFileId } from '../../../shared/actions/uploadBinary';
import { documentFileType } from '../../../shared/decoding/knowledge';
import type { CozeConnection } from '../../../shared/transport';

/** Coze adds at most 10 documents per request (§11.2). */
export const MAX_DOCUMENTS_PER_REQUEST = 10;

export type DocumentSource = 'file' | 'image' | 'webPage';

export interface DocumentBases {
	bases: IDataObject[];
	/** The files whose base64 goes into the body (Coze cloud's text documents). */
	files: FileField[];
}

/**
 * The document_bases of one request, as each dialect takes them (§11.2, §11.7):
 * - Coze cloud, text: each file's base64 and type in the body;
 * - Coze cloud, images: each image uploaded first (/v1/files/upload), then named by its file ID;
 * - Coze Studio: each file uploaded first, then named by its storage URI (Studio reads nothing else);
 * - web pages (Coze cloud only): the URL, and how often Coze reads it again.
 */
export async function documentBasesOf(
	this: IExecuteFunctions,
	connection: CozeConnection,
	source: DocumentSource,
	input: { properties: string; url: string; name: string; updateIntervalHours: number; giveUpAt: number },
	itemIndex: number,
): Promise<DocumentBases> {
	const node = this.getNode();
	if (source === 'webPage') {
		const url = input.url.trim();
		if (!/^https?:\/\/\S+$/i.test(url)) {
			throw new NodeOperationError(node, `"${url.slice(0, 200)}" is not a web page address`, { itemIndex, description: 'Enter an address that starts with http:// or https://.' });
		}
		const base: IDataObject = { name: input.name || url, source_info: { web_url: url, document_source: 1 } };
		if (input.updateIntervalHours > 0) base.update_rule = { update_type: 1, update_interval: Math.max(24, Math.round(input.updateIntervalHours)) };
		return { bases: [base], files: [] };
	}
	// "data, data" names one file, added once.
	const properties = [...new Set(binaryPropertyNames(input.properties))];
	if (properties.length === 0) {
		throw new NodeOperationError(node, 'No input binary field is set', { itemIndex, description: 'Enter the name of the binary field that holds the file, e.g. data.' });
	}
	if (properties.length > MAX_DOCUMENTS_PER_REQUEST) {
		throw new NodeOperationError(node, `${properties.length} files are more than Coze adds at once (${MAX_DOCUMENTS_PER_REQUEST})`, {
			itemIndex,
			description: `Split them over several items, at most ${MAX_DOCUMENTS_PER_REQUEST} each.`,
		});
	}
	const nameOf = (fileName: string) => (properties.length === 1 && input.name ? input.name : fileName);
	const bases: IDataObject[] = [];
	const files: FileField[] = [];
	for (const property of properties) {
		if (connection.region === 'studio') {
			const uploaded = await uploadBinaryProperty.call(this, connection, property, itemIndex, 'the knowledge base', input.giveUpAt - Date.now());
			const uri = typeof uploaded.data.uri === 'string' ? uploaded.data.uri : '';
			if (!uri) {
				throw new NodeOperationError(node, `Coze Studio stored the file "${uploaded.fileName}" but sent back no storage URI`, {
					itemIndex,
					description: 'Coze Studio adds a document only from the uri of its upload. Check that Base URL points at Coze Studio.',
				});
			}
			bases.push({ name: nameOf(uploaded.fileName), source_info: { tos_uri: uri, document_source: 0 } });
		} else if (source === 'image') {
			const uploaded = await uploadBinaryProperty.call(this, connection, property, itemIndex, 'the knowledge base', input.giveUpAt - Date.now());
			const fileId = uploadedFileId(node, uploaded, itemIndex, 'The image cannot be added without it; try again.');
			bases.push({ name: nameOf(uploaded.fileName), source_info: { source_file_id: fileId, document_source: 5 } });
		} else {
			const file = await binaryFileOf.call(this, property, itemIndex, 'the knowledge base');
			const placeholder = filePlaceholder(files.length);
			files.push({ placeholder, bytes: file.bytes });
			bases.push({ name: nameOf(file.fileName), source_info: { file_base64: placeholder, file_type: documentFileType(file.fileName, file.mimeType) } });
		}
	}
	return { bases, files };
}
