/** The multipart body of an upload, and the file-name rules the real servers need (docs/coze-api.md §3, §9.6, §9.7). */

/**
 * Studio's engine takes a file's name and extension from the `x-wf-file_name` query parameter
 * of its URL, which Studio's own editor adds to every uploaded file's URL
 * (coze-studio frontend test-run file materials, TEST_RUN_FILE_NAME_KEY; backend
 * domain/workflow/internal/nodes/convert.go). Without it the file reaches the workflow unnamed.
 */
export function withFileName(url: string, fileName: string): string {
	try {
		const parsed = new URL(url);
		if (!parsed.searchParams.has('x-wf-file_name')) parsed.searchParams.set('x-wf-file_name', fileName);
		return parsed.toString();
	} catch {
		return url;
	}
}

/**
 * A file name as an RFC 5987 ext-value. encodeURIComponent leaves ' ( ) * unencoded, which
 * attr-char does not allow; Go's mime parser (Coze Studio) then drops every parameter of the
 * part, the form field name included, and the upload fails with "can't find file".
 */
export function rfc5987(fileName: string): string {
	return `UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** multipart/form-data with the one part Coze reads, "file", keeping the name and MIME type. */
export function multipartBody(bytes: Buffer, fileName: string, mimeType: string): { body: Buffer; contentType: string } {
	const boundary = `----n8n-nodes-coze-${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
	// A quoted-string may not hold a bare quote or backslash, nor a line break in a header.
	const safeName = fileName.replace(/[\r\n"\\]/g, '_');
	const head =
		`--${boundary}\r\n` +
		`Content-Disposition: form-data; name="file"; filename="${safeName}"; filename*=${rfc5987(fileName)}\r\n` +
		`Content-Type: ${mimeType.replace(/[\r\n]/g, '')}\r\n\r\n`;
	const tail = `\r\n--${boundary}--\r\n`;
	// One buffer of exactly the body's size: the file is copied once, never through a list of parts.
	const body = Buffer.allocUnsafe(Buffer.byteLength(head) + bytes.length + tail.length);
	let offset = body.write(head, 0, 'utf8');
	offset += bytes.copy(body, offset);
	body.write(tail, offset, 'latin1');
	return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
