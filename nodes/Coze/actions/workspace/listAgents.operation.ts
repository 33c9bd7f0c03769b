import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listAgentsPage } from '../../../shared/api/catalog';
import { concurrencyAndRetryOptions } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { listedWorkspaceField, returnAllAndLimit } from '../descriptions';
import { collectPages } from '../pages';
import { itemParameter, readLimit, requiredText } from '../parameters';
import { refuseOnStudio } from '../studioLimits';

const PAGE_SIZE = 50;
const MAX_PAGES = 100;

const properties: INodeProperties[] = [
	listedWorkspaceField('agents'),
	...returnAllAndLimit(1000),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Published Only',
				name: 'publishedOnly',
				type: 'boolean',
				default: true,
				description: 'Whether to list only agents published as an API (the ones Chat can talk to)',
			},
			...concurrencyAndRetryOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['workspace'], operation: ['listAgents'] } }, properties);

/** GET /v1/bots, page after page: one output item per agent of the workspace (Coze cloud only, §10.7). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const workspaceId = requiredText.call(this, 'workspaceId', itemIndex, 'workspace', 'Choose the workspace whose agents to list.');
	const limit = readLimit(this, itemIndex);
	const options = itemParameter(this, 'options', itemIndex, {}) as { publishedOnly?: boolean };
	const connection = await getCozeConnection.call(this, itemIndex);
	refuseOnStudio(this, connection, itemIndex, 'list agents', "Give the agent by ID: the number after /bot/ in the agent editor's address.");
	// Coze's total may be missing (0): then a short page is the end.
	return await collectPages({ limit, pageSize: PAGE_SIZE, maxPages: MAX_PAGES }, async (page) => {
		const query = { workspaceId, page, pageSize: PAGE_SIZE, publishedOnly: options.publishedOnly !== false, itemIndex };
		const { agents, total } = await listAgentsPage.call(this, connection, query);
		return { entries: (agents as IDataObject[]).map((agent) => ({ ...agent, workspace_id: workspaceId })), total };
	});
}
