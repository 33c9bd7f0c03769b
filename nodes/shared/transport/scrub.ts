import type { IExecuteFunctions, ILoadOptionsFunctions, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { oncePerRun } from '../utils/perRun';

/** Shorter strings would match ordinary text; no Coze token, JWT or key line is this short. */
const MIN_SECRET_CHARS = 8;
const MAX_DEPTH = 64;
export const SCRUBBED = '***';

/**
 * Every secret in play during one run of the node (the access token, each OAuth access token
 * the run used, the private key's lines) and one way to cut them out of whatever the node
 * emits: a hostile or broken server can echo them in a body, a header, an event or a redirect.
 */
export class Scrubber {
	private readonly secrets = new Set<string>();

	add(secret: unknown): void {
		if (typeof secret === 'string' && secret.length >= MIN_SECRET_CHARS) this.secrets.add(secret);
	}

	/** A PEM private key: each of its base64 lines is secret on its own. */
	addPrivateKey(pem: unknown): void {
		if (typeof pem !== 'string') return;
		for (const line of pem.replace(/\\n/g, '\n').split(/\s+/)) {
			if (!line.startsWith('-----') && line.length >= 16) this.add(line);
		}
	}

	text(text: string): string {
		let result = text;
		for (const secret of this.secrets) {
			if (result.includes(secret)) result = result.split(secret).join(SCRUBBED);
		}
		return result;
	}

	/**
	 * Bytes (speech audio), in place: each secret overwritten with as many asterisks, so the file
	 * keeps its size. Only a server that echoes a secret into its audio has one there.
	 */
	bytes(bytes: Buffer): Buffer {
		for (const secret of this.secrets) {
			const needle = Buffer.from(secret, 'utf8');
			for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + needle.length)) bytes.fill(0x2a, at, at + needle.length);
		}
		return bytes;
	}

	optionalText(text: string | undefined): string | undefined {
		return text === undefined ? undefined : this.text(text);
	}

	/** Strings anywhere in `value` (objects and arrays are changed in place). */
	deep<T>(value: T, depth = 0): T {
		if (typeof value === 'string') return this.text(value) as T;
		if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || this.secrets.size === 0) return value;
		const record = value as Record<string, unknown>;
		for (const key of Object.keys(record)) record[key] = this.deep(record[key], depth + 1);
		return value;
	}

	/** The error's message, description and context, before n8n shows, stores or logs them. */
	error<E extends NodeApiError | NodeOperationError>(error: E): E {
		if (this.secrets.size === 0) return error;
		error.message = this.text(error.message);
		if (typeof error.description === 'string') error.description = this.text(error.description);
		this.deep(error.context);
		// NodeApiError keeps the server's words in `messages` too (n8n shows them under the error).
		if ('messages' in error && Array.isArray(error.messages)) this.deep(error.messages);
		return error;
	}
}

/** The run's scrubber, shared by every item (one per call for the editor's list and mapping methods). */
export function runScrubber(context: IExecuteFunctions | ILoadOptionsFunctions): Scrubber {
	if (!('getInputData' in context)) return new Scrubber();
	return oncePerRun(context, 'scrubber', () => new Scrubber());
}
