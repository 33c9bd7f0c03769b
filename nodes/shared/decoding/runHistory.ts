import type { IDataObject } from 'n8n-workflow';

import { isPlainObject, parseJsonKeepingBigIntegers } from './json';
import { decodeWorkflowData, interruptFrom } from './output';

export interface RunRecord extends IDataObject {
	status: string;
	execute_id: string;
	data: IDataObject[string];
	raw: string;
	debug_url: string;
}

/**
 * One entry of a workflow's run history, in either dialect. Coze cloud wraps the result as
 * {"Output": "<result>"} inside the `output` string; Coze Studio puts the result there as is,
 * sends ids as numbers and names some fields differently (error_msg, log_id).
 */
export function decodeRunHistory(
	body: Record<string, unknown>,
	isStudio: boolean,
	unwrapText: boolean,
): RunRecord | undefined {
	const entries = Array.isArray(body.data) ? body.data : isPlainObject(body.data) ? [body.data] : [];
	const entry = entries.find(isPlainObject);
	if (!entry) return undefined;

	const output = typeof entry.output === 'string' ? entry.output : '';
	const raw = isStudio ? output : cloudOutputOf(output);
	const record: RunRecord = {
		status: String(entry.execute_status ?? ''),
		execute_id: String(entry.execute_id ?? ''),
		data: decodeWorkflowData(raw, unwrapText) as IDataObject[string],
		raw,
		debug_url: typeof entry.debug_url === 'string' ? entry.debug_url : '',
	};
	const errorCode = entry.error_code;
	if (errorCode !== undefined && errorCode !== null && errorCode !== '' && errorCode !== '0' && errorCode !== 0) {
		record.error_code = String(errorCode);
	}
	const errorMessage = entry.error_message ?? entry.error_msg;
	if (typeof errorMessage === 'string' && errorMessage !== '') record.error_message = errorMessage;
	if (isPlainObject(entry.usage)) record.usage = entry.usage as IDataObject;
	else if (entry.token !== undefined && entry.token !== null) record.usage = { token_count: Number(entry.token) };
	const logid = entry.logid ?? entry.log_id;
	if (typeof logid === 'string' && logid !== '') record.logid = logid;
	if (entry.is_output_trimmed === true) record.is_output_trimmed = true;
	const interrupt = interruptFrom(entry);
	if (interrupt) record.interrupt = { ...interrupt, paused_in: 'async' };
	if (interrupt || PAUSED_STATUSES.has(record.status)) record.status = PAUSED;
	return record;
}

/** The status this node reports for a run that stopped at a question or input node. */
export const PAUSED = 'Paused';

/**
 * How the history shows a paused run. Coze Studio: execute status 5 has no name, so it is
 * `"<UNSET>"`, with no interrupt fields (coze-api.md §9.3). Coze cloud documents `interrupt_data`
 * on the item but not the status, which may read Running or anything else: `interrupt_data`
 * decides there, whatever the status says.
 */
const PAUSED_STATUSES = new Set(['<UNSET>', '5', 'Interrupt', 'Interrupted', 'Paused']);

function cloudOutputOf(output: string): string {
	try {
		const parsed = parseJsonKeepingBigIntegers(output);
		if (isPlainObject(parsed) && typeof parsed.Output === 'string') return parsed.Output;
	} catch {
		return output;
	}
	return output;
}
