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
