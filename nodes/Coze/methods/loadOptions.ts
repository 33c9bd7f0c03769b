import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { listWorkspaces } from '../../shared/api/catalog';
import { getCozeConnection } from '../../shared/transport';

/** The Workspace field: narrows the agent list; "All Workspaces" lists every one. */
export async function getWorkspaces(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const connection = await getCozeConnection.call(this);
	if (connection.region === 'studio') {
		return [{ name: 'Coze Studio Has No Workspace List: Enter the Agent by ID or URL', value: '' }];
	}
	const workspaces = await listWorkspaces.call(this, connection);
	const all = this.getCurrentNodeParameter('operation') === 'listAgents' ? [] : [{ name: 'All Workspaces', value: '' }];
	return [...all, ...workspaces.map((workspace) => ({ name: workspace.name, value: workspace.id }))];
}
