import type { INodeProperties } from 'n8n-workflow';

import { secondsToMs } from '../../../shared/utils/values';
import type { ChatWait } from './followChat';

// An agent's answer takes seconds to a few minutes (tools, workflows); Coze's own cap on a chat is 10 minutes.
export const CHAT_TIMEOUT_SECONDS = 300;
export const DEFAULT_CHAT_POLL_SECONDS = 1;

/** How Chat and Submit Tool Outputs wait for the answer. */
export const answerWaitOptions: INodeProperties[] = [
	{
		displayName: 'Include Tool Messages',
		name: 'includeToolMessages',
		type: 'boolean',
		default: false,
		description:
			"Whether to add the agent's tool calls, their results and its verbose messages to \"messages\" (the answer and follow-up suggestions are always there)",
	},
	{
		displayName: 'Poll Interval',
		name: 'pollInterval',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: DEFAULT_CHAT_POLL_SECONDS,
		description: 'In Poll response mode, seconds between looks at the chat while the agent answers',
	},
	{
		displayName: 'Response Mode',
		name: 'responseMode',
		type: 'options',
		options: [
			{ name: 'Stream', value: 'stream', description: 'Read the answer as Coze writes it (fastest)' },
			{
				name: 'Poll',
				value: 'poll',
				description: 'Send the message, then look at the chat until it ends; for proxies that break event streams',
			},
		],
		default: 'stream',
		description: 'How to wait for the answer',
	},
];

export function chatWaitOf(
	options: { timeout?: number; pollInterval?: number; includeToolMessages?: boolean },
	itemIndex: number,
	defaultTimeoutSeconds: number,
): ChatWait {
	return {
		itemIndex,
		timeoutMs: secondsToMs(options.timeout ?? defaultTimeoutSeconds),
		pollIntervalMs: secondsToMs(options.pollInterval ?? DEFAULT_CHAT_POLL_SECONDS),
		includeToolMessages: options.includeToolMessages === true,
	};
}
