import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { documentProgress } from '../../../shared/api/knowledge';
import { documentOutput, progressById } from '../../../shared/decoding/knowledge';
import { concurrencyAndRetryOptions } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { documentIdsField, knowledgeBaseIdField, LOOKUP_TIMEOUT_MS, readDocumentIds, readKnowledgeBaseId } from './fields';

const MAX_IDS = 100;

const properties: INodeProperties[] = [
	knowledgeBaseIdField,
	documentIdsField('The documents to look at, separated by commas (at most 100); the document_id of Add Document'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...concurrencyAndRetryOptions],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['knowledgeBase'], operation: ['getStatus'] } }, properties);

/** POST /v1/datasets/{id}/process (§11.5): one output item per document, with its status and progress. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const knowledgeBaseId = readKnowledgeBaseId.call(this, itemIndex);
	const documentIds = readDocumentIds.call(this, itemIndex, MAX_IDS);
	const connection = await getCozeConnection.call(this, itemIndex);
	const progress = await documentProgress.call(this, connection, knowledgeBaseId, documentIds, { itemIndex, timeoutMs: LOOKUP_TIMEOUT_MS });
	// One item per ID asked for, in that order: one Coze does not report is said so, not left out.
	const byId = progressById(progress);
	return documentIds.map((id) => {
		const entry = byId.get(id);
		return entry ? { ...documentOutput({}, entry), knowledge_base_id: knowledgeBaseId } : { document_id: id, processing_state: 'not found', knowledge_base_id: knowledgeBaseId };
	});
}
