import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { agentIdFromLocator } from '../../shared/decoding/resourceIds';
import { itemParameter } from '../../shared/utils/perRun';
import { trimmedOrUndefined } from '../../shared/utils/values';

export { itemParameter };

/** The Agent parameter of the item, as an agent ID string. */
export function readAgentId(this: IExecuteFunctions, itemIndex: number): string {
	return agentIdFromLocator(this.getNode(), itemParameter(this, 'agentId', itemIndex), itemIndex);
}

/**
 * A required text parameter, trimmed. Ids stay strings: a 19-digit number mapped in as a
 * number has already lost digits, so it is refused rather than sent wrong.
 */
export function requiredText(this: IExecuteFunctions, name: string, itemIndex: number, label: string, hint: string): string {
	const value = itemParameter<unknown>(this, name, itemIndex, '');
	if (typeof value === 'number' && !Number.isSafeInteger(value)) {
		throw new NodeOperationError(this.getNode(), `The ${label} arrived as a number, which cannot hold all its digits`, {
			itemIndex,
			description: `Pass it as text, e.g. {{ String($json.${name}) }}.`,
		});
	}
	const text = trimmedOrUndefined(value === undefined || value === null ? '' : String(value));
	if (!text) throw new NodeOperationError(this.getNode(), `No ${label} is set`, { itemIndex, description: hint });
	return text;
}

/** An optional ID from the Options (Conversation ID, Chat ID): undefined when empty, refused when a number lost digits. */
export function optionalId(this: IExecuteFunctions, value: unknown, label: string, itemIndex: number): string | undefined {
	if (typeof value === 'number' && !Number.isSafeInteger(value)) {
		throw new NodeOperationError(this.getNode(), `The ${label} arrived as a number, which cannot hold all its digits`, {
			itemIndex,
			description: 'Pass it as text, e.g. {{ String($json.conversation_id) }}.',
		});
	}
	return trimmedOrUndefined(value === undefined || value === null ? '' : String(value));
}

/** A name/value fixedCollection as a map, without empty names (Coze's custom_variables, meta_data). */
export function keyValues(collection: unknown): Record<string, string> | undefined {
	const entries = (collection as { value?: Array<{ name?: unknown; value?: unknown }> } | undefined)?.value ?? [];
	const map: Record<string, string> = {};
	for (const entry of entries) {
		const name = String(entry.name ?? '').trim();
		if (name) map[name] = String(entry.value ?? '');
	}
	return Object.keys(map).length > 0 ? map : undefined;
}

/** Return All / Limit as the number of results wanted. */
export function readLimit(context: IExecuteFunctions, itemIndex: number): number {
	if (itemParameter<boolean>(context, 'returnAll', itemIndex, false)) return Number.POSITIVE_INFINITY;
	const limit = Number(itemParameter(context, 'limit', itemIndex, 50));
	if (!Number.isFinite(limit) || limit < 1) {
		throw new NodeOperationError(context.getNode(), `The Limit "${String(limit)}" is not a number of results`, { itemIndex, description: 'Set Limit to 1 or more, or turn on Return All.' });
	}
	return Math.floor(limit);
}

/**
 * An option in seconds (Timeout, Max Wait, Poll Interval) as milliseconds, `fallback` when unset.
 * A value from an expression that is not a number of at least `minSeconds` is refused before
 * anything is sent: NaN would switch the deadline off.
 */
export function secondsOptionMs(context: IExecuteFunctions, value: unknown, fallback: number, label: string, itemIndex: number, minSeconds = 0.001): number {
	const seconds = value === undefined || value === null || value === '' ? fallback : Number(value);
	if (Number.isFinite(seconds) && seconds < minSeconds) {
		const least = minSeconds >= 0.1 ? `at least ${minSeconds} seconds` : 'more than 0 seconds';
		throw new NodeOperationError(context.getNode(), `${label} must be ${least}`, { itemIndex, description: `It is ${String(value)}.` });
	}
	if (!Number.isFinite(seconds)) {
		throw new NodeOperationError(context.getNode(), `${label} "${String(value)}" is not a number of seconds`, {
			itemIndex,
			description: `Set ${label} to ${minSeconds >= 0.1 ? `${minSeconds} seconds or more` : 'a number of seconds above 0'}.`,
		});
	}
	return Math.round(seconds * 1000);
}

/** An optional text option, trimmed; a number or other value from an expression is taken as its text. */
export function optionText(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}
