import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { itemParameter, requiredText } from '../parameters';

/** Fields and readers the knowledge base operations share. */

export const LOOKUP_TIMEOUT_MS = 30_000;

export const knowledgeBaseIdField: INodeProperties = {
	displayName: 'Knowledge Base ID',
	name: 'knowledgeBaseId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 7449000000000000001',
	description: "The knowledge base's ID: the number after /knowledge/ in its address in Coze, or the dataset_id of List",
};

export function documentIdsField(description: string): INodeProperties {
	return {
		displayName: 'Document IDs',
		name: 'documentIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 7449000000000000101, 7449000000000000102',
		description,
	};
}

export function readKnowledgeBaseId(this: IExecuteFunctions, itemIndex: number): string {
	return requiredText.call(this, 'knowledgeBaseId', itemIndex, 'knowledge base ID', "Enter the knowledge base's ID (the dataset_id of List).");
}

/**
 * Document IDs as strings, from a comma- or space-separated text, a list, or one number that
 * kept all its digits; at most `max` of them.
 */
export function readDocumentIds(this: IExecuteFunctions, itemIndex: number, max: number): string[] {
	const value = itemParameter<unknown>(this, 'documentIds', itemIndex, '');
	const raw = Array.isArray(value) ? value : [value];
	const ids: string[] = [];
	for (const entry of raw) {
		if (typeof entry === 'number' && !Number.isSafeInteger(entry)) {
			throw new NodeOperationError(this.getNode(), 'A document ID arrived as a number, which cannot hold all its digits', {
				itemIndex,
				description: 'Pass document IDs as text, e.g. {{ String($json.document_id) }}.',
			});
		}
		ids.push(...String(entry ?? '').split(/[\s,]+/).filter((id) => id !== ''));
	}
	const unique = [...new Set(ids)];
	if (unique.length === 0) throw new NodeOperationError(this.getNode(), 'No document ID is set', { itemIndex, description: 'Map the document_id of Add Document or List Documents.' });
	if (unique.length > max) {
		throw new NodeOperationError(this.getNode(), `${unique.length} document IDs are more than Coze takes at once (${max})`, {
			itemIndex,
			description: `Split them over several items, at most ${max} each.`,
		});
	}
	return unique;
}
