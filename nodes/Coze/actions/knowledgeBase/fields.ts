import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { KNOWLEDGE_BASE_ID_REGEX, KNOWLEDGE_URL_REGEX, knowledgeBaseIdFromLocator } from '../../../shared/decoding/resourceIds';
import { itemParameter } from '../parameters';

/** Fields and readers the knowledge base operations share. */

export const LOOKUP_TIMEOUT_MS = 30_000;

export const knowledgeBaseIdField: INodeProperties = {
	displayName: 'Knowledge Base',
	name: 'knowledgeBaseId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The knowledge base (its knowledge_base_id in List)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a knowledge base…',
			typeOptions: { searchListMethod: 'searchKnowledgeBases', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 7449000000000000001',
			validation: [{ type: 'regex', properties: { regex: KNOWLEDGE_BASE_ID_REGEX, errorMessage: 'A knowledge base ID is a long number, e.g. 7449000000000000001' } }],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://www.coze.cn/space/7350000000000000000/knowledge/7449000000000000001',
			validation: [
				{ type: 'regex', properties: { regex: `.*${KNOWLEDGE_URL_REGEX}.*`, errorMessage: 'Paste the address of the knowledge base in Coze; it contains /knowledge/…' } },
			],
		},
	],
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

/** The Knowledge Base locator of the item, as an ID string (a plain ID string is taken too). */
export function readKnowledgeBaseId(this: IExecuteFunctions, itemIndex: number): string {
	return knowledgeBaseIdFromLocator(this.getNode(), itemParameter(this, 'knowledgeBaseId', itemIndex), itemIndex);
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
		ids.push(...String(entry ?? '').split(/[\s,，、;；]+/).filter((id) => id !== ''));
	}
	const unique = [...new Set(ids)];
	const wrong = unique.find((id) => !/^\d{1,20}$/.test(id));
	if (wrong !== undefined) {
		throw new NodeOperationError(this.getNode(), `"${wrong.slice(0, 100)}" is not a document ID`, {
			itemIndex,
			description: 'A document ID is a long number, e.g. 7449000000000000101 (the document_id of Add Document or List Documents); separate several with commas.',
		});
	}
	if (unique.length === 0) throw new NodeOperationError(this.getNode(), 'No document ID is set', { itemIndex, description: 'Map the document_id of Add Document or List Documents.' });
	if (unique.length > max) {
		throw new NodeOperationError(this.getNode(), `${unique.length} document IDs are more than Coze takes at once (${max})`, {
			itemIndex,
			description: `Split them over several items, at most ${max} each.`,
		});
	}
	return unique;
}
