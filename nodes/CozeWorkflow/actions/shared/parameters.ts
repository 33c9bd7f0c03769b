import type { IExecuteFunctions } from 'n8n-workflow';

import { workflowIdFromLocator } from '../../../shared/decoding/resourceIds';
import { itemParameter } from '../../../shared/utils/perRun';

export { itemParameter };

/** The Workflow parameter of the item, as a workflow ID string. */
export function readWorkflowId(this: IExecuteFunctions, itemIndex: number): string {
	return workflowIdFromLocator(this.getNode(), itemParameter(this, 'workflowId', itemIndex), itemIndex);
}
