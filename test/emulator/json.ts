/**
 * JSON serialization for answers. Like JSON.stringify (key order = insertion order, non-ASCII
 * left as UTF-8, `undefined` members dropped) but a `bigint` is written as a bare JSON number,
 * so 19-digit ids can be sent as numbers the way Coze Studio does (e.g. its run history's
 * `execute_id`, coze-api.md §2.2) without ever passing through a JS number.
 */
export function toJson(value: unknown): string {
	if (typeof value === 'bigint') return value.toString();
	if (value === null || typeof value !== 'object') {
		const s = JSON.stringify(value);
		return s === undefined ? 'null' : s;
	}
	const withToJson = value as { toJSON?: () => unknown };
	if (typeof withToJson.toJSON === 'function') return toJson(withToJson.toJSON());
	if (Array.isArray(value)) {
		return `[${value.map((v: unknown) => (isSkippable(v) ? 'null' : toJson(v))).join(',')}]`;
	}
	const parts: string[] = [];
	for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
		if (isSkippable(v)) continue;
		parts.push(`${JSON.stringify(k)}:${toJson(v)}`);
	}
	return `{${parts.join(',')}}`;
}

function isSkippable(v: unknown): boolean {
	return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** Plain-object check for parsed JSON (not null, not an array). */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON type name of a parsed value, as Go/sonic error messages name them. */
export function jsonTypeName(v: unknown): 'null' | 'string' | 'number' | 'bool' | 'array' | 'object' {
	if (v === null || v === undefined) return 'null';
	if (typeof v === 'string') return 'string';
	if (typeof v === 'number' || typeof v === 'bigint') return 'number';
	if (typeof v === 'boolean') return 'bool';
	return Array.isArray(v) ? 'array' : 'object';
}
