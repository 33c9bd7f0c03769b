import type { IDataObject } from 'n8n-workflow';

import { isPlainObject, JsonTooDeep, parseJsonKeepingBigIntegers } from './json';

/**
 * Coze returns the workflow's result as a string: usually JSON, sometimes plain text, and for
 * End nodes in "return text" mode a {content_type, data, type_for_model} wrapper around text.
 */
export function decodeWorkflowData(raw: unknown, unwrapText: boolean): unknown {
	if (typeof raw !== 'string') return raw ?? null;
	let parsed: unknown;
	let tooDeep = false;
	try {
		parsed = parseJsonKeepingBigIntegers(raw);
	} catch (error) {
		// Not JSON: a text result. Too deep: an error, not a string n8n would store in its place.
		if (!(error instanceof JsonTooDeep)) return raw;
		tooDeep = true;
	}
	if (tooDeep) throw new JsonTooDeep();
	if (unwrapText && isTextWrapper(parsed)) return parsed.data;
	return parsed;
}

function isTextWrapper(value: unknown): value is { data: string } {
	return (
		isPlainObject(value) &&
		'content_type' in value &&
		typeof value.data === 'string' &&
		Object.keys(value).every((key) => TEXT_WRAPPER_KEYS.has(key))
	);
}

/**
 * `{"output": X}` → X, when the user asks for it. Coze Studio's default End node returns its one
 * variable `output` as that map in every mode, and Studio's run history (Async, Get Run Result)
 * gives a text-mode End node's text as `{"output": "<text>"}` while a waited-for run gives the text
 * (coze-api.md §9.5). No API says which End node ran, so the node cannot tell them apart itself.
 */
export function withLoneOutputUnwrapped(result: IDataObject, enabled: boolean | undefined): IDataObject {
	const data = result.data;
	if (enabled && isPlainObject(data) && Object.keys(data).length === 1 && 'output' in data) {
		result.data = data.output as IDataObject[string];
	}
	return result;
}

const TEXT_WRAPPER_KEYS = new Set(['content_type', 'data', 'type_for_model', 'original_result']);

export function executeIdFrom(body: Record<string, unknown>): string | undefined {
	const direct = body.execute_id;
	if ((typeof direct === 'string' && direct !== '' && direct !== '0') || typeof direct === 'number') {
		return String(direct);
	}
	const debugUrl = body.debug_url;
	if (typeof debugUrl === 'string') {
		const match = /[?&]execute_id=(\d+)/.exec(debugUrl);
		if (match) return match[1];
	}
	return undefined;
}

export function usageFrom(body: Record<string, unknown>): IDataObject | undefined {
	if (isPlainObject(body.usage)) return body.usage as IDataObject;
	// Coze Studio and older cloud answers report only a token total.
	if (typeof body.token === 'number') return { token_count: body.token };
	return undefined;
}

/** A question or input node paused the run; Resume continues it with this event_id. */
export function interruptFrom(body: Record<string, unknown>): IDataObject | undefined {
	const interrupt = body.interrupt_data;
	if (!isPlainObject(interrupt)) return undefined;
	const result: IDataObject = {
		event_id: String(interrupt.event_id ?? ''),
		type: interrupt.type as IDataObject[string],
		data: decodeWorkflowData(interrupt.data, false) as IDataObject[string],
	};
	if (isPlainObject(interrupt.required_parameters)) {
		result.required_parameters = interrupt.required_parameters as IDataObject;
	}
	if (typeof body.node_title === 'string') result.node_title = body.node_title;
	result.paused_in = 'sync';
	return result;
}

/** The output fields of a run's (or a resume's) JSON answer, the same for both dialects. */
export function runResultFrom(body: Record<string, unknown>, logid: string | undefined, unwrapText: boolean): IDataObject {
	const raw = typeof body.data === 'string' ? body.data : '';
	const result: IDataObject = {
		data: decodeWorkflowData(body.data, unwrapText) as IDataObject[string],
		raw,
		debug_url: typeof body.debug_url === 'string' ? body.debug_url : '',
	};
	const executeId = executeIdFrom(body);
	if (executeId) result.execute_id = executeId;
	const usage = usageFrom(body);
	if (usage) result.usage = usage;
	if (logid) result.logid = logid;
	const interrupt = interruptFrom(body);
	if (interrupt) result.interrupt = interrupt;
	return result;
}
