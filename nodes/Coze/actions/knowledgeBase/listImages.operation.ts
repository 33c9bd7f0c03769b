import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listImagesPage } from '../../../shared/api/knowledge';
import { documentOutput } from '../../../shared/decoding/knowledge';
import { concurrencyAndRetryOptions } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { returnAllAndLimit } from '../descriptions';
import { collectPages } from '../pages';
import { itemParameter, optionText, readLimit } from '../parameters';
import { knowledgeBaseIdField, LOOKUP_TIMEOUT_MS, readKnowledgeBaseId } from './fields';

const PAGE_SIZE = 100;
const MAX_PAGES = 100;

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
				displayName: 'Caption Contains',
				name: 'keyword',
				type: 'string',
				default: '',
				description: 'Only images whose caption contains this text (Coze cloud; Coze Studio ignores it)',
			},
			{
				displayName: 'Captioned',
				name: 'hasCaption',
				type: 'options',
				options: [
					{ name: 'All Images', value: '' },
					{ name: 'With a Caption', value: 'yes' },
					{ name: 'Without a Caption', value: 'no' },
				],
				default: '',
			},
			...concurrencyAndRetryOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['knowledgeBase'], operation: ['listImages'] } }, properties);

/** GET /v1/datasets/{id}/images page after page (§11.4): one output item per image, with its caption. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const knowledgeBaseId = readKnowledgeBaseId.call(this, itemIndex);
	const limit = readLimit(this, itemIndex);
	const options = itemParameter(this, 'options', itemIndex, {}) as { keyword?: string; hasCaption?: string };
	const connection = await getCozeConnection.call(this, itemIndex);
	const hasCaption = options.hasCaption === 'yes' ? true : options.hasCaption === 'no' ? false : undefined;
	return await collectPages({ limit, pageSize: PAGE_SIZE, maxPages: MAX_PAGES }, async (page) => {
		const query = { page, pageSize: PAGE_SIZE, keyword: optionText(options.keyword) || undefined, hasCaption };
		const { images, total } = await listImagesPage.call(this, connection, knowledgeBaseId, query, { itemIndex, timeoutMs: LOOKUP_TIMEOUT_MS });
		return { entries: images.map((image) => ({ ...documentOutput(image), knowledge_base_id: knowledgeBaseId })), total };
	});
}
