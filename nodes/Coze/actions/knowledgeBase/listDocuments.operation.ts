import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { documentProgress, listDocumentsPage } from '../../../shared/api/knowledge';
import { documentOutput, progressById } from '../../../shared/decoding/knowledge';
import { concurrencyAndRetryOptions } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { returnAllAndLimit } from '../descriptions';
import { collectPages } from '../pages';
import { itemParameter, readLimit } from '../parameters';
import { knowledgeBaseIdField, LOOKUP_TIMEOUT_MS, readKnowledgeBaseId } from './fields';

const PAGE_SIZE = 50;
const MAX_PAGES = 200;

const properties: INodeProperties[] = [
	knowledgeBaseIdField,
	...returnAllAndLimit(1000),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Progress',
				name: 'includeProgress',
				type: 'boolean',
				default: true,
				description: "Whether to add each document's processing progress (percent, seconds left, and why it failed) from Coze's progress endpoint",
			},
			...concurrencyAndRetryOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['knowledgeBase'], operation: ['listDocuments'] } }, properties);

/**
 * POST /open_api/knowledge/document/list page after page, each page's progress from
 * /v1/datasets/{id}/process (§11.3, §11.5): one output item per document.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const knowledgeBaseId = readKnowledgeBaseId.call(this, itemIndex);
	const limit = readLimit(this, itemIndex);
	const options = itemParameter(this, 'options', itemIndex, {}) as { includeProgress?: boolean };
	const connection = await getCozeConnection.call(this, itemIndex);
	const limits = { itemIndex, timeoutMs: LOOKUP_TIMEOUT_MS };
	const seen = new Set<string>();
	return await collectPages({ limit, pageSize: PAGE_SIZE, maxPages: MAX_PAGES }, async (page, wanted) => {
		const { documents, total } = await listDocumentsPage.call(this, connection, { knowledgeBaseId, page, size: PAGE_SIZE }, limits);
		// A document added while we page can shift the pages: each is listed once.
		const fresh = documents.filter((document) => !seen.has(String(document.document_id))).slice(0, wanted);
		fresh.forEach((document) => seen.add(String(document.document_id)));
		const ids = fresh.map((document) => String(document.document_id ?? '')).filter((id) => id !== '');
		const progress = options.includeProgress !== false && ids.length > 0 ? progressById(await documentProgress.call(this, connection, knowledgeBaseId, ids, limits)) : undefined;
		const entries = fresh.map((document) => ({ ...documentOutput(document, progress?.get(String(document.document_id))), knowledge_base_id: knowledgeBaseId }));
		return { entries, pageLength: documents.length, total };
	});
}
