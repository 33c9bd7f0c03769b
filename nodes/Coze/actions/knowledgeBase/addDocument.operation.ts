import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { createDocuments } from '../../../shared/api/knowledge';
import { jsonWithBase64Files } from '../../../shared/api/knowledgeBody';
import { UPLOAD_TIMEOUT_MS } from '../../../shared/actions/uploadBinary';
import { asNodeError, cozeApiError } from '../../../shared/decoding/errors';
import { documentOutput } from '../../../shared/decoding/knowledge';
import { concurrencyAndRetryOptions, timeoutOption } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { itemParameter, optionText, secondsOptionMs } from '../parameters';
import { refuseOnStudio } from '../studioLimits';
import type { DocumentSource } from './documentBases';
import { documentBasesOf } from './documentBases';
import { knowledgeBaseIdField, readKnowledgeBaseId } from './fields';
import { chunkingFields, chunkStrategyOf } from './chunking';
import { waitForProcessing } from './waitForProcessing';

const DEFAULT_MAX_WAIT_SECONDS = 600;
const DEFAULT_POLL_SECONDS = 2;

const properties: INodeProperties[] = [
	knowledgeBaseIdField,
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'File', value: 'file', description: 'A document (PDF, TXT, DOC, DOCX …) from binary data, for a text knowledge base' },
			{ name: 'Image', value: 'image', description: 'An image from binary data, for an image knowledge base' },
			{ name: 'Web Page', value: 'webPage', description: 'A web page Coze reads itself (Coze cloud only)' },
		],
		default: 'file',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data, or data, attachment_1',
		hint: 'The input binary field holding the file; several fields separated by commas add several documents (at most 10)',
		displayOptions: { show: { source: ['file', 'image'] } },
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/help/returns',
		displayOptions: { show: { source: ['webPage'] } },
	},
	...chunkingFields,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Document Name',
				name: 'documentName',
				type: 'string',
				default: '',
				description: "The document's name in the knowledge base (the file name or the URL when not set; with several files, each keeps its file name)",
			},
			{
				displayName: 'Max Wait',
				name: 'maxWait',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_WAIT_SECONDS,
				description: 'Seconds to wait for Coze to process the documents, with Wait Until Processed on',
			},
			{
				displayName: 'Poll Interval',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: 0.5, numberPrecision: 1 },
				default: DEFAULT_POLL_SECONDS,
				description: 'Seconds between two looks at the processing status',
			},
			{
				displayName: 'Update Interval (Hours)',
				name: 'updateIntervalHours',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'For a web page: how often Coze reads it again, in hours (24 or more; 0 for never)',
			},
			{
				displayName: 'Wait Until Processed',
				name: 'waitUntilProcessed',
				type: 'boolean',
				default: true,
				description: 'Whether to wait until Coze has split the documents into chunks and they can be searched; a document Coze fails to process is then an error',
			},
			timeoutOption(UPLOAD_TIMEOUT_MS / 1000, 'Seconds to wait for the upload, the waiting for processing aside'),
			// Adding a document that may have reached Coze is never resent: that option would not apply.
			...concurrencyAndRetryOptions.filter((option) => option.name !== 'retryRunsThatMayHaveStarted'),
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['knowledgeBase'], operation: ['addDocument'] } }, properties);

interface AddOptions {
	documentName?: string;
	maxWait?: number;
	pollInterval?: number;
	updateIntervalHours?: number;
	waitUntilProcessed?: boolean;
	timeout?: number;
}

/**
 * POST /open_api/knowledge/document/create, then (by default) /v1/datasets/{id}/process until
 * the documents are processed (§11.2, §11.5): one output item per document added.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const node = this.getNode();
	const knowledgeBaseId = readKnowledgeBaseId.call(this, itemIndex);
	const source = String(itemParameter(this, 'source', itemIndex, 'file')) as DocumentSource;
	const options = itemParameter(this, 'options', itemIndex, {}) as AddOptions;
	const connection = await getCozeConnection.call(this, itemIndex);
	if (source === 'webPage') refuseOnStudio(this, connection, itemIndex, 'add a web page to a knowledge base', 'Download the page (HTTP Request) and add it as a file.');
	const chunkStrategy = chunkStrategyOf.call(this, source, itemIndex);
	// Checked before the documents are added: an error after it would leave them added, and a rerun adds them twice.
	const waiting = options.waitUntilProcessed !== false;
	const intervalMs = waiting ? secondsOptionMs(this, options.pollInterval, DEFAULT_POLL_SECONDS, 'Poll Interval', itemIndex, 0.5) : 0;
	const maxWaitMs = waiting ? secondsOptionMs(this, options.maxWait, DEFAULT_MAX_WAIT_SECONDS, 'Max Wait', itemIndex) : 0;
	const timeoutMs = secondsOptionMs(this, options.timeout, UPLOAD_TIMEOUT_MS / 1000, 'Timeout', itemIndex);
	// One deadline for the uploads (Coze Studio, images) and the request that adds the documents.
	const giveUpAt = Date.now() + timeoutMs;
	const { bases, files } = await documentBasesOf.call(
		this,
		connection,
		source,
		{
			properties: String(itemParameter(this, 'binaryPropertyName', itemIndex, 'data')),
			url: String(itemParameter(this, 'url', itemIndex, '')),
			name: optionText(options.documentName),
			updateIntervalHours: Number(options.updateIntervalHours ?? 0),
			giveUpAt,
		},
		itemIndex,
	);
	let body: Buffer | undefined = jsonWithBase64Files(
		{ dataset_id: knowledgeBaseId, format_type: source === 'image' ? 2 : 0, document_bases: bases, chunk_strategy: chunkStrategy },
		files,
	);
	// The files now live only in the body, which is let go once sent.
	files.length = 0;
	let documents: IDataObject[];
	try {
		documents = await createDocuments.call(this, connection, body, { itemIndex, timeoutMs: Math.max(1, giveUpAt - Date.now()) });
	} catch (error) {
		if (error instanceof NodeApiError) error.message = `${error.message} (adding ${bases.length === 1 ? `"${String(bases[0].name)}"` : `${bases.length} documents`})`;
		throw asNodeError(node, error, itemIndex);
	} finally {
		body = undefined;
	}
	const ids = documents.map((document) => String(document.document_id ?? '')).filter((id) => id !== '');
	if (ids.length === 0) {
		throw cozeApiError(node, {}, itemIndex, {
			summary: 'Coze accepted the documents but sent back no document IDs',
			hint: 'Look in the knowledge base (List Documents) whether they were added before adding them again.',
		});
	}
	if (!waiting) return documents.map((document) => ({ ...documentOutput(document), knowledge_base_id: knowledgeBaseId }));
	const progress = await waitForProcessing.call(this, connection, {
		knowledgeBaseId,
		documentIds: ids,
		itemIndex,
		intervalMs,
		maxWaitMs,
	});
	return documents.map((document) => ({ ...documentOutput(document, progress.get(String(document.document_id))), knowledge_base_id: knowledgeBaseId }));
}
