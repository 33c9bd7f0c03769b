import { createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';

/** Coze's OAuth service-app token exchange (coze-api.md §1.2). */
export const JWT_EXCHANGE_PATH = '/api/permission/oauth2/token';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const DEFAULT_TOKEN_LIFETIME = 900;
export const MAX_TOKEN_LIFETIME = 86399;

/** The JWT only has to live until the token endpoint has read it. */
const JWT_LIFETIME_SECONDS = 600;
/**
 * Coze refuses a JWT issued "in the future" by its own clock; dating it a little back keeps a
 * server whose clock is a few seconds behind n8n's from refusing it.
 */
const JWT_BACKDATE_SECONDS = 30;

export class CozeOAuthSetupError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'CozeOAuthSetupError';
	}
}

/**
 * n8n's password fields are single-line, so a pasted PEM often arrives with its line breaks
 * turned into spaces or into literal "\n". The base64 body is rebuilt from whatever is left.
 */
export function normalizePem(input: string): string {
	const text = input.replace(/\\r/g, '').replace(/\\n/g, '\n').trim();
	const match = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
	const label = match ? match[1] : 'PRIVATE KEY';
	const body = (match ? match[2] : text).replace(/\s+/g, '');
	const lines = body.match(/.{1,64}/g) ?? [];
	return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function readPrivateKey(pem: string): KeyObject {
	const normalized = normalizePem(pem);
	if (normalized.includes('ENCRYPTED')) {
		throw new CozeOAuthSetupError(
			'The private key is encrypted with a passphrase',
			'Paste the private key Coze gave you when you created the public key, without a passphrase (it starts with -----BEGIN PRIVATE KEY-----).',
		);
	}
	const key = parsePrivateKey(normalized);
	if (!key) {
		throw new CozeOAuthSetupError(
			'The private key is not a valid PEM private key',
			'Paste the whole private key file Coze downloaded when you created the public key, from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----.',
		);
	}
	if (key.asymmetricKeyType !== 'rsa') {
		throw new CozeOAuthSetupError(
			`The private key is a ${key.asymmetricKeyType ?? 'non-RSA'} key, not an RSA key`,
			'Coze signs with RS256: use the RSA private key of the key pair whose fingerprint is in Public Key Fingerprint.',
		);
	}
	return key;
}

function parsePrivateKey(pem: string): KeyObject | undefined {
	try {
		return createPrivateKey(pem);
	} catch {
		// The caller explains what a valid key looks like; node's parser message says no more.
		return undefined;
	}
}

export interface CozeJwtClaims {
	appId: string;
	keyId: string;
	audience: string;
	sessionName?: string;
	/** Seconds since the epoch, by n8n's clock. */
	now: number;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An RS256 JWT as Coze's JWT flow asks for: header kid, claims iss/aud/iat/exp/jti(/session_name). */
export function signCozeJwt(privateKey: KeyObject, claims: CozeJwtClaims): string {
	const header = { alg: 'RS256', typ: 'JWT', kid: claims.keyId };
	const payload: Record<string, string | number> = {
		iss: claims.appId,
		aud: claims.audience,
		iat: claims.now - JWT_BACKDATE_SECONDS,
		exp: claims.now + JWT_LIFETIME_SECONDS,
		jti: randomBytes(16).toString('hex'),
	};
	if (claims.sessionName) payload.session_name = claims.sessionName;
	const signingInput = `${base64url(header)}.${base64url(payload)}`;
	const signature = sign('RSA-SHA256', Buffer.from(signingInput), privateKey).toString('base64url');
	return `${signingInput}.${signature}`;
}

/**
 * When to fetch the next token, by n8n's clock: a minute before it expires, or a tenth of its
 * lifetime for short ones. `expiresIn` is Coze's Unix time; when Coze's clock runs ahead of
 * n8n's, the requested lifetime counted from here is the better bound.
 */
export function renewAtMs(requestedAtMs: number, lifetimeSeconds: number, expiresIn: number): number {
	const expiresAtMs = Math.min(expiresIn * 1000, requestedAtMs + lifetimeSeconds * 1000);
	const lifetimeMs = Math.max(0, expiresAtMs - requestedAtMs);
	return expiresAtMs - Math.min(60_000, lifetimeMs / 10);
}

export function clampLifetime(value: unknown): number {
	const seconds = Math.floor(Number(value));
	if (!Number.isFinite(seconds) || seconds < 1) return DEFAULT_TOKEN_LIFETIME;
	return Math.min(seconds, MAX_TOKEN_LIFETIME);
}
