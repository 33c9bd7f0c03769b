import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listKnowledgeBasesPage } from '../../../shared/api/knowledge';
import { concurrencyAndRetryOptions } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { listedWorkspaceField, returnAllAndLimit } from '../descriptions';
import { collectPages } from '../pages';
import { itemParameter, optionText, readLimit, requiredText } from '../parameters';
import { LOOKUP_TIMEOUT_MS } from './fields';

const PAGE_SIZE = 100;
const MAX_PAGES = 100;

const properties: INodeProperties[] = [
	listedWorkspaceField('knowledge bases', ' On Coze Studio give its ID: the number after /space/ in its address.'),
	...returnAllAndLimit(1000),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Name Contains',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Only knowledge bases whose name contains this text',
			},
			{
				displayName: 'Type',
				name: 'formatType',
				type: 'options',
				options: [
					{ name: 'All', value: -1 },
					{ name: 'Image', value: 2 },
					{ name: 'Table', value: 1 },
					{ name: 'Text', value: 0 },
				],
				default: -1,
			},
			...concurrencyAndRetryOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['knowledgeBase'], operation: ['list'] } }, properties);

/** GET /v1/datasets, page after page: one output item per knowledge base of the workspace (§11.1). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const workspaceId = requiredText.call(this, 'workspaceId', itemIndex, 'workspace', 'Choose the workspace, or on Coze Studio enter its ID (the number after /space/ in its address).');
	const limit = readLimit(this, itemIndex);
	const options = itemParameter(this, 'options', itemIndex, {}) as { name?: string; formatType?: number };
	const connection = await getCozeConnection.call(this, itemIndex);
	const formatType = options.formatType === undefined || options.formatType < 0 ? undefined : options.formatType;
	return await collectPages({ limit, pageSize: PAGE_SIZE, maxPages: MAX_PAGES }, async (page) => {
		const query = { workspaceId, page, pageSize: PAGE_SIZE, name: optionText(options.name) || undefined, formatType };
		const { knowledgeBases, total } = await listKnowledgeBasesPage.call(this, connection, query, { itemIndex, timeoutMs: LOOKUP_TIMEOUT_MS });
		return { entries: knowledgeBases.map((entry) => ({ ...entry, knowledge_base_id: String(entry.dataset_id ?? '') })), total };
	});
}
