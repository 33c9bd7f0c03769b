/**
 * A small, binary-safe multipart/form-data parser (RFC 7578 / RFC 2046) for `POST /v1/files/upload`.
 * It follows Go's mime/multipart and mime.ParseMediaType closely, because Coze Studio (and, very
 * likely, Coze cloud) parse uploads with them:
 * - the boundary comes from the Content-Type's `boundary` parameter (token or quoted-string);
 * - a preamble before the first delimiter line is skipped; the line ending (CRLF, or bare LF as Go
 *   also accepts) is taken from the first delimiter line; transport padding (spaces / tabs) after a
 *   delimiter is allowed; the epilogue after the close delimiter is ignored;
 * - part headers are decoded as UTF-8 (so a raw UTF-8 `filename="报告.pdf"` works), names are
 *   case-insensitive, folded continuation lines are joined;
 * - Content-Disposition parameters: `name`, `filename` and RFC 5987 / 2231 `filename*=UTF-8''…`
 *   (which wins over `filename`; ISO-8859-1 is decoded too; an undecodable one is ignored);
 *   a backslash escapes the next character only before a tspecial (Go's consumeValue keeps
 *   `C:\path` intact);
 * - part bodies are kept as Buffers, byte for byte.
 */

export interface MultipartPart {
	/** Header names lower-cased; the last of a repeated header wins. */
	headers: Record<string, string>;
	/** Content-Disposition `name` (form-data only). */
	name?: string;
	/** Content-Disposition `filename*` (decoded) or `filename`; undefined when neither is present. */
	filename?: string;
	/** The part's Content-Type header ('' when absent). */
	contentType: string;
	data: Buffer;
}

export type MultipartResult = { ok: true; parts: MultipartPart[] } | { ok: false; error: string };

const TSPECIALS = new Set(['(', ')', '<', '>', '@', ',', ';', ':', '\\', '"', '/', '[', ']', '?', '=']);

/** `type/subtype; a=b; c="d"` → the lower-cased value and its parameters (names lower-cased); undefined if malformed. */
export function parseHeaderValue(header: string): { value: string; params: Map<string, string> } | undefined {
	let i = header.indexOf(';');
	const value = (i === -1 ? header : header.slice(0, i)).trim().toLowerCase();
	if (value === '') return undefined;
	const params = new Map<string, string>();
	const s = i === -1 ? '' : header.slice(i);
	i = 0;
	while (i < s.length) {
		// at ';' (or trailing whitespace)
		while (i < s.length && (s[i] === ';' || s[i] === ' ' || s[i] === '\t')) i++;
		if (i >= s.length) break;
		const eq = s.indexOf('=', i);
		if (eq === -1) return undefined;
		const name = s.slice(i, eq).trim().toLowerCase();
		if (name === '' || /[\s"]/.test(name)) return undefined;
		i = eq + 1;
		while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
		let v = '';
		if (s[i] === '"') {
			i++;
			let closed = false;
			while (i < s.length) {
				const c = s[i];
				if (c === '"') {
					closed = true;
					i++;
					break;
				}
				if (c === '\\' && i + 1 < s.length && TSPECIALS.has(s[i + 1])) {
					v += s[i + 1];
					i += 2;
					continue;
				}
				v += c;
				i++;
			}
			if (!closed) return undefined;
		} else {
			const end = s.indexOf(';', i);
			v = (end === -1 ? s.slice(i) : s.slice(i, end)).trim();
			i = end === -1 ? s.length : end;
			// Go's mime.ParseMediaType (mime/mediatype.go consumeValue / isTokenChar): an unquoted
			// value must be a token (ASCII, no tspecials). Otherwise it returns the media type with
			// ErrInvalidMediaParameter and no parameters at all, so multipart's FormName() is "" and
			// Coze Studio does not find the "file" part (coze-api.md §9.6, backend/application/upload/icon.go).
			if (![...v].every(isTokenChar)) return { value, params: new Map() };
		}
		params.set(name, v);
	}
	return { value, params };
}

function isTokenChar(c: string): boolean {
	const code = c.charCodeAt(0);
	return c.length === 1 && code > 0x20 && code < 0x7f && !TSPECIALS.has(c);
}

/** RFC 5987 ext-value `charset'lang'%XX…` → text; undefined if the charset is unknown or the encoding broken. */
export function decodeExtValue(ext: string): string | undefined {
	const m = /^([^']*)'[^']*'(.*)$/.exec(ext);
	if (!m) return undefined;
	const charset = m[1].toLowerCase();
	if (charset !== 'utf-8' && charset !== 'iso-8859-1' && charset !== 'us-ascii') return undefined;
	const bytes: number[] = [];
	const s = m[2];
	for (let i = 0; i < s.length; i++) {
		if (s[i] === '%') {
			if (!/^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) return undefined;
			bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
			i += 2;
		} else {
			const code = s.charCodeAt(i);
			if (code > 0x7e) return undefined;
			bytes.push(code);
		}
	}
	const buf = Buffer.from(bytes);
	if (charset !== 'utf-8') return buf.toString('latin1');
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(buf);
	} catch {
		return undefined;
	}
}

/** The `boundary` parameter of a Content-Type header ('' when absent); undefined when the header is not a media type. */
export function boundaryOf(contentType: string): { mediaType: string; boundary: string } | undefined {
	const p = parseHeaderValue(contentType);
	if (!p || !/^[^/\s]+\/[^/\s]+$/.test(p.value)) return undefined;
	return { mediaType: p.value, boundary: p.params.get('boundary') ?? '' };
}

function isLwsp(b: number): boolean {
	return b === 0x20 || b === 0x09;
}

/**
 * At `pos` (just after `--boundary`): transport padding then a line end → the next part; `--` → the
 * end. Returns where the next thing starts, or undefined if this is not a delimiter line
 * (e.g. `--boundaryX`).
 */
function afterDelimiter(body: Buffer, pos: number, nl: Buffer): { next: number; final: boolean } | undefined {
	if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return { next: body.length, final: true };
	let i = pos;
	while (i < body.length && isLwsp(body[i])) i++;
	if (body.subarray(i, i + nl.length).equals(nl)) return { next: i + nl.length, final: false };
	return undefined;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartResult {
	if (boundary === '') return { ok: false, error: 'multipart: no boundary' }; // RFC 2046's 70-character cap is not enforced (Go's reader does not either)
	const dash = Buffer.from(`--${boundary}`, 'latin1');

	// First delimiter: at the very start or at the start of a line of the preamble.
	let at = -1;
	let nl: Buffer = Buffer.from('\r\n');
	for (let from = 0; ; ) {
		const i = body.indexOf(dash, from);
		if (i === -1) break;
		if (i === 0 || body[i - 1] === 0x0a) {
			const rest = body.subarray(i + dash.length);
			let j = 0;
			while (j < rest.length && isLwsp(rest[j])) j++;
			if (rest[j] === 0x0d && rest[j + 1] === 0x0a) nl = Buffer.from('\r\n');
			else if (rest[j] === 0x0a) nl = Buffer.from('\n');
			else if (rest[0] === 0x2d && rest[1] === 0x2d) return { ok: true, parts: [] }; // close delimiter only
			else {
				from = i + 1;
				continue;
			}
			at = i;
			break;
		}
		from = i + 1;
	}
	if (at === -1) return { ok: false, error: 'multipart: NextPart: EOF' };

	const parts: MultipartPart[] = [];
	const delim = Buffer.concat([nl, dash]);
	const first = afterDelimiter(body, at + dash.length, nl);
	if (!first) return { ok: false, error: 'multipart: malformed first delimiter' };
	let pos = first.next;
	const blank = Buffer.concat([nl, nl]);
	for (;;) {
		// headers
		let headerEnd: number;
		let contentStart: number;
		if (body.subarray(pos, pos + nl.length).equals(nl)) {
			headerEnd = pos; // no headers at all
			contentStart = pos + nl.length;
		} else {
			const e = body.indexOf(blank, pos);
			if (e === -1) return { ok: false, error: 'multipart: unexpected EOF in part headers' };
			headerEnd = e;
			contentStart = e + blank.length;
		}
		const headers = parseHeaderBlock(body.subarray(pos, headerEnd).toString('utf8'), nl.toString('latin1'));
		if (!headers) return { ok: false, error: 'multipart: malformed MIME header line' };

		// Content: up to the next real delimiter line (nl--boundary then padding+nl, or --). It may
		// start right at contentStart - nl (an empty part whose blank line's nl doubles as the
		// delimiter's, which Go accepts too).
		let search = contentStart - nl.length;
		let end = -1;
		let next: { next: number; final: boolean } | undefined;
		while (end === -1) {
			const d = body.indexOf(delim, search);
			if (d === -1) return { ok: false, error: 'multipart: NextPart: unexpected EOF' };
			next = afterDelimiter(body, d + delim.length, nl);
			if (next) end = Math.max(d, contentStart);
			else search = d + 1;
		}
		if (!next) return { ok: false, error: 'multipart: NextPart: unexpected EOF' };
		const data = Buffer.from(body.subarray(contentStart, end));
		parts.push(makePart(headers, data));
		if (next.final) break;
		pos = next.next;
	}
	return { ok: true, parts };
}

function parseHeaderBlock(text: string, nl: string): Record<string, string> | undefined {
	const headers: Record<string, string> = {};
	if (text === '') return headers;
	let last: string | undefined;
	for (const line of text.split(nl)) {
		if (line === '') continue;
		if ((line[0] === ' ' || line[0] === '\t') && last !== undefined) {
			headers[last] += ` ${line.trim()}`;
			continue;
		}
		const colon = line.indexOf(':');
		if (colon <= 0) return undefined;
		last = line.slice(0, colon).trim().toLowerCase();
		headers[last] = line.slice(colon + 1).trim();
	}
	return headers;
}

function makePart(headers: Record<string, string>, data: Buffer): MultipartPart {
	const part: MultipartPart = { headers, contentType: headers['content-type'] ?? '', data };
	const cd = headers['content-disposition'];
	const parsed = cd === undefined ? undefined : parseHeaderValue(cd);
	if (parsed && parsed.value === 'form-data') {
		part.name = parsed.params.get('name');
		const ext = parsed.params.get('filename*');
		const decoded = ext === undefined ? undefined : decodeExtValue(ext);
		part.filename = decoded ?? parsed.params.get('filename');
	}
	return part;
}
