import type { IDataObject } from 'n8n-workflow';

import type { CozeFailure } from './errors';
import { isPlainObject, parseJsonKeepingBigIntegers } from './json';
import type { SseEvent } from './sse';

export interface WorkflowStreamResult {
	/** The workflow's output: the content of the last node that finished (the End node). */
	output: string;
	messages?: IDataObject[];
	usage?: IDataObject;
	debugUrl?: string;
	executeId?: string;
	interrupt?: IDataObject;
}

export class WorkflowStreamFailure extends Error {
	constructor(readonly failure: CozeFailure) {
		super(failure.msg ?? 'The workflow failed');
	}
}

export class WorkflowStreamEndedEarly extends Error {}

/** More text kept for the output than any Coze result holds (its results are capped at 20 MB). */
export const MAX_KEPT_CHARS = 32 * 1024 * 1024;

export class WorkflowStreamTooLarge extends Error {
	constructor(
		readonly limitChars: number,
		what: 'workflow' | 'chat' = 'workflow',
	) {
		super(`The streamed output passed the Max Answer Size of ${Math.round(limitChars / 1024 / 1024)} MB before the ${what} finished`);
	}
}

/** An event whose data the node needs but cannot read: never folded into an empty success. */
export class WorkflowStreamGarbled extends Error {
	constructor(readonly eventName: string) {
		super(`The ${eventName} event's data is not a JSON object`);
	}
}

/**
 * Follows a stream_run / stream_resume event stream to its end. Memory holds the content of
 * the node being streamed (and every message only when asked to keep them), not the stream.
 */
export async function foldWorkflowStream(
	events: AsyncIterable<SseEvent>,
	options: { includeMessages: boolean; maxKeptChars?: number },
): Promise<WorkflowStreamResult> {
	const maxKeptChars = options.maxKeptChars ?? MAX_KEPT_CHARS;
	const messages: IDataObject[] | undefined = options.includeMessages ? [] : undefined;
	let currentNode: string | undefined;
	let currentContent: string[] = [];
	let lastFinished: string | undefined;
	let usage: IDataObject | undefined;
	let debugUrl: string | undefined;
	let keptChars = 0;

	for await (const event of events) {
		const name = event.event.toLowerCase();
		if (name === 'message') {
			const data = parseEventData(event, { required: true });
			const nodeKey = String(data.node_id ?? data.node_title ?? '');
			if (nodeKey !== currentNode) {
				currentNode = nodeKey;
				currentContent = [];
				if (!messages) keptChars = lastFinished?.length ?? 0;
			}
			const content = typeof data.content === 'string' ? data.content : stringify(data.content);
			currentContent.push(content);
			// What is kept: the node being streamed, and every message only when asked to keep them.
			keptChars += content.length;
			if (keptChars > maxKeptChars) throw new WorkflowStreamTooLarge(maxKeptChars);
			if (data.node_is_finish === true) {
				lastFinished = currentContent.join('');
				currentContent = [];
				currentNode = undefined;
				if (!messages) keptChars = lastFinished.length;
			}
			if (isPlainObject(data.usage)) usage = data.usage as IDataObject;
			else if (typeof data.token === 'number') usage = { token_count: data.token };
			messages?.push(messageSummary(data, content));
		} else if (name === 'error') {
			throw new WorkflowStreamFailure(streamErrorFrom(event));
		} else if (name === 'interrupt') {
			const data = parseEventData(event, { required: true });
			const interrupt = isPlainObject(data.interrupt_data) ? data.interrupt_data : {};
			const eventId = String(interrupt.event_id ?? '');
			return {
				output: lastFinished ?? '',
				messages,
				usage,
				executeId: eventId.includes('/') ? eventId.split('/')[0] : undefined,
				interrupt: {
					event_id: eventId,
					type: interrupt.type as number,
					data: decodeMaybeJson(interrupt.data),
					node_title: typeof data.node_title === 'string' ? data.node_title : '',
					question: lastFinished ?? '',
					paused_in: 'stream',
				},
			};
		} else if (name === 'done') {
			const data = parseEventData(event);
			if (typeof data.debug_url === 'string' && data.debug_url !== '') debugUrl = data.debug_url;
			return {
				output: lastFinished ?? currentContent.join(''),
				messages,
				usage,
				debugUrl,
				executeId: debugUrl ? /[?&]execute_id=(\d+)/.exec(debugUrl)?.[1] : undefined,
			};
		}
		// PING heartbeats and events Coze may add later carry nothing we need.
	}
	throw new WorkflowStreamEndedEarly('The stream ended before the workflow finished');
}

function messageSummary(data: Record<string, unknown>, content: string): IDataObject {
	const summary: IDataObject = { node_title: typeof data.node_title === 'string' ? data.node_title : '', content };
	if (data.node_is_finish !== undefined) summary.node_is_finish = data.node_is_finish as boolean;
	if (data.node_seq_id !== undefined) summary.node_seq_id = String(data.node_seq_id);
	return summary;
}

function streamErrorFrom(event: SseEvent): CozeFailure {
	let data: unknown;
	try {
		data = parseJsonKeepingBigIntegers(event.data);
	} catch {
		// Coze Studio writes its internal stream failures as plain text.
		return { msg: event.data.trim() || 'The workflow failed' };
	}
	if (!isPlainObject(data)) return { msg: event.data };
	const code = Number(data.error_code ?? data.code);
	return {
		code: Number.isFinite(code) ? code : undefined,
		msg: String(data.error_message ?? data.error_msg ?? data.msg ?? 'The workflow failed'),
		debugUrl: typeof data.debug_url === 'string' ? data.debug_url : undefined,
	};
}

/**
 * An event's JSON data. Events whose data the result is built from (a Message, an Interrupt, a
 * chat delta) must be readable objects; for others (Done, PING, events Coze adds later) an
 * unreadable data is no result lost, and reads as empty.
 */
export function parseEventData(event: SseEvent, options: { required?: boolean } = {}): Record<string, unknown> {
	let data: unknown;
	try {
		data = parseJsonKeepingBigIntegers(event.data);
	} catch {
		data = undefined;
	}
	if (isPlainObject(data)) return data;
	if (options.required) throw new WorkflowStreamGarbled(event.event);
	return {};
}

function decodeMaybeJson(value: unknown): IDataObject[string] {
	if (typeof value !== 'string' || value === '') return (value ?? '') as IDataObject[string];
	try {
		return parseJsonKeepingBigIntegers(value) as IDataObject[string];
	} catch {
		return value;
	}
}

function stringify(value: unknown): string {
	if (value === undefined || value === null) return '';
	return typeof value === 'string' ? value : JSON.stringify(value);
}
