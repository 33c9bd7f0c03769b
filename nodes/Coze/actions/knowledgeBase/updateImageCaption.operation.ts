import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { updateImageCaption } from '../../../shared/api/knowledge';
import { concurrencyAndRetryOptions } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { requiredText } from '../parameters';
import { refuseOnStudio } from '../studioLimits';
import { knowledgeBaseIdField, LOOKUP_TIMEOUT_MS, readKnowledgeBaseId } from './fields';

const properties: INodeProperties[] = [
	knowledgeBaseIdField,
	{
		displayName: 'Image Document ID',
		name: 'documentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 7449000000000000201',
		description: 'The document_id of the image (Add Document or List Images)',
	},
	{
		displayName: 'Caption',
		name: 'caption',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		required: true,
		description: 'What the image shows, in words: what the agent finds it by',
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

export const description = updateDisplayOptions({ show: { resource: ['knowledgeBase'], operation: ['updateImageCaption'] } }, properties);

/** PUT /v1/datasets/{id}/images/{document_id} (§11.4): an image's caption (Coze cloud only). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const knowledgeBaseId = readKnowledgeBaseId.call(this, itemIndex);
	const documentId = requiredText.call(this, 'documentId', itemIndex, 'image document ID', 'Map the document_id of the image from Add Document or List Images.');
	const caption = requiredText.call(this, 'caption', itemIndex, 'caption', 'Enter what the image shows.');
	const connection = await getCozeConnection.call(this, itemIndex);
	refuseOnStudio(this, connection, itemIndex, "change an image's caption", 'Captions are set in the Coze Studio editor, or automatically when the image is added.');
	await updateImageCaption.call(this, connection, { knowledgeBaseId, documentId, caption }, { itemIndex, timeoutMs: LOOKUP_TIMEOUT_MS });
	return { updated: true, knowledge_base_id: knowledgeBaseId, document_id: documentId, caption };
}
