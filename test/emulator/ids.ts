/**
 * Deterministic-ish 19-digit ids (coze-api.md §2: ids exceed 2^53 and travel as strings).
 * All arithmetic is BigInt; ids are only ever handed out as decimal strings.
 */
import { randomBytes, randomUUID } from 'node:crypto';

const EXECUTE_BASE = 7560000000000000000n;
/** Other objects (conversations, chats, messages, interrupt events): 7564000000000000001, … */
const OBJECT_BASE = 7564000000000000000n;
/** The one workspace ("space") every workflow of the emulator lives in. */
export const SPACE_ID = '7561000000000000001';
/** The user that owns every valid token. */
export const USER_ID = '7562000000000000001';
/** Workflows of the default catalogue: 7563000000000000001, … (catalogue.ts). */
export const WORKFLOW_BASE = 7563000000000000000n;
/** Uploaded files: 7565000000000000001, … */
const FILE_BASE = 7565000000000000000n;

export class IdGenerator {
	private counter = 0n;
	private objects = 0n;

	/** Next execute id: 7560000000000000001, …0002, … */
	nextExecuteId(): string {
		this.counter += 1n;
		return (EXECUTE_BASE + this.counter).toString();
	}

	/** Next 19-digit id for a conversation, chat, message or interrupt event. */
	nextId(): string {
		this.objects += 1n;
		return (OBJECT_BASE + this.objects).toString();
	}

	private files = 0n;

	/** Next uploaded file id: 7565000000000000001, … */
	nextFileId(): string {
		this.files += 1n;
		return (FILE_BASE + this.files).toString();
	}
}

/**
 * Cloud log id, as in `x-tt-logid` / `detail.logid`: 14 digits of UTC time (yyyyMMddHHmmss)
 * followed by 18 upper-case hex characters, e.g. `20241210152726467C48D89D6DB20000` (32 chars,
 * the same length as the documented example, coze-api.md §7.1).
 */
export function cloudLogId(now: Date = new Date()): string {
	const p = (n: number, w = 2): string => String(n).padStart(w, '0');
	const ts =
		`${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}` +
		`${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
	return ts + randomBytes(9).toString('hex').toUpperCase();
}

/** Studio log id: `X-Log-ID: <uuid v4>` (coze-api.md §2, Studio SetLogIDMW). */
export function studioLogId(): string {
	return randomUUID();
}

/** Does `s` parse as a Go int64 with strconv.ParseInt(s, 10, 64)? */
export function parseInt64Error(s: string): 'invalid syntax' | 'value out of range' | undefined {
	if (!/^[+-]?\d+$/.test(s)) return 'invalid syntax';
	const v = BigInt(s);
	if (v > 9223372036854775807n || v < -9223372036854775808n) return 'value out of range';
	return undefined;
}
