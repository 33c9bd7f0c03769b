import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { deleteDocuments } from '../../../shared/api/knowledge';
import { concurrencyAndRetryOptions } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { documentIdsField, LOOKUP_TIMEOUT_MS, readDocumentIds } from './fields';

const MAX_IDS = 100;

const properties: INodeProperties[] = [
	documentIdsField('The documents to delete, separated by commas (at most 100)'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...concurrencyAndRetryOptions],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['knowledgeBase'], operation: ['deleteDocument'] } }, properties);

/** POST /open_api/knowledge/document/delete (§11.3): the documents and their chunks leave the knowledge base. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const documentIds = readDocumentIds.call(this, itemIndex, MAX_IDS);
	const connection = await getCozeConnection.call(this, itemIndex);
	await deleteDocuments.call(this, connection, documentIds, { itemIndex, timeoutMs: LOOKUP_TIMEOUT_MS });
	return { deleted: true, document_ids: documentIds };
}
