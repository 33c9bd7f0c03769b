import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { separatorOf } from '../../../shared/decoding/knowledge';
import { itemParameter } from '../parameters';
import type { DocumentSource } from './documentBases';

/** How Coze splits a document into chunks, or captions an image (§11.2 chunk_strategy). */
export const chunkingFields: INodeProperties[] = [
	{
		displayName: 'Chunking',
		name: 'chunking',
		type: 'options',
		options: [
			{ name: 'Automatic', value: 'automatic', description: "Coze's own segmentation and cleaning" },
			{ name: 'Custom', value: 'custom', description: 'Split at a separator, with a maximum chunk length' },
		],
		default: 'automatic',
		displayOptions: { show: { source: ['file', 'webPage'] } },
	},
	{
		displayName: 'Separator',
		name: 'separator',
		type: 'string',
		default: '\\n\\n',
		description: 'Where chunks are cut. Write \\n for a line break: \\n\\n cuts at empty lines.',
		displayOptions: { show: { source: ['file', 'webPage'], chunking: ['custom'] } },
	},
	{
		displayName: 'Max Tokens per Chunk',
		name: 'maxTokens',
		type: 'number',
		typeOptions: { minValue: 100, maxValue: 2000 },
		default: 800,
		displayOptions: { show: { source: ['file', 'webPage'], chunking: ['custom'] } },
	},
	{
		displayName: 'Remove Extra Spaces',
		name: 'removeExtraSpaces',
		type: 'boolean',
		default: false,
		description: 'Whether to replace runs of spaces, line breaks and tabs with one',
		displayOptions: { show: { source: ['file', 'webPage'], chunking: ['custom'] } },
	},
	{
		displayName: 'Remove URLs and Emails',
		name: 'removeUrlsEmails',
		type: 'boolean',
		default: false,
		description: 'Whether to delete every URL and email address from the text',
		displayOptions: { show: { source: ['file', 'webPage'], chunking: ['custom'] } },
	},
	{
		displayName: 'Captions',
		name: 'captionType',
		type: 'options',
		options: [
			{ name: 'Automatic', value: 0, description: 'Coze describes each image with a vision model' },
			{ name: 'Manual', value: 1, description: 'Set each caption yourself with Update Image Caption' },
		],
		default: 0,
		displayOptions: { show: { source: ['image'] } },
	},
];

/** The chunk_strategy of the body: chunking for text, the caption type for images. */
export function chunkStrategyOf(this: IExecuteFunctions, source: DocumentSource, itemIndex: number): IDataObject {
	if (source === 'image') return { caption_type: Number(itemParameter(this, 'captionType', itemIndex, 0)) === 1 ? 1 : 0 };
	if (itemParameter<string>(this, 'chunking', itemIndex, 'automatic') !== 'custom') return { chunk_type: 0 };
	const separator = separatorOf(String(itemParameter(this, 'separator', itemIndex, '\\n\\n')));
	const maxTokens = Number(itemParameter(this, 'maxTokens', itemIndex, 800));
	if (separator === '') throw new NodeOperationError(this.getNode(), 'Custom chunking needs a separator', { itemIndex, description: 'Enter where chunks are cut, e.g. \\n\\n for empty lines.' });
	if (!Number.isInteger(maxTokens) || maxTokens < 100 || maxTokens > 2000) {
		throw new NodeOperationError(this.getNode(), `Max Tokens per Chunk "${String(maxTokens)}" is out of range`, { itemIndex, description: 'Coze takes 100 to 2000 tokens per chunk.' });
	}
	return {
		chunk_type: 1,
		separator,
		max_tokens: maxTokens,
		remove_extra_spaces: itemParameter<boolean>(this, 'removeExtraSpaces', itemIndex, false) === true,
		remove_urls_emails: itemParameter<boolean>(this, 'removeUrlsEmails', itemIndex, false) === true,
	};
}
