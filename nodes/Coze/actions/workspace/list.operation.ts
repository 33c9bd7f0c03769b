import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listWorkspacesPage } from '../../../shared/api/catalog';
import { concurrencyAndRetryOptions } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { returnAllAndLimit } from '../descriptions';
import { collectPages } from '../pages';
import { readLimit } from '../parameters';
import { refuseOnStudio } from '../studioLimits';

const PAGE_SIZE = 50;
const MAX_PAGES = 100;

const properties: INodeProperties[] = [
	...returnAllAndLimit(1000),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...concurrencyAndRetryOptions],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['workspace'], operation: ['list'] } }, properties);

/** GET /v1/workspaces, page after page: one output item per workspace (Coze cloud only). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const limit = readLimit(this, itemIndex);
	const connection = await getCozeConnection.call(this, itemIndex);
	refuseOnStudio(this, connection, itemIndex, 'list workspaces', "Coze Studio's agents are given by ID: the number after /bot/ in the agent editor's address.");
	// Coze's total may be missing (0): then a short page is the end.
	return await collectPages({ limit, pageSize: PAGE_SIZE, maxPages: MAX_PAGES }, async (page) => {
		const { workspaces, total } = await listWorkspacesPage.call(this, connection, { page, pageSize: PAGE_SIZE, itemIndex });
		return { entries: workspaces as IDataObject[], total };
	});
}
