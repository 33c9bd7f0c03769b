/**
 * JSON.parse that keeps integers beyond Number.MAX_SAFE_INTEGER exact by turning them into
 * strings. Coze ids are 19-digit numbers; Coze Studio sends some of them as JSON numbers,
 * which plain JSON.parse would silently round.
 */
export function parseJsonKeepingBigIntegers(text: string): unknown {
	assertShallowEnough(text);
	return JSON.parse(quoteUnsafeIntegers(text));
}

/**
 * How deep a result may nest. JSON.parse takes any depth, but n8n saves every run by
 * serializing it recursively, and a result 100 000 levels deep crashes n8n itself there
 * ("Maximum call stack size exceeded"). Real workflow output stays far below this.
 */
export const MAX_JSON_DEPTH = 500;

export class JsonTooDeep extends Error {
	readonly hint =
		'n8n could not store a result nested this deep. Flatten the output of the Coze workflow (its End node), or return it as text.';

	constructor() {
		super(`Coze's answer is nested more than ${MAX_JSON_DEPTH} levels deep`);
	}
}

/** One pass over the text, skipping strings; throws JsonTooDeep past MAX_JSON_DEPTH. */
function assertShallowEnough(text: string): void {
	let depth = 0;
	for (let i = 0; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		if (ch === QUOTE) i = endOfString(text, i) - 1;
		else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) {
			if (++depth > MAX_JSON_DEPTH) throw new JsonTooDeep();
		} else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) depth--;
	}
}

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

const UNSAFE_INTEGER_DIGITS = 16;

function quoteUnsafeIntegers(text: string): string {
	if (!/\d{16}/.test(text)) return text;
	const parts: string[] = [];
	let copiedUpTo = 0;
	let i = 0;
	while (i < text.length) {
		const ch = text.charCodeAt(i);
		if (ch === QUOTE) {
			i = endOfString(text, i);
		} else if (ch === MINUS || (ch >= ZERO && ch <= NINE)) {
			let j = i + 1;
			while (j < text.length && NUMBER_CHAR.test(text[j])) j++;
			const literal = text.slice(i, j);
			if (isUnsafeInteger(literal)) {
				parts.push(text.slice(copiedUpTo, i), '"', literal, '"');
				copiedUpTo = j;
			}
			i = j;
		} else {
			i++;
		}
	}
	// Most answers have none: no copy of a large text then.
	if (copiedUpTo === 0) return text;
	parts.push(text.slice(copiedUpTo));
	return parts.join('');
}

const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;
const NUMBER_CHAR = /[0-9.eE+-]/;

function endOfString(text: string, start: number): number {
	let i = start + 1;
	while (i < text.length) {
		const ch = text.charCodeAt(i);
		if (ch === BACKSLASH) i += 2;
		else if (ch === QUOTE) return i + 1;
		else i++;
	}
	return text.length;
}

function isUnsafeInteger(literal: string): boolean {
	if (!/^-?\d+$/.test(literal)) return false;
	const digits = literal.replace('-', '');
	return digits.length >= UNSAFE_INTEGER_DIGITS && !Number.isSafeInteger(Number(literal));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
