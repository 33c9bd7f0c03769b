/**
 * Coze's OAuth JWT service-app token endpoint — cloud only, Coze Studio has no OAuth (coze-api.md
 * §1.2, [DOC:oauth_jwt], [PY:cozepy/auth/__init__.py] `JWTOAuthApp`):
 *
 *   POST /api/permission/oauth2/token
 *   Authorization: Bearer <JWT>   header  {alg:"RS256", typ:"JWT", kid:<public key fingerprint>}
 *                                 payload {iss:<app id>, aud:<API host>, iat, exp, jti, session_name?}
 *   {"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","duration_seconds":900}
 *   → HTTP 200 {"access_token":"czs_…","expires_in":<UNIX seconds of expiry, not a duration>,"token_type":"Bearer"}
 *
 * The route is not behind the cloud Bearer auth (its Bearer is the JWT; dispatch.ts). Checks, in
 * this order, the first failure answers (HTTP 401 unless said otherwise):
 *  1. a Bearer that is three base64url parts (signature may be empty) with JSON-object header and payload;
 *  2. header alg RS256;
 *  3. header kid present and registered (`oauthApps` / `addOAuthApp`);
 *  4. the RS256 signature verifies with that kid's public key;
 *  5. iss = the app id the kid belongs to;
 *  6. aud = `oauthAudience` (a string; ASSUMPTION: an array `aud` is refused);
 *  7. iat an integer, not after the emulator's clock — NO leeway: a client whose clock runs ahead
 *     must backdate iat;
 *  8. exp an integer, after the emulator's clock, at most 24 h after iat;
 *  9. jti a non-empty string never used before by a JWT that obtained a token (a refused request
 *     does not use up its jti; `reset()` does not forget them); session_name, when present, a string;
 * 10. body a JSON object with the jwt-bearer grant_type (else HTTP 400 unsupported_grant_type),
 *     duration_seconds absent (→ 900) or an integer 1…86399 (else HTTP 400 invalid_request).
 * Then a fresh `czs_<32 hex>` token living min(duration_seconds, maxTokenLifetimeSeconds) seconds
 * (`maxTokenLifetimeSeconds: 0` issues tokens that are refused from the start).
 *
 * ASSUMPTION: the refusal body `{"error_code":"<code>","error_message":"<text>"}` (OAuth-style codes
 * invalid_request / invalid_client / unsupported_grant_type). Coze's OAuth error body is not in
 * coze-api.md; cozepy reads `error_code` / `error_message` from it. Messages name the wrong part of
 * the request and never contain the JWT, its signature or key material (kid, iss and aud values,
 * which are not secret, are quoted).
 *
 * Time: the emulator's clock is `Math.floor(Date.now() / 1000) + clockOffsetSeconds`, read per
 * request. Issued tokens are accepted by the cloud Bearer auth (auth.ts) until that clock reaches
 * their expiry or `expireOAuthTokens()` revokes them; then they are refused as `expiredTokenAnswer` says.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import type { EmulatorState, Handler, IssuedToken, Reply } from './core';
import { json, trickleReply } from './core';
import { isJsonObject } from './json';
import type { ExpiredTokenAnswer, OAuthApp, TokenRequestRecord } from './types';

export const OAUTH_TOKEN_PATH = '/api/permission/oauth2/token';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const DEFAULT_OAUTH_AUDIENCE = 'api.coze.cn';
/** Default `duration_seconds` (cozepy's default ttl). */
export const DEFAULT_TOKEN_DURATION_SECONDS = 900;
export const MAX_DURATION_SECONDS = 86399;
/** Longest JWT life (exp - iat) accepted: 24 h. */
export const MAX_JWT_LIFETIME_SECONDS = 86400;

/** A fresh RSA key pair in PEM, as Coze makes for an OAuth app: the public half goes in `oauthApps`. */
export function newOAuthKeyPair(): { publicKey: string; privateKey: string } {
	return generateKeyPairSync('rsa', {
		modulusLength: 2048,
		publicKeyEncoding: { type: 'spki', format: 'pem' },
		privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
	});
}

/** The emulator's clock, unix seconds. */
export function emulatorNow(state: EmulatorState): number {
	return Math.floor(Date.now() / 1000) + state.clockOffsetSeconds;
}

// ---------------------------------------------------------------- settings (validated when set)

export function checkClockOffset(seconds: number): number {
	if (!Number.isSafeInteger(seconds)) throw new RangeError('clockOffsetSeconds must be an integer');
	return seconds;
}

export function checkMaxTokenLifetime(seconds: number): number {
	if (!(Number.isSafeInteger(seconds) && seconds >= 0)) throw new RangeError('maxTokenLifetimeSeconds must be an integer >= 0');
	return seconds;
}

export function checkExpiredTokenAnswer(answer: ExpiredTokenAnswer): ExpiredTokenAnswer {
	if (answer !== 'body4100' && answer !== 'http401') throw new TypeError(`expiredTokenAnswer must be body4100 or http401, not ${String(answer)}`);
	return answer;
}

/** Registers (or replaces, by keyId) an app's public key. Error messages never quote the PEM. */
export function registerOAuthApp(state: EmulatorState, app: OAuthApp): void {
	if (typeof app.appId !== 'string' || app.appId === '') throw new TypeError('OAuthApp.appId must be a non-empty string');
	if (typeof app.keyId !== 'string' || app.keyId === '') throw new TypeError('OAuthApp.keyId must be a non-empty string');
	let publicKey: KeyObject;
	try {
		publicKey = createPublicKey(app.publicKeyPem);
	} catch {
		throw new TypeError(`OAuthApp ${app.appId} / ${app.keyId}: publicKeyPem is not a readable public key`);
	}
	if (publicKey.asymmetricKeyType !== 'rsa') {
		throw new TypeError(`OAuthApp ${app.appId} / ${app.keyId}: publicKeyPem must be an RSA key (RS256), not ${String(publicKey.asymmetricKeyType)}`);
	}
	state.oauthKeys.set(app.keyId, { appId: app.appId, keyId: app.keyId, publicKey });
}

/** An issued token is accepted until the emulator's clock reaches its expiry, unless revoked. */
export function isTokenLive(state: EmulatorState, token: IssuedToken): boolean {
	return !token.revoked && emulatorNow(state) < token.expiresAt;
}

/** `expireOAuthTokens()`. */
export function revokeOAuthTokens(state: EmulatorState): void {
	for (const t of state.oauthTokens.values()) t.revoked = true;
}

// ---------------------------------------------------------------- the endpoint

interface Refusal {
	status: 400 | 401;
	code: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type';
	message: string;
}

const refuse = (code: Refusal['code'], message: string, status: Refusal['status'] = 401): Refusal => ({ status, code, message });

/** A claim value as a message shows it: JSON text, cut at 100 characters; `nothing` when absent. */
function shown(v: unknown): string {
	if (v === undefined) return 'nothing';
	const s = JSON.stringify(v) ?? String(v);
	return s.length > 100 ? `${s.slice(0, 99)}…` : s;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
	try {
		const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
		return isJsonObject(v) ? v : undefined;
	} catch {
		return undefined;
	}
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const oauthTokenHandler: Handler = (ctx) => {
	const { state } = ctx;
	const now = emulatorNow(state);
	const record: TokenRequestRecord = { ok: false };
	const body = ctx.recorded.body;
	if (isJsonObject(body)) {
		if (body.duration_seconds === undefined) record.durationSeconds = DEFAULT_TOKEN_DURATION_SECONDS;
		else if (typeof body.duration_seconds === 'number') record.durationSeconds = body.duration_seconds;
	}

	const fault = state.tokenEndpointFault;
	if (fault?.kind === 'trickle') {
		state.tokenRequests.push({ ...record, error: 'trickle fault' });
		return trickleReply('{"access_token":"', fault.intervalMs ?? 1000);
	}
	if (fault?.kind === 'echoJwt') {
		const jwt = String(ctx.req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
		state.tokenRequests.push({ ...record, error: 'echoJwt fault' });
		return json(401, { error_code: jwt, error_message: `invalid JWT ${jwt}` });
	}

	const outcome = ((): Refusal | Reply => {
		// 1. the JWT
		const h = ctx.req.headers.authorization;
		const m = /^Bearer\s+(\S.*)$/i.exec(typeof h === 'string' ? h.trim() : '');
		const jwt = m ? m[1].trim() : '';
		if (jwt === '') return refuse('invalid_request', 'missing JWT in the Authorization header');
		const parts = jwt.split('.');
		if (parts.length !== 3 || parts[0] === '' || parts[1] === '' || !parts.every((p) => B64URL.test(p))) {
			return refuse('invalid_request', 'the JWT is not three base64url parts');
		}
		const [headerPart, payloadPart, signaturePart] = parts;
		const header = decodeJsonPart(headerPart);
		const payload = decodeJsonPart(payloadPart);
		if (!header || !payload) return refuse('invalid_request', 'the JWT header or payload is not JSON');
		record.kid = str(header.kid);
		record.appId = str(payload.iss);
		record.audience = str(payload.aud);
		record.sessionName = str(payload.session_name);

		// 2. alg
		if (header.alg !== 'RS256') return refuse('invalid_request', `JWT header alg must be RS256, got ${shown(header.alg)}`);

		// 3. kid
		const kid = header.kid;
		if (kid === undefined || kid === '') return refuse('invalid_request', 'JWT header has no kid');
		const key = typeof kid === 'string' ? state.oauthKeys.get(kid) : undefined;
		if (!key) return refuse('invalid_client', `no public key with fingerprint (kid) ${shown(kid)} is registered for any app`);

		// 4. signature
		const signed = Buffer.from(`${headerPart}.${payloadPart}`, 'ascii');
		let valid = false;
		try {
			valid = verify('RSA-SHA256', signed, key.publicKey, Buffer.from(signaturePart, 'base64url'));
		} catch {
			valid = false;
		}
		if (!valid) {
			return refuse(
				'invalid_client',
				`the JWT signature does not match the public key with fingerprint (kid) ${shown(kid)}: sign with the private key of that key pair`,
			);
		}

		// 5. iss
		if (payload.iss !== key.appId) return refuse('invalid_client', `JWT iss ${shown(payload.iss)} is not the app ID of the key ${shown(kid)}`);

		// 6. aud
		if (payload.aud !== state.oauthAudience) {
			return refuse('invalid_request', `JWT aud must be ${shown(state.oauthAudience)}, got ${shown(payload.aud)}`);
		}

		// 7. iat
		const { iat, exp, jti } = payload;
		if (typeof iat !== 'number' || !Number.isSafeInteger(iat)) {
			return refuse('invalid_request', `JWT iat must be an integer (unix seconds), got ${shown(iat)}`);
		}
		if (iat > now) return refuse('invalid_request', `JWT iat is ${iat - now} s in the future by the server's clock`);

		// 8. exp
		if (typeof exp !== 'number' || !Number.isSafeInteger(exp)) {
			return refuse('invalid_request', `JWT exp must be an integer (unix seconds), got ${shown(exp)}`);
		}
		if (exp <= now) return refuse('invalid_request', 'the JWT has expired (exp)');
		if (exp - iat > MAX_JWT_LIFETIME_SECONDS) return refuse('invalid_request', `the JWT lives longer than 24 h (exp - iat = ${exp - iat} s)`);

		// 9. jti, session_name
		if (typeof jti !== 'string' || jti === '') return refuse('invalid_request', 'JWT has no jti');
		if (state.usedJtis.has(jti)) return refuse('invalid_request', "the JWT's jti was already used");
		if (payload.session_name !== undefined && typeof payload.session_name !== 'string') {
			return refuse('invalid_request', 'JWT session_name must be a string');
		}

		// 10. body
		if (!isJsonObject(body)) return refuse('unsupported_grant_type', 'the request body is not a JSON object', 400);
		if (body.grant_type !== JWT_BEARER_GRANT) {
			return refuse('unsupported_grant_type', `grant_type must be ${shown(JWT_BEARER_GRANT)}, got ${shown(body.grant_type)}`, 400);
		}
		const duration = body.duration_seconds === undefined ? DEFAULT_TOKEN_DURATION_SECONDS : body.duration_seconds; // null is present: refused
		if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 1 || duration > MAX_DURATION_SECONDS) {
			return refuse('invalid_request', `duration_seconds must be an integer from 1 to ${MAX_DURATION_SECONDS}`, 400);
		}

		// 11. the token
		const accessToken = `czs_${randomBytes(16).toString('hex')}`;
		const expiresAt = now + Math.min(duration, state.maxTokenLifetimeSeconds);
		state.usedJtis.add(jti);
		state.oauthTokens.set(accessToken, { expiresAt, revoked: false });
		record.ok = true;
		record.accessToken = accessToken;
		record.expiresAt = expiresAt;
		return json(200, { access_token: accessToken, expires_in: expiresAt, token_type: 'Bearer' });
	})();

	if ('kind' in outcome) {
		state.tokenRequests.push(record);
		return outcome;
	}
	record.error = outcome.message;
	state.tokenRequests.push(record);
	return json(outcome.status, { error_code: outcome.code, error_message: outcome.message });
};
