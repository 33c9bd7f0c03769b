/**
 * `POST /v1/files/upload` in both dialects (coze-api.md §3, §5.1) and, on Studio, the uploaded
 * file's URL (`GET /local_storage/…`, the docker compose nginx → MinIO path) serving it back.
 * Every accepted upload is recorded in `emulator.uploads` (name, MIME type, size, sha256, bytes).
 * A "file part" is what Go's multipart.Reader.ReadForm files: a part named `file` whose
 * Content-Disposition has a non-empty filename (`filename*` or `filename`); a `file` part without a
 * filename is a plain form value (ASSUMPTION for cloud, which likely parses alike).
 *
 * cloud ([DOC:upload_files], §3; HTTP 200 and `{code,msg,detail}` for every error — ASSUMPTION, like
 * the other endpoints; msg texts are English renderings of the doc's table, ASSUMPTION):
 * - Content-Type not multipart/form-data with a boundary, or an unparseable body → 4300 (§5.1: 4300
 *   covers "wrong Content-Type"; ASSUMPTION for a malformed body);
 * - no file part → 4300; more than one → 4301;
 * - a file larger than `uploadLimits.maxBytes` (default 512 MiB) → 4302;
 * - an empty (0-byte) file → 4300 (ASSUMPTION: §5.1 "uploaded file empty");
 * - a refused extension / part Content-Type (`uploadLimits`, default `.exe`) → 4303;
 * - success: `{code:0,msg:"",data:{id,bytes,file_name,created_at},detail}`; file_name as sent
 *   (ASSUMPTION: no basename stripping documented).
 *   Files cannot be downloaded back from cloud (§3): there is no URL and no download route.
 *
 * Studio [ST:backend/api/handler/coze/bot_open_api_service.go UploadFileOpen,
 * backend/application/upload/icon.go UploadFileOpen / parseMultipartFormData, backend/types/errno/upload.go,
 * backend/main.go, docker/nginx]:
 * - a request body over `uploadLimits.maxBytes` (Hertz MAX_REQUEST_BODY_SIZE, 1 GiB in the docker
 *   .env; nginx has client_max_body_size 0) → HTTP 413 text/plain `Request Entity Too Large` from
 *   Hertz before any handler, hence no X-Log-ID (ASSUMPTION: Hertz's default error handler text,
 *   recalled, not read). Studio itself has no per-file limit: ReadForm(200 MB) spills big files to disk.
 * - no Content-Type header → HTTP 400 `{code:400,msg}` (required header binding; message ASSUMPTION);
 * - a Content-Type that is not a media type → 104000003 `invalid content-type : <value>`; the media
 *   type itself is not checked — only its boundary is used, so no boundary / a broken body →
 *   104000005 `multipart form data read failed`;
 * - no file part → 104000006 `upload file（open）can't find file`; more than one → 104000007
 *   `upload file（open）exceed one file` (full-width parentheses as in the source);
 * - empty files and every type are accepted (no such checks in UploadFileOpen). A refused type
 *   configured by a test answers 104000002 `invalid Upload type : <ext or type>` (the errno Studio
 *   defines for upload types; an emulator-only fault);
 * - errors are HTTP 200 `{code,msg}` (httputil.InternalError);
 * - success: HTTP 200 `{"data":{uri,bytes,CreatedAt,file_name,url,id},"code":0,"msg":"","BaseResp":null}`
 *   (UploadFileOpenResponse / File key order); file_name = Go's FileName() = the basename of the
 *   decoded filename; uri `bot_files/<uuid>/<file_name>`; url = MinIO's presigned GET URL as nginx
 *   rewrites it (`minio:9000` → `<Host>/local_storage`), i.e.
 *   `<emulator>/local_storage/opencoze/bot_files/<uuid>/<name>?X-Amz-Algorithm=…&X-Amz-Signature=…`
 *   (7-day expiry as GetObjectUrl's default; the signature is a stand-in, not real SigV4).
 * - `GET <url>` serves the bytes with the part's Content-Type (MinIO default
 *   application/octet-stream), no X-Log-ID. nginx drops an `x-wf-file_name` query parameter (the
 *   workflow engine's file-name hint, §3); any other change of the presigned query → 403
 *   SignatureDoesNotMatch; an unknown object → 404 NoSuchKey (MinIO XML errors).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

import type { Reply, RequestContext } from './core';
import { json } from './core';
import { cloudError, cloudOk, studioPlain } from './dialect';
import type { MultipartPart } from './multipart';
import { boundaryOf, parseMultipart } from './multipart';
import type { UploadRecord } from './types';

export const UPLOAD_PATH = '/v1/files/upload';
/** nginx `location /local_storage/` → MinIO; the docker .env STORAGE_BUCKET. */
export const STUDIO_STORAGE_PREFIX = '/local_storage/';
export const STUDIO_BUCKET = 'opencoze';

/** ASSUMPTION: English renderings of the doc's 4300–4303 descriptions. */
export const CLOUD_UPLOAD_MSG = {
	4300: 'The uploaded file is empty. Please check the file and make sure the Content-Type is multipart/form-data.',
	4301: 'Only one file can be uploaded at a time.',
	4302: 'The file size exceeds the limit.',
	4303: 'The file type is not supported.',
} as const;

export const STUDIO_UPLOAD_ERR = {
	invalidType: 104000002,
	invalidContentType: 104000003,
	readFailed: 104000005,
	noFile: 104000006,
	moreThanOne: 104000007,
} as const;

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function header(ctx: RequestContext, name: string): string | undefined {
	const v = ctx.req.headers[name];
	return Array.isArray(v) ? v[0] : v;
}

/** Parts Go's ReadForm would put into form.File["file"]. */
function fileParts(parts: MultipartPart[]): MultipartPart[] {
	return parts.filter((p) => p.name === 'file' && p.filename !== undefined && p.filename !== '');
}

function extensionOf(name: string): string {
	const base = name.slice(name.lastIndexOf('/') + 1);
	const dot = base.lastIndexOf('.');
	return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** The refused extension or MIME type, if the limits refuse this part. */
function refusal(ctx: RequestContext, part: MultipartPart): string | undefined {
	const { refusedExtensions, refusedMimeTypes } = ctx.state.uploadLimits;
	const ext = extensionOf(part.filename ?? '');
	if (ext !== '' && refusedExtensions.some((e) => e.replace(/^\./, '').toLowerCase() === ext)) return ext;
	const mime = part.contentType.split(';')[0].trim().toLowerCase();
	if (mime !== '' && refusedMimeTypes.some((m) => m.toLowerCase() === mime)) return mime;
	return undefined;
}

function record(ctx: RequestContext, part: MultipartPart, id: string, fileName: string, extra: Partial<UploadRecord> = {}): UploadRecord {
	const r: UploadRecord = {
		dialect: ctx.state.dialect,
		id,
		fileName,
		mimeType: part.contentType,
		size: part.data.length,
		sha256: createHash('sha256').update(part.data).digest('hex'),
		bytes: part.data,
		createdAt: nowSeconds(),
		...extra,
	};
	ctx.state.uploads.push(r);
	return r;
}

// ====================================================================== cloud

export function cloudUploadHandler(ctx: RequestContext): Reply {
	const { logId } = ctx;
	const fail = (code: keyof typeof CLOUD_UPLOAD_MSG): Reply => cloudError(logId, code, CLOUD_UPLOAD_MSG[code]);
	const ct = boundaryOf(header(ctx, 'content-type') ?? '');
	if (!ct || ct.mediaType !== 'multipart/form-data' || ct.boundary === '') return fail(4300);
	const parsed = parseMultipart(ctx.bodyBytes, ct.boundary);
	if (!parsed.ok) return fail(4300);
	const files = fileParts(parsed.parts);
	if (files.length === 0) return fail(4300);
	if (files.length > 1) return fail(4301);
	const part = files[0];
	if (part.data.length > ctx.state.uploadLimits.maxBytes) return fail(4302);
	if (part.data.length === 0) return fail(4300);
	if (refusal(ctx, part) !== undefined) return fail(4303);
	const fileName = part.filename ?? '';
	const r = record(ctx, part, ctx.state.ids.nextFileId(), fileName);
	return cloudOk(logId, { data: { id: r.id, bytes: r.size, file_name: fileName, created_at: r.createdAt } });
}

// ====================================================================== studio

/** Go's filepath.Base on Linux. */
function goBase(name: string): string {
	const trimmed = name.replace(/\/+$/, '');
	if (trimmed === '') return name === '' ? '.' : '/';
	return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** MinIO-go's path encoding of an object key: every byte but unreserved characters and `/`. */
function encodeObjectKey(key: string): string {
	return key
		.split('/')
		.map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
		.join('/');
}

function amzDate(d: Date): string {
	return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Hertz answers a too-large body before routing (see the header comment). */
export function studioBodyTooLarge(ctx: RequestContext): Reply | undefined {
	if (ctx.bodyBytes.length <= ctx.state.uploadLimits.maxBytes) return undefined;
	return { kind: 'raw', status: 413, body: 'Request Entity Too Large', contentType: 'text/plain; charset=utf-8', noLogId: true };
}

export function studioUploadHandler(ctx: RequestContext): Reply {
	const { state } = ctx;
	const fail = (code: number, msg: string): Reply => studioPlain(200, code, msg);
	const ctHeader = header(ctx, 'content-type');
	if (ctHeader === undefined) {
		return studioPlain(400, 400, "'Content-Type' field is a 'required' parameter, but the request does not have this parameter");
	}
	const ct = boundaryOf(ctHeader);
	if (!ct) return fail(STUDIO_UPLOAD_ERR.invalidContentType, `invalid content-type : ${ctHeader}`);
	const parsed = parseMultipart(ctx.bodyBytes, ct.boundary);
	if (!parsed.ok) return fail(STUDIO_UPLOAD_ERR.readFailed, 'multipart form data read failed');
	const files = fileParts(parsed.parts);
	if (files.length === 0) return fail(STUDIO_UPLOAD_ERR.noFile, 'upload file（open）can\'t find file');
	if (files.length > 1) return fail(STUDIO_UPLOAD_ERR.moreThanOne, 'upload file（open）exceed one file');
	const part = files[0];
	const refused = refusal(ctx, part);
	if (refused !== undefined) return fail(STUDIO_UPLOAD_ERR.invalidType, `invalid Upload type : ${refused}`);

	const fileName = goBase(part.filename ?? '');
	const key = `bot_files/${randomUUID()}/${fileName}`;
	const now = new Date();
	const day = amzDate(now).slice(0, 8);
	const query: Record<string, string> = {
		'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
		'X-Amz-Credential': `minioadmin/${day}/us-east-1/s3/aws4_request`,
		'X-Amz-Date': amzDate(now),
		'X-Amz-Expires': '604800',
		'X-Amz-SignedHeaders': 'host',
		'X-Amz-Signature': randomBytes(32).toString('hex'),
	};
	const url = `${state.url}${STUDIO_STORAGE_PREFIX}${STUDIO_BUCKET}/${encodeObjectKey(key)}?${new URLSearchParams(query).toString()}`;
	const r = record(ctx, part, state.ids.nextFileId(), part.filename ?? '', { uri: key, url });
	state.storedObjects.set(key, { upload: r, contentType: part.contentType || 'application/octet-stream', query });
	return json(200, {
		data: { uri: key, bytes: r.size, CreatedAt: r.createdAt, file_name: fileName, url, id: r.id },
		code: 0,
		msg: '',
		BaseResp: null,
	});
}

function minioError(status: number, code: string, message: string, resource: string): Reply {
	const body =
		'<?xml version="1.0" encoding="UTF-8"?>\n' +
		`<Error><Code>${code}</Code><Message>${message}</Message><Resource>${resource}</Resource>` +
		`<RequestId>${randomBytes(8).toString('hex').toUpperCase()}</RequestId><HostId>emulator</HostId></Error>`;
	return { kind: 'raw', status, body, contentType: 'application/xml', noLogId: true };
}

/** `GET /local_storage/<bucket>/<key>?<presigned query>` on Studio (path already slash-collapsed). */
export function studioStorageHandler(ctx: RequestContext, path: string): Reply {
	const rest = path.slice(STUDIO_STORAGE_PREFIX.length);
	const resource = `/${rest}`;
	if (ctx.recorded.method !== 'GET' && ctx.recorded.method !== 'HEAD') {
		return minioError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', resource);
	}
	let decoded: string;
	try {
		decoded = decodeURIComponent(rest);
	} catch {
		return minioError(400, 'InvalidArgument', 'Invalid object name.', resource);
	}
	const prefix = `${STUDIO_BUCKET}/`;
	const obj = decoded.startsWith(prefix) ? ctx.state.storedObjects.get(decoded.slice(prefix.length)) : undefined;
	if (!obj) return minioError(404, 'NoSuchKey', 'The specified key does not exist.', resource);
	// nginx: `x-wf-file_name` is removed from $args before proxying; MinIO checks the rest.
	const q = { ...ctx.recorded.query };
	delete q['x-wf-file_name'];
	const issued = obj.query;
	const same = Object.keys(q).length === Object.keys(issued).length && Object.entries(issued).every(([k, v]) => q[k] === v);
	if (!same) {
		return minioError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.', resource);
	}
	const bytes = ctx.recorded.method === 'HEAD' ? Buffer.alloc(0) : obj.upload.bytes;
	return {
		kind: 'raw',
		status: 200,
		body: bytes,
		contentType: obj.contentType,
		noLogId: true,
		headers: {
			'Content-Length': String(obj.upload.size),
			ETag: `"${createHash('md5').update(obj.upload.bytes).digest('hex')}"`,
			'Last-Modified': new Date(obj.upload.createdAt * 1000).toUTCString(),
			'Accept-Ranges': 'bytes',
		},
	};
}
