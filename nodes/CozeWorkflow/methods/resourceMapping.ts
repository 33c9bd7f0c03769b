import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { workflowInputSpecs } from '../../shared/api/catalog';
import { mapperFields } from '../../shared/decoding/schema';
import { workflowIdFromLocator } from '../../shared/decoding/workflowId';
import { getCozeConnection } from '../../shared/transport';

/** The Start node's inputs of the chosen workflow, for the "Map Each Input" mode. */
export async function getWorkflowInputs(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const connection = await getCozeConnection.call(this);
	if (connection.region === 'studio') {
		return {
			fields: [],
			emptyFieldsNotice:
				"Coze Studio has no API for a workflow's inputs. Use Key/Value or JSON to give the inputs.",
		};
	}
	const workflowId = workflowIdFromLocator(this.getNode(), this.getNodeParameter('workflowId', 0), 0);
	const specs = await workflowInputSpecs.call(this, connection, workflowId);
	return {
		fields: mapperFields(specs),
		emptyFieldsNotice: 'The Start node of this workflow has no inputs.',
	};
}
