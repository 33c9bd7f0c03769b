import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isPlainObject, parseJsonKeepingBigIntegers } from './json';

export interface NameValuePair {
	name?: unknown;
	value?: unknown;
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
	return parsed as IDataObject;
}

function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return `a ${typeof value}`;
}
