import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_ANSWER_MB, DEFAULT_MAX_CONCURRENCY } from '../transport';

/** Options both nodes offer: how long to wait, and how many items call Coze at once. */

// Coze drops a run that waits for its result after 90 s; waiting a little longer lets its own
// answer (rather than our timeout) reach the user.
export const SYNC_TIMEOUT_SECONDS = 120;
// Streams and async waits are for long workflows: Coze's own cap on a run is 10 minutes.
export const LONG_TIMEOUT_SECONDS = 600;
export const IDLE_TIMEOUT_SECONDS = 120;

/**
 * Idle Timeout in ms, or undefined for none. Unset, it is 120 s on Coze cloud, but none on
 * Coze Studio: Studio's own nginx buffers event streams and Studio sends no heartbeat, so a
 * long run's events can all arrive at its end (coze-api.md §9.1); only Timeout bounds it there.
 */
export function idleTimeoutMsOf(optionSeconds: number | undefined, region: string): number | undefined {
	if (optionSeconds === undefined) return region === 'studio' ? undefined : IDLE_TIMEOUT_SECONDS * 1000;
	return Math.round(optionSeconds * 1000);
}
export const DEFAULT_POLL_INTERVAL_SECONDS = 2;

export const idleTimeoutOption: INodeProperties = {
	displayName: 'Idle Timeout',
	name: 'idleTimeout',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: IDLE_TIMEOUT_SECONDS,
	description:
		'Seconds of silence, once Coze has started answering, after which the stream is closed (120 s when not set). The wait for the first byte counts only against Timeout. Not applied to Coze Studio unless set: its nginx holds streamed events back, so a long run may arrive all at once at its end.',
};

export function timeoutOption(defaultSeconds: number, description: string): INodeProperties {
	return {
		displayName: 'Timeout',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: defaultSeconds,
		description,
	};
}

/** Node-wide options (read from the first item): how many items run at once, retries, and the answer budget. */
export const concurrencyAndRetryOptions: INodeProperties[] = [
	{
		displayName: 'Max Concurrent Runs',
		name: 'maxConcurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100 },
		default: DEFAULT_MAX_CONCURRENCY,
		description:
			'How many items call Coze at the same time, at most. While Coze answers that the rate limit is reached, fewer go at once, then more again gradually. The output keeps the order of the input.',
	},
	{
		displayName: 'Max Attempts',
		name: 'maxAttempts',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 20 },
		default: 5,
		description:
			"Attempts per request when Coze rate limits it (HTTP 429, codes 4009 and 4020) or the connection is refused. These requests never reached the workflow, so they are safe to repeat; Coze's Retry-After is honoured.",
	},
	{
		displayName: 'Retry Runs That May Have Started',
		name: 'retryRunsThatMayHaveStarted',
		type: 'boolean',
		default: false,
		description:
			'Whether to also resend a run after a timeout, a broken connection or a server error. Such a run may already have started in Coze, so resending it can repeat the side effects of the workflow (messages sent, records written). Leave off unless the workflow is safe to run twice.',
	},
	{
		displayName: 'Retry Wait',
		name: 'retryWait',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 1,
		description: 'Seconds before the first retry; each further retry waits about twice as long, with random jitter',
	},
	{
		displayName: 'Max Answer Size (MB)',
		name: 'maxAnswerSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1024 },
		default: DEFAULT_MAX_ANSWER_MB,
		description:
			"The most Coze may send for one item: one answer, one stream event, or a streamed output still being written. Coze caps a result at 20 MB; a larger answer is stopped with an error instead of filling n8n's memory.",
	},
];

/** The Workspace field that narrows a From List picker (of workflows or agents) to one workspace. */
export function workspaceFilterField(listed: 'Workflow' | 'Agent'): INodeProperties {
	return {
		displayName: 'Workspace Name or ID',
		name: 'workspaceId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getWorkspaces' },
		default: '',
		description: `Narrows the ${listed} list to one workspace; not needed when the ${listed.toLowerCase()} is given by ID or URL. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}
