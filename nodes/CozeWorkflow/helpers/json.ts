/**
 * JSON.parse that keeps integers beyond Number.MAX_SAFE_INTEGER exact by turning them into
 * strings. Coze ids are 19-digit numbers; Coze Studio sends some of them as JSON numbers,
 * which plain JSON.parse would silently round.
 */
export function parseJsonKeepingBigIntegers(text: string): unknown {
	return JSON.parse(quoteUnsafeIntegers(text));
}

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
