import type { FieldType, IDataObject, INode, ResourceMapperField } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertSendableInputName } from './inputs';
import { isPlainObject, parseJsonKeepingBigIntegers } from './json';

/** A Start-node input as Coze describes it (GET /v1/workflows/{id}?include_input_output=true). */
export interface InputSpec {
	type?: string;
	required?: boolean;
	description?: string;
	default_value?: unknown;
	items?: unknown;
	properties?: unknown;
	[key: string]: unknown;
}

const FILE_TYPE = /file|image|doc|ppt|excel|xlsx|txt|audio|video|voice|zip|code|svg/i;

/** Coze marks file inputs by type name (file, image, …) or, in some answers, an assist type. */
export function isFileSpec(spec: InputSpec | undefined): boolean {
	if (!spec) return false;
	if (typeof spec.type === 'string' && FILE_TYPE.test(spec.type)) return true;
	if (typeof spec.format === 'string' && FILE_TYPE.test(spec.format)) return true;
	return spec.assist_type !== undefined && spec.assist_type !== null && Number(spec.assist_type) !== 0;
}

export function isFileArraySpec(spec: InputSpec | undefined): boolean {
	return spec?.type === 'array' && isPlainObject(spec.items) && isFileSpec(spec.items as InputSpec);
}

function fieldType(spec: InputSpec): FieldType {
	if (isFileSpec(spec)) return 'string';
	switch (spec.type) {
		case 'integer':
		case 'number':
			return 'number';
		case 'boolean':
			return 'boolean';
		case 'object':
			return 'object';
		case 'array':
			return isFileArraySpec(spec) ? 'string' : 'array';
		default:
			return 'string';
	}
}

function typeLabel(spec: InputSpec): string {
	if (isFileSpec(spec)) return 'file';
	if (isFileArraySpec(spec)) return 'files';
	if (spec.type === 'array' && isPlainObject(spec.items) && typeof spec.items.type === 'string') return `array of ${spec.items.type}`;
	return typeof spec.type === 'string' ? spec.type : 'any';
}

/** The Start node's inputs as n8n resource-mapper fields: name, type and required flag. */
export function mapperFields(specs: Record<string, InputSpec>): ResourceMapperField[] {
	return Object.entries(specs).map(([name, spec]) => ({
		id: name,
		displayName: `${name} (${typeLabel(spec)})`,
		required: spec.required === true,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		// An optional input starts out of the mapping, offered under "Add field": n8n's mapper
		// sends every field it shows (a boolean as false), which would override the workflow's own
		// default for an input the user never touched.
		removed: spec.required !== true,
		type: fieldType(spec),
	}));
}

/**
 * Checks the mapped values against the workflow's input types before anything is sent, turning
 * text that n8n's form produced into the type Coze expects ("3" → 3 for an integer), and fills
 * in nothing Coze would not: a missing required input is an error that names it.
 */
export function checkInputsAgainstSpecs(
	node: INode,
	values: IDataObject,
	specs: Record<string, InputSpec>,
	itemIndex: number,
): IDataObject {
	const checked: IDataObject = {};
	for (const [name, spec] of Object.entries(specs)) {
		const value = values[name];
		const missing = value === undefined || value === null || value === '';
		if (missing) {
			if (spec.required === true) {
				throw new NodeOperationError(node, `The workflow input "${name}" is required`, {
					itemIndex,
					description: `The Start node of the workflow requires "${name}" (${typeLabel(spec)})${spec.description ? `: ${String(spec.description)}` : ''}. Map a value to it.`,
				});
			}
			continue;
		}
		assertSendableInputName(node, name, itemIndex);
		checked[name] = isFileSpec(spec) || isFileArraySpec(spec) ? value : coerce(node, name, value, spec, itemIndex);
	}
	for (const [name, value] of Object.entries(values)) {
		if (name in specs || value === undefined || value === null || value === '') continue;
		assertSendableInputName(node, name, itemIndex);
		checked[name] = value;
	}
	return checked;
}

function coerce(node: INode, name: string, value: unknown, spec: InputSpec, itemIndex: number): IDataObject[string] {
	const wrong = (expected: string) =>
		new NodeOperationError(node, `The workflow input "${name}" must be ${expected}`, {
			itemIndex,
			description: `It is ${JSON.stringify(value)?.slice(0, 200)}. The Start node of the workflow declares "${name}" as ${typeLabel(spec)}.`,
		});
	switch (spec.type) {
		case 'integer': {
			const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
			if (typeof number !== 'number' || !Number.isInteger(number)) throw wrong('a whole number');
			return number;
		}
		case 'number': {
			const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
			if (typeof number !== 'number' || !Number.isFinite(number)) throw wrong('a number');
			return number;
		}
		case 'boolean': {
			if (typeof value === 'boolean') return value;
			if (value === 'true' || value === 'false') return value === 'true';
			throw wrong('true or false');
		}
		case 'object': {
			const parsed = typeof value === 'string' ? tryJson(value) : value;
			if (!isPlainObject(parsed)) throw wrong('an object');
			return parsed as IDataObject;
		}
		case 'array': {
			const parsed = typeof value === 'string' ? tryJson(value) : value;
			if (!Array.isArray(parsed)) throw wrong('an array');
			return parsed as IDataObject[];
		}
		case 'string':
			if (typeof value === 'object') throw wrong('text');
			return String(value);
		default:
			return value as IDataObject[string];
	}
}

function tryJson(text: string): unknown {
	try {
		return parseJsonKeepingBigIntegers(text);
	} catch {
		return undefined;
	}
}
