import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { updateDocument } from '../../../shared/api/knowledge';
import { concurrencyAndRetryOptions } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { itemParameter, optionalId, optionText, requiredText } from '../parameters';
import { refuseOnStudio } from '../studioLimits';
import { LOOKUP_TIMEOUT_MS } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Document ID',
		name: 'documentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 7449000000000000101',
		description: 'The document_id of Add Document or List Documents',
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: "The document's new name",
			},
			{
				displayName: 'Web Page Update Interval (Hours)',
				name: 'updateIntervalHours',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 24,
				description: 'For a web page: how often Coze reads it again, in hours (24 or more; 0 stops the updates). Coze cloud only.',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...concurrencyAndRetryOptions],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['knowledgeBase'], operation: ['updateDocument'] } }, properties);

/** POST /open_api/knowledge/document/update (§11.3): a document's name, and how often a web page is read again. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = this.getNode();
	const documentId = optionalId.call(this, itemParameter(this, 'documentId', itemIndex, ''), 'document ID', itemIndex) ?? requiredText.call(this, 'documentId', itemIndex, 'document ID', 'Map the document_id of Add Document or List Documents.');
	const fields = itemParameter(this, 'updateFields', itemIndex, {}) as { name?: string; updateIntervalHours?: number };
	const name = optionText(fields.name);
	const hours = fields.updateIntervalHours === undefined ? undefined : Number(fields.updateIntervalHours);
	if (hours !== undefined && (!Number.isFinite(hours) || hours < 0)) {
		// Sent as it is, a wrong value would switch the page's updates off.
		throw new NodeOperationError(node, `The Web Page Update Interval "${String(fields.updateIntervalHours)}" is not a number of hours`, {
			itemIndex,
			description: 'Set it to 24 or more, or to 0 to stop the updates.',
		});
	}
	if (!name && hours === undefined) {
		throw new NodeOperationError(node, 'Nothing to update', { itemIndex, description: 'Add a field to change under Update Fields (Name, or Web Page Update Interval).' });
	}
	const connection = await getCozeConnection.call(this, itemIndex);
	if (hours !== undefined) refuseOnStudio(this, connection, itemIndex, "change a web page's update interval", 'Coze Studio reads no web pages; change only the Name there.');
	const updateRule = hours === undefined ? undefined : hours > 0 ? { update_type: 1, update_interval: Math.max(24, Math.round(hours)) } : { update_type: 0 };
	await updateDocument.call(this, connection, { documentId, name: name || undefined, updateRule }, { itemIndex, timeoutMs: LOOKUP_TIMEOUT_MS });
	const output: IDataObject = { updated: true, document_id: documentId };
	if (name) output.name = name;
	if (updateRule) output.update_rule = updateRule;
	return output;
}
