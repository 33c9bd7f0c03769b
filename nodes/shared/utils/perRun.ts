import type { IExecuteFunctions } from 'n8n-workflow';

// The input item list is a fresh object on every run of the node, so it keys what is worth
// working out once per run, however many items there are.
const valuesByRun = new WeakMap<object, Map<string, unknown>>();

/**
 * `compute()` once per run of the node for `key`. A promise that fails is forgotten, so the
 * next item tries again instead of inheriting the failure.
 */
export function oncePerRun<T>(context: IExecuteFunctions, key: string, compute: () => T): T {
	const run = context.getInputData();
	let values = valuesByRun.get(run);
	if (!values) {
		values = new Map();
		valuesByRun.set(run, values);
	}
	if (!values.has(key)) {
		const value = compute();
		values.set(key, value);
		if (value instanceof Promise) value.catch(() => values?.delete(key));
	}
	return values.get(key) as T;
}

/**
 * getNodeParameter for a parameter read for every item. One that holds no expression has the
 * same value for every item, so n8n resolves it once per run here instead of once per item:
 * with many items that resolution costs as much CPU as the request itself. The value may be
 * shared between items, so callers must not change it.
 */
export function itemParameter<T>(context: IExecuteFunctions, name: string, itemIndex: number, fallback?: T): T {
	const constant = oncePerRun(context, `constant ${name}`, () => !holdsExpression(rawParameter(context.getNode().parameters, name)));
	const read = () => context.getNodeParameter(name, itemIndex, fallback) as T;
	return constant ? oncePerRun(context, `parameter ${name}`, read) : read();
}

function rawParameter(parameters: unknown, path: string): unknown {
	let value = parameters;
	for (const key of path.split('.')) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsExpression);
	return false;
}
