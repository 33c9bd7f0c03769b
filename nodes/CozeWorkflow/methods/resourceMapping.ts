import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { workflowInputSpecs } from '../../shared/api/catalog';
import { asNodeError } from '../../shared/decoding/errors';
import { mapperFields } from '../../shared/decoding/schema';
import { workflowIdFromLocator } from '../../shared/decoding/resourceIds';
import { getCozeConnection } from '../../shared/transport';

/**
 * The Start node's inputs of the chosen workflow, for the "Map Each Input" mode. What went wrong
 * (no workflow, an unknown or unpublished one, a refused token) comes back as the mapper's notice:
 * the editor shows a method's thrown error only as an HTTP 500, and would keep the notice of the
 * workflow chosen before.
 */
export async function getWorkflowInputs(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	try {
		return await loadWorkflowInputs.call(this);
	} catch (error) {
		const { message, description } = asNodeError(this.getNode(), error, 0);
		return { fields: [], emptyFieldsNotice: description ? `${message.replace(/\.$/, '')}. ${description}` : message };
	}
}

async function loadWorkflowInputs(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
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
