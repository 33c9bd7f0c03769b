import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Workspace } from '../../shared/api/catalog';
import { editorUrl, listWorkflowsPage, listWorkspaces } from '../../shared/api/catalog';
import { getCozeConnection } from '../../shared/transport';

// Coze has no name filter, so a search reads pages until it has this many matches.
const ENOUGH_RESULTS = 20;
const MAX_PAGES_PER_CALL = 10;

interface Cursor {
	workspace: number;
	page: number;
}

/**
 * The Workflow field's "From List": published workflows (chatflows for the Chat operation) of
 * the chosen workspace, or of every workspace the token can see, filtered by name.
 */
export async function searchWorkflows(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const connection = await getCozeConnection.call(this);
	if (connection.region === 'studio') {
		throw new NodeOperationError(this.getNode(), 'Coze Studio has no API to list workflows', {
			description: 'Choose By ID or By URL and paste the workflow ID or the address of the workflow in Coze Studio.',
		});
	}
	const chosen = String(this.getCurrentNodeParameter('workspaceId') ?? '');
	const workspaces: Workspace[] = chosen ? [{ id: chosen, name: '' }] : await listWorkspaces.call(this, connection);
	const mode = this.getCurrentNodeParameter('operation') === 'chat' ? 'chatflow' : 'workflow';
	const needle = (filter ?? '').trim().toLowerCase();
	const cursor: Cursor = paginationToken ? (JSON.parse(paginationToken) as Cursor) : { workspace: 0, page: 1 };

	const results: INodeListSearchItems[] = [];
	for (let pages = 0; pages < MAX_PAGES_PER_CALL && cursor.workspace < workspaces.length; pages++) {
		const workspace = workspaces[cursor.workspace];
		const { workflows, hasMore } = await listWorkflowsPage.call(this, connection, {
			workspaceId: workspace.id,
			page: cursor.page,
			mode,
		});
		for (const workflow of workflows) {
			if (needle && !workflow.name.toLowerCase().includes(needle) && !workflow.id.includes(needle)) continue;
			results.push({
				name: workspaces.length > 1 && workspace.name ? `${workflow.name} (${workspace.name})` : workflow.name,
				value: workflow.id,
				url: editorUrl(connection, workflow.id, workspace.id),
				description: workflow.description || undefined,
			});
		}
		if (hasMore) cursor.page++;
		else {
			cursor.workspace++;
			cursor.page = 1;
		}
		if (results.length >= ENOUGH_RESULTS) break;
	}
	return {
		results,
		paginationToken: cursor.workspace < workspaces.length ? JSON.stringify(cursor) : undefined,
	};
}
