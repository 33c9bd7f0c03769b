/**
 * The body of a document upload (docs/coze-api.md §11.2): JSON whose files travel as base64
 * strings. It is written straight into one buffer of exactly its size, the files encoded slice
 * by slice, so that a large file is never also held as a base64 string or a JSON text.
 */
import type { IDataObject } from 'n8n-workflow';

/** Bytes per base64 slice: a multiple of 3, so that the slices' base64 joins without padding inside; small enough (64 KB of text) that each slice's string dies young. */
const SLICE_BYTES = 3 * 16 * 1024;

export interface FileField {
	/** Where in the JSON the file goes: its placeholder value, replaced by the quoted base64 of `bytes`. */
	placeholder: string;
	bytes: Buffer;
}

/** A placeholder no JSON text of ours can hold by chance. */
export function filePlaceholder(index: number): string {
	return `\u0000n8n-nodes-coze-file-${index}-${Math.random().toString(36).slice(2)}\u0000`;
}

/** The JSON of `body` with each placeholder string replaced by the base64 of its file. */
export function jsonWithBase64Files(body: IDataObject, files: FileField[]): Buffer {
	let parts: string[] = [JSON.stringify(body)];
	const order: FileField[] = [];
	for (const file of files) {
		const quoted = JSON.stringify(file.placeholder);
		const next: string[] = [];
		for (const part of parts) {
			const at = part.indexOf(quoted);
			if (at < 0) {
				next.push(part);
				continue;
			}
			next.push(part.slice(0, at), part.slice(at + quoted.length));
			order.push(file);
		}
		parts = next;
	}
	// Text parts and files alternate: text, file, text, file … text.
	const base64Length = (bytes: Buffer) => 4 * Math.ceil(bytes.length / 3) + 2;
	const size = parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0) + order.reduce((sum, file) => sum + base64Length(file.bytes), 0);
	const out = Buffer.allocUnsafe(size);
	let offset = 0;
	parts.forEach((part, index) => {
		offset += out.write(part, offset, 'utf8');
		const file = order[index];
		if (!file) return;
		offset += out.write('"', offset, 'latin1');
		for (let start = 0; start < file.bytes.length; start += SLICE_BYTES) {
			offset += out.write(file.bytes.subarray(start, start + SLICE_BYTES).toString('base64'), offset, 'latin1');
		}
		offset += out.write('"', offset, 'latin1');
	});
	return out;
}
