import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isPlainObject, parseJsonKeepingBigIntegers } from './json';

export interface NameValuePair {
	name?: unknown;
	value?: unknown;
}

/**
 * Names an object cannot carry through n8n's request handling: assigning `__proto__` replaces
 * the prototype instead of adding a key, and the HTTP client's serializer leaves `constructor`
 * and `prototype` out. Refused, so an input is never silently missing at Coze.
 */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

export function assertSendableInputName(node: INode, name: string, itemIndex: number): void {
	if (!RESERVED_NAMES.has(name)) return;
	throw new NodeOperationError(node, `The workflow input name "${name}" cannot be sent`, {
		itemIndex,
		description:
			'__proto__, constructor and prototype are reserved names in JavaScript objects and would not reach Coze. Rename the input in the Start node of the Coze workflow, then here.',
	});
}

/**
 * Builds the workflow's parameters from Key/Value rows. A value keeps the type its expression
 * produced (42 stays a number, {{ $json.list }} stays an array): Coze's Start node checks types.
 */
export function inputsFromPairs(node: INode, pairs: NameValuePair[], itemIndex: number): IDataObject {
	const inputs: IDataObject = {};
	pairs.forEach((pair, row) => {
		const name = typeof pair.name === 'string' ? pair.name.trim() : String(pair.name ?? '').trim();
		if (name === '') {
			throw new NodeOperationError(node, `Workflow input ${row + 1} has no name`, {
				itemIndex,
				description: "Enter the name of the Start node's input, or remove the empty row.",
			});
		}
		assertSendableInputName(node, name, itemIndex);
		if (Object.prototype.hasOwnProperty.call(inputs, name)) {
			throw new NodeOperationError(node, `The workflow input "${name}" is set twice`, {
				itemIndex,
				description: 'Each input name may appear once. Remove or rename one of the rows.',
			});
		}
		inputs[name] = (pair.value ?? '') as IDataObject[string];
	});
	return inputs;
}

export function inputsFromJson(
	node: INode,
	value: unknown,
	fieldName: string,
	itemIndex: number,
): IDataObject {
	let parsed: unknown = value;
	if (typeof value === 'string') {
		if (value.trim() === '') return {};
		try {
			parsed = parseJsonKeepingBigIntegers(value);
		} catch (error) {
			throw new NodeOperationError(node, `The value in the "${fieldName}" field is not valid JSON`, {
				itemIndex,
				description: `${(error as Error).message}. Enter an object such as {"city": "Beijing"}.`,
			});
		}
	}
	if (!isPlainObject(parsed)) {
		throw new NodeOperationError(node, `The value in the "${fieldName}" field must be a JSON object`, {
			itemIndex,
			description: `It is ${describeType(parsed)}. Enter an object whose keys are the Start node's inputs, such as {"city": "Beijing"}.`,
		});
	}
	// JSON.parse keeps "__proto__" as an own key, which the request would then lose.
	for (const name of Object.keys(parsed)) assertSendableInputName(node, name, itemIndex);
	return parsed as IDataObject;
}

function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return `a ${typeof value}`;
}
