/**
 * The two dialects' envelopes, log-id headers and debug URLs (coze-api.md §2, §2.1, §5.3, §7).
 *
 * cloud  — every JSON answer ends with `detail: {logid}` and carries the same value in the
 *          `x-tt-logid` header. Business errors are HTTP 200 with `code != 0`.
 * studio — Hertz handlers; header `X-Log-ID: <uuid>` on every answer from the server (also
 *          auth failures and 404s), never a `detail` object. Its run response struct has no
 *          `omitempty`, so every key is always present (null when unset).
 */
import { STATUS_CODES } from 'node:http';

import type { EmulatorState, Reply } from './core';
import { json } from './core';
import { SPACE_ID } from './ids';
import type { Dialect, Usage } from './types';

export const ZERO_USAGE: Usage = { input_count: 0, output_count: 0, token_count: 0 };

/** Name of the log-id response header. */
export function logIdHeader(dialect: Dialect): string {
	return dialect === 'cloud' ? 'x-tt-logid' : 'X-Log-ID';
}

// ---------------------------------------------------------------- cloud

/** `{...fields, detail: {logid}}` — `detail` always last, as in the documented examples. */
export function cloudBody(logId: string, fields: Record<string, unknown>): Record<string, unknown> {
	return { ...fields, detail: { logid: logId } };
}

export function cloudOk(logId: string, fields: Record<string, unknown>, status = 200): Reply {
	return json(status, cloudBody(logId, { code: 0, msg: '', ...fields }));
}

export function cloudError(logId: string, code: number, msg: string, extra: Record<string, unknown> = {}, status = 200): Reply {
	return json(status, cloudBody(logId, { code, msg, ...extra }));
}

/** The 4000 answer for any malformed request (coze-api.md §5.1). */
export function cloudBadRequest(logId: string): Reply {
	return cloudError(logId, 4000, 'Request parameter error');
}

/**
 * Cloud debug URL: `https://www.coze.cn/work_flow?execute_id=…&space_id=…&workflow_id=…` (§7.1).
 * Error answers observed on api.coze.cn add `&execute_mode=2` (§7.3); `withExecuteMode` does that.
 */
export function cloudDebugUrl(executeId: string, workflowId: string, withExecuteMode = false): string {
	const q =
		`execute_id=${encodeURIComponent(executeId)}&space_id=${SPACE_ID}` +
		`&workflow_id=${encodeURIComponent(workflowId)}`;
	return `https://www.coze.cn/work_flow?${q}${withExecuteMode ? '&execute_mode=2' : ''}`;
}

// ---------------------------------------------------------------- studio

/**
 * Studio debug URL. Studio builds it with Go's url.Values.Encode(), which sorts the keys, so the
 * order is execute_id, execute_mode, space_id, workflow_id (only its fallback, used when the server
 * host config cannot be read, has the order shown in coze-api.md §7.2:
 * `execute_id=…&space_id=…&workflow_id=…&execute_mode=2`). [ST:backend/bizpkg/debugutil/workflow_debug.go]
 * Errors not tied to an execution carry a URL with zero ids (§7.3).
 */
export function studioDebugUrl(state: EmulatorState, workflowId: string, spaceId: string, executeId: string): string {
	const q = new URLSearchParams();
	q.set('execute_id', executeId);
	q.set('execute_mode', '2');
	q.set('space_id', spaceId);
	q.set('workflow_id', workflowId);
	return `${state.url}/work_flow?${q.toString()}`;
}

export function studioZeroDebugUrl(state: EmulatorState): string {
	return studioDebugUrl(state, '0', '0', '0');
}

/** Studio's OpenAPIRunFlowResponse, key order as the Go struct declares it. */
export interface StudioRunFields {
	code: number;
	msg: string | null;
	data: string | null;
	token: number | null;
	cost: string | null;
	debug_url: string | null;
	execute_id: string | null;
}

export function studioRunBody(f: StudioRunFields): Record<string, unknown> {
	return {
		code: f.code,
		msg: f.msg,
		data: f.data,
		token: f.token,
		cost: f.cost,
		debug_url: f.debug_url,
		execute_id: f.execute_id,
		BaseResp: null,
	};
}

/** A workflow error from the run handler: HTTP 200 unless told otherwise, every other key null. */
export function studioRunError(code: number, msg: string, debugUrl: string | null, status = 200): Reply {
	return json(
		status,
		studioRunBody({ code, msg, data: null, token: null, cost: null, debug_url: debugUrl, execute_id: null }),
	);
}

/**
 * Studio's httputil `{"code","msg"}` body: 400 for bind/validation failures, 401 for missing
 * session, HTTP 200 + internal code for errorx errors such as 700012006 (§5.3).
 */
export function studioPlain(status: number, code: number, msg: string): Reply {
	return json(status, { code, msg });
}

/**
 * Message of a Go panic recovered by Studio's application layer. The real message continues
 * with the goroutine's full stack trace; the emulator stands in a short placeholder for it.
 */
export function goPanicMessage(reason: string): string {
	return `panic error: ${reason}, \nstack: goroutine 1 [running]:\n(stack trace elided by the Coze emulator)`;
}

/** Go's strconv.ParseInt error text, e.g. `strconv.ParseInt: parsing "abc": invalid syntax`. */
export function parseIntError(s: string, why: string): string {
	return `strconv.ParseInt: parsing ${JSON.stringify(s)}: ${why}`;
}

// ---------------------------------------------------------------- both

/** nginx's own error page (no log id: the upstream never answered). */
export function nginxErrorPage(status: number): Reply {
	const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
	const body =
		`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
		`<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
	return { kind: 'raw', status, body, contentType: 'text/html', noLogId: true };
}
