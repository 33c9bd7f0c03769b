import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { workspaceOptions } from '../../shared/methods/workspaceOptions';

/** The Workspace field: narrows the agent list ("All Workspaces"), or picks the one List Agents lists. */
export async function getWorkspaces(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await workspaceOptions.call(this, {
		studioName: 'Coze Studio Has No Workspace List: Enter the Agent by ID or URL',
		withAll: this.getCurrentNodeParameter('operation') !== 'listAgents',
	});
}
