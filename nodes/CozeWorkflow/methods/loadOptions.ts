import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { workspaceOptions } from '../../shared/methods/workspaceOptions';

/** The Workspace field: narrows the workflow list; "All Workspaces" lists every one. */
export async function getWorkspaces(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await workspaceOptions.call(this, { studioName: 'Coze Studio Has No Workspace List: Enter the Workflow by ID or URL', withAll: true });
}
