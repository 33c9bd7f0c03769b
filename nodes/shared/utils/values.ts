/** Small conversions of parameter values, named for what they return. */

/** An option given in seconds, as the milliseconds timers and deadlines take. */
export function secondsToMs(seconds: number): number {
	return Math.round(seconds * 1000);
}

/** A text parameter trimmed, or undefined when it is empty or unset. */
export function trimmedOrUndefined(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	return text === '' ? undefined : text;
}

/** Milliseconds as the seconds a user typed, for messages: "3 s", "0.5 s". */
export function msToSecondsLabel(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}
