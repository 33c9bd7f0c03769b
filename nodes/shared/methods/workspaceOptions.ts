import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { listWorkspaces } from '../api/catalog';
import { getCozeConnection } from '../transport';

/**
 * The Workspace field's options, for both nodes: "All Workspaces" first when the field only
 * narrows a list; on Coze Studio, which has no workspace list (§4), one entry that says so.
 */
export async function workspaceOptions(
	this: ILoadOptionsFunctions,
	choice: { studioName: string; withAll: boolean },
): Promise<INodePropertyOptions[]> {
	const connection = await getCozeConnection.call(this);
	if (connection.region === 'studio') return [{ name: choice.studioName, value: '' }];
	const workspaces = await listWorkspaces.call(this, connection);
	const all = choice.withAll ? [{ name: 'All Workspaces', value: '' }] : [];
	return [...all, ...workspaces.map((workspace) => ({ name: workspace.name, value: workspace.id }))];
}
