import type { IDataObject, INodeProperties } from 'n8n-workflow';

/** Earlier Messages: the conversation so far, for a chatflow (Coze Workflow) or an agent (Coze). */
export function earlierMessagesOption(description: string): INodeProperties {
	return {
		displayName: 'Earlier Messages',
		name: 'history',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Message',
		description,
		options: [
			{
				displayName: 'Message',
				name: 'message',
				values: [
					{
						displayName: 'Role',
						name: 'role',
						type: 'options',
						options: [
							{ name: 'Assistant', value: 'assistant' },
							{ name: 'User', value: 'user' },
						],
						default: 'user',
					},
					{ displayName: 'Content', name: 'content', type: 'string', default: '' },
				],
			},
		],
	};
}

/**
 * Earlier messages as Coze takes them. An assistant turn must say it is an answer: `type`
 * defaults to question, and Coze reads an untyped assistant message as the user's (coze.cn chat
 * docs; cozepy build_assistant_answer). `userType` types the user's turns too (agent chat: Coze
 * Studio takes only question and answer, §10.6).
 */
export function earlierMessages(history: unknown, options: { userType?: 'question'; skipEmpty?: boolean } = {}): IDataObject[] {
	const entries = (history as { message?: Array<{ role?: string; content?: string }> } | undefined)?.message ?? [];
	return entries
		.filter((entry) => !options.skipEmpty || String(entry.content ?? '') !== '')
		.map((entry) =>
			entry.role === 'assistant'
				? { role: 'assistant', type: 'answer', content: String(entry.content ?? ''), content_type: 'text' }
				: { role: 'user', ...(options.userType ? { type: options.userType } : {}), content: String(entry.content ?? ''), content_type: 'text' },
		);
}
