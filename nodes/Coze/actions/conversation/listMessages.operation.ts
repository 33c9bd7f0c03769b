import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { listConversationMessages } from '../../../shared/api/conversations';
import { isPlainObject } from '../../../shared/decoding/json';
import { concurrencyAndRetryOptions, timeoutOption } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { secondsToMs } from '../../../shared/utils/values';
import { conversationIdField, returnAllAndLimit } from '../descriptions';
import { itemParameter, optionalId, readLimit, requiredText } from '../parameters';
import { LOOKUP_TIMEOUT_SECONDS } from '../agent/getChat.operation';

// Coze's page size limit for this list (coze.cn docs: 1 to 50).
const PAGE_SIZE = 50;
const MAX_PAGES = 200;

const properties: INodeProperties[] = [
	conversationIdField,
	...returnAllAndLimit(1000),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Chat ID',
				name: 'chatId',
				type: 'string',
				default: '',
				description: 'Only the messages of this chat (one question and its answer)',
			},
			{
				displayName: 'Order',
				name: 'order',
				type: 'options',
				options: [
					{ name: 'Newest First', value: 'desc' },
					{ name: 'Oldest First', value: 'asc' },
				],
				default: 'desc',
				description: 'Oldest First reads the whole conversation (up to 10 000 messages), then returns its oldest messages up to Limit',
			},
			timeoutOption(LOOKUP_TIMEOUT_SECONDS, 'Seconds to wait for each page'),
			...concurrencyAndRetryOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['listMessages'] } }, properties);

/**
 * POST /v1/conversation/message/list, page after page: one output item per message. Pages go
 * newest first, the next one after the last id of the one before, as coze-py's LastIDPaged reads
 * them; Coze Studio ignores `order` and pages only that way (§10.4, §10.6). Oldest First reads
 * them all (at most MAX_PAGES pages), then turns them round.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const conversationId = requiredText.call(this, 'conversationId', itemIndex, 'conversation ID', 'Map the conversation_id of the conversation.');
	const limit = readLimit(this, itemIndex);
	const options = itemParameter(this, 'options', itemIndex, {}) as { chatId?: unknown; order?: string; timeout?: number };
	const oldestFirst = options.order === 'asc';
	const wanted = oldestFirst ? Number.POSITIVE_INFINITY : limit;
	const connection = await getCozeConnection.call(this, itemIndex);
	const messages: IDataObject[] = [];
	let afterId: string | undefined;
	for (let page = 0; page < MAX_PAGES && messages.length < wanted; page++) {
		const body: IDataObject = { order: 'desc', limit: Math.min(PAGE_SIZE, wanted - messages.length) };
		const chatId = optionalId.call(this, options.chatId, 'chat ID', itemIndex);
		if (chatId) body.chat_id = chatId;
		if (afterId) body.after_id = afterId;
		const response = await listConversationMessages.call(this, connection, conversationId, body, {
			itemIndex,
			timeoutMs: secondsToMs(options.timeout ?? LOOKUP_TIMEOUT_SECONDS),
		});
		const data = Array.isArray(response.body.data) ? (response.body.data.filter(isPlainObject) as IDataObject[]) : [];
		messages.push(...data.slice(0, wanted - messages.length));
		const lastId = response.body.last_id;
		// A page that does not move on ends the list, whatever has_more says.
		const more = response.body.has_more === true && data.length > 0 && lastId !== undefined && String(lastId) !== '' && String(lastId) !== afterId;
		if (!more) return oldestFirst ? messages.reverse().slice(0, limit) : messages;
		afterId = String(lastId);
	}
	if (oldestFirst) {
		// The oldest are behind the pages not read: a silent answer from the newest 10 000 would mislead.
		throw new NodeOperationError(this.getNode(), `The conversation has more than ${MAX_PAGES * PAGE_SIZE} messages, too many to list oldest first`, {
			itemIndex,
			description: 'Use Order: Newest First with a Limit, or filter by Chat ID.',
		});
	}
	return messages;
}
