/**
 * Authentication per dialect (coze-api.md §1.2, §5.3).
 *
 * cloud  — `Authorization: Bearer <token>`; missing or unknown → HTTP 200
 *          `{"code":4100,"msg":"authentication is invalid","detail":{"logid":…}}`. Accepted: the
 *          `validTokens` and the live access tokens of the OAuth endpoint (oauth.ts); an expired or
 *          revoked OAuth token gets the same body with HTTP 200 or 401 (`expiredTokenAnswer`).
 *          ASSUMPTION: the scheme word is matched case-insensitively (RFC 7235); how api.coze.cn
 *          treats `bearer` is not documented.
 * studio — only an allow-list of paths is "Open API" (Bearer); the header is split on the literal,
 *          case-sensitive word `Bearer` and must yield exactly two parts. Failures are HTTP 200
 *          `{"code":700012006,"msg":"authentication failed: <reason>"}` with reasons
 *          `missing authorization in header` / `missing api_key in request` / `api key invalid`.
 *          Every other path goes through the session-cookie middleware: no `session_key` cookie →
 *          HTTP 401 `{"code":401,"msg":"missing session_key in cookie"}`.
 *          [ST:backend/api/middleware/openapi_auth.go, session.go, request_inspector.go]
 */
import type { Reply, RequestContext } from './core';
import { cloudError, studioPlain } from './dialect';
import { isTokenLive } from './oauth';

function authorizationHeader(ctx: RequestContext): string {
	const h = ctx.req.headers.authorization;
	return typeof h === 'string' ? h : '';
}

/** undefined = authenticated. */
export function cloudAuth(ctx: RequestContext): Reply | undefined {
	const m = /^Bearer\s+(\S.*)$/i.exec(authorizationHeader(ctx).trim());
	const token = m ? m[1].trim() : '';
	if (token !== '' && ctx.state.validTokens.has(token)) return undefined;
	const issued = token === '' ? undefined : ctx.state.oauthTokens.get(token);
	if (issued) {
		if (isTokenLive(ctx.state, issued)) return undefined;
		return cloudError(ctx.logId, 4100, 'authentication is invalid', {}, ctx.state.expiredTokenAnswer === 'http401' ? 401 : 200);
	}
	return cloudError(ctx.logId, 4100, 'authentication is invalid');
}

export const STUDIO_AUTH_FAILED = 700012006;

/** undefined = authenticated. */
export function studioAuth(ctx: RequestContext): Reply | undefined {
	const header = authorizationHeader(ctx);
	const fail = (reason: string): Reply => studioPlain(200, STUDIO_AUTH_FAILED, `authentication failed: ${reason}`);
	if (header.length === 0) return fail('missing authorization in header');
	const parts = header.split('Bearer');
	const token = parts.length === 2 ? parts[1].trim() : '';
	if (token.length === 0) return fail('missing api_key in request');
	if (!ctx.state.validTokens.has(token)) return fail('api key invalid');
	return undefined;
}

const STUDIO_OPENAPI_PATHS = new Set([
	'/v3/chat',
	'/v1/conversations',
	'/v1/conversation/create',
	'/v1/conversation/message/list',
	'/v1/files/upload',
	'/v1/workflow/run',
	'/v1/workflow/stream_run',
	'/v1/workflow/stream_resume',
	'/v1/workflow/get_run_history',
	'/v1/bot/get_online_info',
	'/v1/workflows/chat',
	'/v1/workflow/conversation/create',
	'/v3/chat/cancel',
	'/v1/conversation/retrieve',
	'/v3/chat/retrieve',
	'/v3/chat/message/list',
	'/open_api/knowledge/document/delete',
	'/open_api/knowledge/document/create',
	'/open_api/knowledge/document/update',
	'/open_api/knowledge/document/list',
	'/v1/datasets',
]);

const STUDIO_OPENAPI_PATTERNS = [
	/^\/v1\/conversations\/[0-9]+\/clear$/,
	/^\/v1\/bots\/[0-9]+$/,
	/^\/v1\/conversations\/[0-9]+$/,
	/^\/v1\/workflows\/[0-9]+$/,
	/^\/v1\/apps\/[0-9]+$/,
	/^\/v1\/datasets\/[0-9]+$/,
	/^\/v1\/datasets\/[0-9]+\/images$/,
	/^\/v1\/datasets\/[0-9]+\/process$/,
];

/** Is this path authenticated by API key (rather than by session cookie) on Studio? */
export function isStudioOpenApiPath(path: string): boolean {
	return STUDIO_OPENAPI_PATHS.has(path) || STUDIO_OPENAPI_PATTERNS.some((re) => re.test(path));
}

/** Session check for non-Open-API Studio paths. The emulator has no sessions: any `session_key` cookie passes. */
export function studioSession(ctx: RequestContext): Reply | undefined {
	const cookie = ctx.req.headers.cookie ?? '';
	const has = cookie.split(';').some((c) => {
		const [name, ...rest] = c.trim().split('=');
		return name === 'session_key' && rest.join('=').length > 0;
	});
	return has ? undefined : studioPlain(401, 401, 'missing session_key in cookie');
}
