/**
 * Wire-level tests of the emulator's OAuth JWT service-app token endpoint (test/emulator/oauth.ts,
 * cloud `POST /api/permission/oauth2/token`) and of the access tokens it issues, over real HTTP on
 * 127.0.0.1. Key pairs are generated here and JWTs are signed by hand with node:crypto.
 */
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import type { CozeEmulator, OAuthApp, StartOptions } from './emulator';
import { JWT_BEARER_GRANT, newOAuthKeyPair, OAUTH_TOKEN_PATH, startCozeEmulator } from './emulator';
import { parseArgs, USAGE } from './emulator/cli';
import type { Answer } from './harness/answer';
import { readAnswer } from './harness/answer';

const APP = '1170000000000000001';
const OTHER_APP = '1170000000000000002';
const KID = 'kid_main_0123456789abcdef';
const KID_B = 'kid_second_fedcba9876543210';
const GOOD_BODY = { grant_type: JWT_BEARER_GRANT, duration_seconds: 900 };

type KeyPair = ReturnType<typeof newOAuthKeyPair>;

let main: KeyPair;
let second: KeyPair;
let stranger: KeyPair;

const realNow = (): number => Math.floor(Date.now() / 1000);
const b64url = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8').toString('base64url');

interface JwtSpec {
	/** Header members (undefined removes one). */
	header?: Record<string, unknown>;
	/** Payload members (undefined removes one). */
	claims?: Record<string, unknown>;
	/** Private key PEM to sign with (default: the main pair's). */
	key?: string;
}

function jwt(spec: JwtSpec = {}): string {
	const now = realNow();
	const header = { alg: 'RS256', typ: 'JWT', kid: KID, ...spec.header };
	const payload = { iss: APP, aud: 'api.coze.cn', iat: now, exp: now + 600, jti: randomUUID(), ...spec.claims };
	const signingInput = `${b64url(header)}.${b64url(payload)}`;
	const signature = sign('RSA-SHA256', Buffer.from(signingInput), spec.key ?? main.privateKey).toString('base64url');
	return `${signingInput}.${signature}`;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
	return await readAnswer(await fetch(url, init));
}

/** POST /api/permission/oauth2/token; `body` a string is sent as is, anything else as JSON. */
function tokenRequest(emu: CozeEmulator, bearer: string | null, body: unknown = GOOD_BODY, authorization?: string): Promise<Answer> {
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	if (authorization !== undefined) headers.Authorization = authorization;
	else if (bearer !== null) headers.Authorization = `Bearer ${bearer}`;
	return call(`${emu.url}${OAUTH_TOKEN_PATH}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function accessToken(emu: CozeEmulator, spec: JwtSpec = {}, body: unknown = GOOD_BODY): Promise<string> {
	const a = await tokenRequest(emu, jwt(spec), body);
	expect(a.status).toBe(200);
	return a.json.access_token as string;
}

const runWith = (emu: CozeEmulator, token: string): Promise<Answer> =>
	call(`${emu.url}/v1/workflow/run`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ workflow_id: '7366468917055100000', parameters: { input: 'hi' } }),
	});

const workspacesWith = (emu: CozeEmulator, token: string): Promise<Answer> =>
	call(`${emu.url}/v1/workspaces`, { headers: { Authorization: `Bearer ${token}` } });

/** No JWT part, no key material: no run of 40+ base64 characters, no PEM armour. */
function expectNoSecrets(text: string, token?: string): void {
	expect(text).not.toMatch(/[A-Za-z0-9+/_=-]{40,}/);
	expect(text).not.toContain('BEGIN');
	if (token !== undefined) {
		for (const part of token.split('.').filter((p) => p.length >= 8)) expect(text).not.toContain(part);
	}
	for (const pem of [main.publicKey, main.privateKey, second.publicKey]) {
		for (const line of pem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))) {
			expect(text).not.toContain(line.slice(0, 16));
		}
	}
}

const apps = (): OAuthApp[] => [
	{ appId: APP, keyId: KID, publicKeyPem: main.publicKey },
	{ appId: OTHER_APP, keyId: KID_B, publicKeyPem: second.publicKey },
];

let emu: CozeEmulator;
const started: CozeEmulator[] = [];
async function start(opts: StartOptions): Promise<CozeEmulator> {
	const e = await startCozeEmulator(opts);
	started.push(e);
	return e;
}

beforeAll(async () => {
	main = newOAuthKeyPair();
	second = newOAuthKeyPair();
	stranger = newOAuthKeyPair();
	emu = await startCozeEmulator({ oauthApps: apps() });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());
afterEach(async () => {
	await Promise.all(started.splice(0).map((e) => e.close()));
});

describe('token endpoint: success', () => {
	test('answers access_token, expires_in = unix time now + duration_seconds, token_type Bearer; recorded', async () => {
		const before = realNow();
		const token = jwt({ claims: { session_name: 'user-42' } });
		const a = await tokenRequest(emu, token, { grant_type: JWT_BEARER_GRANT, duration_seconds: 3600 });
		const after = realNow();
		expect(a.status).toBe(200);
		expect(a.headers.get('content-type')).toMatch(/^application\/json/);
		expect(a.headers.get('x-tt-logid')).toMatch(/^\d{14}[0-9A-F]{18}$/);
		expect(Object.keys(a.json)).toEqual(['access_token', 'expires_in', 'token_type']);
		expect(a.json.access_token).toMatch(/^czs_[0-9a-f]{32}$/);
		expect(a.json.token_type).toBe('Bearer');
		const expiresIn = a.json.expires_in as number;
		expect(Number.isInteger(expiresIn)).toBe(true);
		expect(expiresIn).toBeGreaterThanOrEqual(before + 3600);
		expect(expiresIn).toBeLessThanOrEqual(after + 3600);

		expect(emu.tokenRequests).toEqual([
			{
				ok: true,
				kid: KID,
				appId: APP,
				audience: 'api.coze.cn',
				sessionName: 'user-42',
				durationSeconds: 3600,
				accessToken: a.json.access_token,
				expiresAt: expiresIn,
			},
		]);
		expect(emu.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${OAUTH_TOKEN_PATH}`]);
		expect(emu.requests[0].body).toEqual({ grant_type: JWT_BEARER_GRANT, duration_seconds: 3600 });
	});

	test('missing duration_seconds → 900 s; a new token per request', async () => {
		const before = realNow();
		const a = await tokenRequest(emu, jwt(), { grant_type: JWT_BEARER_GRANT });
		const b = await tokenRequest(emu, jwt(), { grant_type: JWT_BEARER_GRANT });
		expect(a.status).toBe(200);
		expect(a.json.expires_in).toBeGreaterThanOrEqual(before + 900);
		expect(a.json.expires_in).toBeLessThanOrEqual(realNow() + 900);
		expect(b.json.access_token).not.toBe(a.json.access_token);
		expect(emu.tokenRequests.map((r) => r.durationSeconds)).toEqual([900, 900]);
	});

	test('duration_seconds capped by maxTokenLifetimeSeconds (StartOptions and setter)', async () => {
		const e = await start({ oauthApps: apps(), maxTokenLifetimeSeconds: 60 });
		expect(e.maxTokenLifetimeSeconds).toBe(60);
		const before = realNow();
		const a = await tokenRequest(e, jwt(), { grant_type: JWT_BEARER_GRANT, duration_seconds: 86399 });
		expect(a.json.expires_in).toBeGreaterThanOrEqual(before + 60);
		expect(a.json.expires_in).toBeLessThanOrEqual(realNow() + 60);
		expect(e.tokenRequests[0].durationSeconds).toBe(86399);
		e.maxTokenLifetimeSeconds = 86399;
		const b = await tokenRequest(e, jwt(), { grant_type: JWT_BEARER_GRANT, duration_seconds: 86399 });
		expect(b.json.expires_in).toBeGreaterThanOrEqual(before + 86399);
		expect(() => (e.maxTokenLifetimeSeconds = -1)).toThrow(RangeError);
		expect(() => (e.maxTokenLifetimeSeconds = 1.5)).toThrow(RangeError);
	});

	test('the issued token works on POST /v1/workflow/run and GET /v1/workspaces; default token still works', async () => {
		const token = await accessToken(emu);
		const run = await runWith(emu, token);
		expect(run.status).toBe(200);
		expect(run.json.code).toBe(0);
		expect(JSON.parse(run.json.data as string)).toMatchObject({ parameters: { input: 'hi' } });
		const ws = await workspacesWith(emu, token);
		expect(ws.status).toBe(200);
		expect(ws.json.code).toBe(0);
		expect((ws.json.data as { workspaces: unknown[] }).workspaces.length).toBeGreaterThan(0);
		expect((await runWith(emu, 'test-token')).json.code).toBe(0);
		expect((await runWith(emu, 'czs_00000000000000000000000000000000')).json).toMatchObject({ code: 4100, msg: 'authentication is invalid' });
	});

	test('a second app (its own key and app id) gets tokens too; addOAuthApp registers and replaces keys', async () => {
		expect((await tokenRequest(emu, jwt({ header: { kid: KID_B }, claims: { iss: OTHER_APP }, key: second.privateKey }))).status).toBe(200);
		const e = await start({});
		const token = jwt();
		expect((await tokenRequest(e, token)).json.error_code).toBe('invalid_client');
		e.addOAuthApp({ appId: APP, keyId: KID, publicKeyPem: main.publicKey });
		expect((await tokenRequest(e, token)).status).toBe(200);
		e.addOAuthApp({ appId: APP, keyId: KID, publicKeyPem: stranger.publicKey }); // key rotated under the same kid
		expect((await tokenRequest(e, jwt())).json.error_message).toMatch(/^the JWT signature does not match/);
		expect((await tokenRequest(e, jwt({ key: stranger.privateKey }))).status).toBe(200);
	});

	test('addOAuthApp refuses what is not an RSA public key, without quoting it', () => {
		const bad = '-----BEGIN PUBLIC KEY-----\nAAAASECRETSECRETSECRET\n-----END PUBLIC KEY-----\n';
		expect(() => emu.addOAuthApp({ appId: APP, keyId: 'k', publicKeyPem: bad })).toThrow(/publicKeyPem is not a readable public key/);
		try {
			emu.addOAuthApp({ appId: APP, keyId: 'k', publicKeyPem: bad });
		} catch (e) {
			expect((e as Error).message).not.toContain('SECRET');
		}
		const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
		expect(() => emu.addOAuthApp({ appId: APP, keyId: 'k', publicKeyPem: ec.publicKey })).toThrow(/must be an RSA key/);
		expect(() => emu.addOAuthApp({ appId: '', keyId: 'k', publicKeyPem: main.publicKey })).toThrow(TypeError);
	});

	test('other methods on the path → 404 like any unknown route; recorded, no token request', async () => {
		for (const method of ['GET', 'PUT', 'DELETE']) {
			const a = await call(`${emu.url}${OAUTH_TOKEN_PATH}`, { method, headers: { Authorization: `Bearer ${jwt()}` } });
			expect(a.status).toBe(404);
			expect(a.text).toBe('404 page not found');
		}
		expect(emu.requests).toHaveLength(3);
		expect(emu.tokenRequests).toHaveLength(0);
	});
});

interface RefusalCase {
	name: string;
	/** The Bearer (a JWT or anything), or null for no Authorization header. */
	bearer: () => string | null;
	authorization?: string;
	body?: unknown;
	status: number;
	code: string;
	message: string | RegExp;
}

const now = realNow;
const REFUSALS: RefusalCase[] = [
	{ name: 'no Authorization header', bearer: () => null, status: 401, code: 'invalid_request', message: 'missing JWT in the Authorization header' },
	{ name: 'Basic scheme', bearer: () => null, authorization: 'Basic dXNlcjpwYXNz', status: 401, code: 'invalid_request', message: 'missing JWT in the Authorization header' },
	{ name: 'two parts', bearer: () => jwt().split('.').slice(0, 2).join('.'), status: 401, code: 'invalid_request', message: 'the JWT is not three base64url parts' },
	{ name: 'four parts', bearer: () => `${jwt()}.AAAA`, status: 401, code: 'invalid_request', message: 'the JWT is not three base64url parts' },
	{ name: 'not base64url (padding)', bearer: () => jwt().replace('.', '=.'), status: 401, code: 'invalid_request', message: 'the JWT is not three base64url parts' },
	{ name: 'header not JSON', bearer: () => `${b64url('not json')}.${jwt().split('.')[1]}.AAAA`, status: 401, code: 'invalid_request', message: 'the JWT header or payload is not JSON' },
	{ name: 'payload a JSON string', bearer: () => `${jwt().split('.')[0]}.${b64url('"x"')}.AAAA`, status: 401, code: 'invalid_request', message: 'the JWT header or payload is not JSON' },
	{ name: 'alg HS256', bearer: () => jwt({ header: { alg: 'HS256' } }), status: 401, code: 'invalid_request', message: 'JWT header alg must be RS256, got "HS256"' },
	{
		name: 'alg none, empty signature',
		bearer: () => `${b64url({ alg: 'none', kid: KID })}.${b64url({ iss: APP })}.`,
		status: 401,
		code: 'invalid_request',
		message: 'JWT header alg must be RS256, got "none"',
	},
	{ name: 'no alg', bearer: () => jwt({ header: { alg: undefined } }), status: 401, code: 'invalid_request', message: 'JWT header alg must be RS256, got nothing' },
	{ name: 'no kid', bearer: () => jwt({ header: { kid: undefined } }), status: 401, code: 'invalid_request', message: 'JWT header has no kid' },
	{
		name: 'unknown kid',
		bearer: () => jwt({ header: { kid: 'kid_nobody' } }),
		status: 401,
		code: 'invalid_client',
		message: 'no public key with fingerprint (kid) "kid_nobody" is registered for any app',
	},
	{
		name: 'signed with another private key',
		bearer: () => jwt({ key: stranger.privateKey }),
		status: 401,
		code: 'invalid_client',
		message: `the JWT signature does not match the public key with fingerprint (kid) "${KID}": sign with the private key of that key pair`,
	},
	{
		name: 'signed with the other app key (kid of the first)',
		bearer: () => jwt({ key: second.privateKey }),
		status: 401,
		code: 'invalid_client',
		message: /^the JWT signature does not match the public key with fingerprint \(kid\) "kid_main_/,
	},
	{
		name: 'payload altered after signing',
		bearer: () => {
			const [h, , s] = jwt().split('.');
			return `${h}.${b64url({ iss: APP, aud: 'api.coze.cn', iat: now(), exp: now() + 600, jti: 'x' })}.${s}`;
		},
		status: 401,
		code: 'invalid_client',
		message: /^the JWT signature does not match/,
	},
	{ name: 'empty signature', bearer: () => jwt().replace(/\.[^.]+$/, '.'), status: 401, code: 'invalid_client', message: /^the JWT signature does not match/ },
	{
		name: 'iss of another app',
		bearer: () => jwt({ claims: { iss: OTHER_APP } }),
		status: 401,
		code: 'invalid_client',
		message: `JWT iss "${OTHER_APP}" is not the app ID of the key "${KID}"`,
	},
	{ name: 'no iss', bearer: () => jwt({ claims: { iss: undefined } }), status: 401, code: 'invalid_client', message: `JWT iss nothing is not the app ID of the key "${KID}"` },
	{
		name: 'aud of the other region',
		bearer: () => jwt({ claims: { aud: 'api.coze.com' } }),
		status: 401,
		code: 'invalid_request',
		message: 'JWT aud must be "api.coze.cn", got "api.coze.com"',
	},
	{
		name: 'aud a URL',
		bearer: () => jwt({ claims: { aud: 'https://api.coze.cn' } }),
		status: 401,
		code: 'invalid_request',
		message: 'JWT aud must be "api.coze.cn", got "https://api.coze.cn"',
	},
	{ name: 'no iat', bearer: () => jwt({ claims: { iat: undefined } }), status: 401, code: 'invalid_request', message: 'JWT iat must be an integer (unix seconds), got nothing' },
	{ name: 'iat not an integer', bearer: () => jwt({ claims: { iat: now() + 0.5 - 10 } }), status: 401, code: 'invalid_request', message: /^JWT iat must be an integer \(unix seconds\), got \d+\.5$/ },
	{
		name: 'iat 60 s in the future',
		bearer: () => jwt({ claims: { iat: now() + 60, exp: now() + 600 } }),
		status: 401,
		code: 'invalid_request',
		message: /^JWT iat is (59|60) s in the future by the server's clock$/,
	},
	{ name: 'no exp', bearer: () => jwt({ claims: { exp: undefined } }), status: 401, code: 'invalid_request', message: 'JWT exp must be an integer (unix seconds), got nothing' },
	{ name: 'exp passed', bearer: () => jwt({ claims: { iat: now() - 100, exp: now() - 1 } }), status: 401, code: 'invalid_request', message: 'the JWT has expired (exp)' },
	{ name: 'exp = iat, both past', bearer: () => jwt({ claims: { iat: now() - 5, exp: now() - 5 } }), status: 401, code: 'invalid_request', message: 'the JWT has expired (exp)' },
	{
		name: 'lives longer than 24 h',
		bearer: () => jwt({ claims: { iat: now() - 10, exp: now() - 10 + 86401 } }),
		status: 401,
		code: 'invalid_request',
		message: 'the JWT lives longer than 24 h (exp - iat = 86401 s)',
	},
	{ name: 'no jti', bearer: () => jwt({ claims: { jti: undefined } }), status: 401, code: 'invalid_request', message: 'JWT has no jti' },
	{ name: 'empty jti', bearer: () => jwt({ claims: { jti: '' } }), status: 401, code: 'invalid_request', message: 'JWT has no jti' },
	{ name: 'session_name not a string', bearer: () => jwt({ claims: { session_name: 42 } }), status: 401, code: 'invalid_request', message: 'JWT session_name must be a string' },
	{ name: 'body not JSON', bearer: () => jwt(), body: 'grant_type=client_credentials', status: 400, code: 'unsupported_grant_type', message: 'the request body is not a JSON object' },
	{ name: 'empty body', bearer: () => jwt(), body: '', status: 400, code: 'unsupported_grant_type', message: 'the request body is not a JSON object' },
	{
		name: 'other grant_type',
		bearer: () => jwt(),
		body: { grant_type: 'client_credentials' },
		status: 400,
		code: 'unsupported_grant_type',
		message: `grant_type must be "${JWT_BEARER_GRANT}", got "client_credentials"`,
	},
	{ name: 'no grant_type', bearer: () => jwt(), body: { duration_seconds: 900 }, status: 400, code: 'unsupported_grant_type', message: `grant_type must be "${JWT_BEARER_GRANT}", got nothing` },
	...[0, 86400, 1.5, '900', -1, null].map(
		(d): RefusalCase => ({
			name: `duration_seconds ${JSON.stringify(d)}`,
			bearer: () => jwt(),
			body: { grant_type: JWT_BEARER_GRANT, duration_seconds: d },
			status: 400,
			code: 'invalid_request',
			message: 'duration_seconds must be an integer from 1 to 86399',
		}),
	),
];

describe('token endpoint: refusals', () => {
	test.each(REFUSALS.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		const bearer = c.bearer();
		const a = await tokenRequest(emu, bearer, c.body ?? GOOD_BODY, c.authorization);
		expect(a.status).toBe(c.status);
		expect(a.headers.get('content-type')).toMatch(/^application\/json/);
		expect(a.headers.get('x-tt-logid')).toMatch(/^\d{14}[0-9A-F]{18}$/);
		expect(Object.keys(a.json)).toEqual(['error_code', 'error_message']); // ASSUMPTION (oauth.ts)
		expect(a.json.error_code).toBe(c.code);
		if (typeof c.message === 'string') expect(a.json.error_message).toBe(c.message);
		else expect(a.json.error_message).toMatch(c.message);
		expectNoSecrets(a.text, bearer ?? undefined);
		expect(emu.tokenRequests).toHaveLength(1);
		expect(emu.tokenRequests[0]).toMatchObject({ ok: false, error: a.json.error_message });
		expect(emu.tokenRequests[0].accessToken).toBeUndefined();
		expect(emu.requests).toHaveLength(1);
	});

	test('a refused request records the claims it carried', async () => {
		await tokenRequest(emu, jwt({ claims: { aud: 'api.coze.com', session_name: 's1' } }), { grant_type: JWT_BEARER_GRANT, duration_seconds: 120 });
		expect(emu.tokenRequests).toEqual([
			{ ok: false, error: 'JWT aud must be "api.coze.cn", got "api.coze.com"', kid: KID, appId: APP, audience: 'api.coze.com', sessionName: 's1', durationSeconds: 120 },
		]);
	});

	test('checks run in order: the first wrong part is named', async () => {
		// wrong alg AND unknown kid AND wrong aud → alg; unknown kid AND bad body → kid
		expect((await tokenRequest(emu, jwt({ header: { alg: 'RS512', kid: 'nope' }, claims: { aud: 'x' } }))).json.error_message).toMatch(/alg/);
		expect((await tokenRequest(emu, jwt({ header: { kid: 'nope' } }), 'junk')).json.error_message).toMatch(/kid/);
		expect((await tokenRequest(emu, jwt({ claims: { iss: 'x', aud: 'y' } }))).json.error_message).toMatch(/iss/);
	});

	test('jti replay: the same JWT twice → the second is refused; a refused request does not use up its jti', async () => {
		const token = jwt();
		expect((await tokenRequest(emu, token)).status).toBe(200);
		const again = await tokenRequest(emu, token);
		expect(again.status).toBe(401);
		expect(again.json).toEqual({ error_code: 'invalid_request', error_message: "the JWT's jti was already used" });
		const jti = `jti-${randomUUID()}`;
		const other = jwt({ claims: { jti } }); // same jti, new JWT: still refused
		expect((await tokenRequest(emu, jwt({ claims: { jti: 'fixed-jti-a' } }))).status).toBe(200);
		expect((await tokenRequest(emu, jwt({ claims: { jti: 'fixed-jti-a', session_name: 'other' } }))).json.error_message).toBe("the JWT's jti was already used");
		// refused for its body: jti not used up
		expect((await tokenRequest(emu, other, { grant_type: 'password' })).status).toBe(400);
		expect((await tokenRequest(emu, other)).status).toBe(200);
		// reset() does not forget used jti values
		emu.reset();
		expect((await tokenRequest(emu, other)).json.error_message).toBe("the JWT's jti was already used");
	});
});

describe('emulator clock', () => {
	test('offset +5: iat = now passes; expires_in is on the emulator clock', async () => {
		const e = await start({ oauthApps: apps(), clockOffsetSeconds: 5 });
		expect(e.clockOffsetSeconds).toBe(5);
		const before = realNow();
		const a = await tokenRequest(e, jwt(), { grant_type: JWT_BEARER_GRANT, duration_seconds: 100 });
		expect(a.status).toBe(200);
		expect(a.json.expires_in).toBeGreaterThanOrEqual(before + 5 + 100);
		expect(a.json.expires_in).toBeLessThanOrEqual(realNow() + 5 + 100);
	});

	test('offset -5: iat = now is in the future (no leeway); iat backdated by 30 s passes', async () => {
		const e = await start({ oauthApps: apps(), clockOffsetSeconds: -5 });
		const a = await tokenRequest(e, jwt());
		expect(a.status).toBe(401);
		expect(a.json.error_code).toBe('invalid_request');
		expect(a.json.error_message).toMatch(/^JWT iat is [45] s in the future by the server's clock$/);
		const before = realNow();
		const b = await tokenRequest(e, jwt({ claims: { iat: realNow() - 30 } }), { grant_type: JWT_BEARER_GRANT, duration_seconds: 100 });
		expect(b.status).toBe(200);
		expect(b.json.expires_in).toBeGreaterThanOrEqual(before - 5 + 100);
		expect(b.json.expires_in).toBeLessThanOrEqual(realNow() - 5 + 100);
	});

	test('the setter applies to the next request; exp is checked on the emulator clock too', async () => {
		emu.clockOffsetSeconds = 1000;
		expect((await tokenRequest(emu, jwt())).json.error_message).toBe('the JWT has expired (exp)'); // exp = real now + 600
		emu.clockOffsetSeconds = -100;
		expect((await tokenRequest(emu, jwt())).json.error_message).toMatch(/^JWT iat is (99|100) s in the future/);
		emu.clockOffsetSeconds = 0;
		expect((await tokenRequest(emu, jwt())).status).toBe(200);
		expect(() => (emu.clockOffsetSeconds = 0.5)).toThrow(RangeError);
		expect(() => (emu.clockOffsetSeconds = Number.NaN)).toThrow(RangeError);
	});
});

describe('issued tokens: expiry and revocation', () => {
	test('maxTokenLifetimeSeconds 1: the token works, then after ~2 s gets 4100 (body4100: HTTP 200)', async () => {
		const e = await start({ oauthApps: apps(), maxTokenLifetimeSeconds: 1 });
		const token = await accessToken(e);
		expect((await runWith(e, token)).json.code).toBe(0);
		await delay(2100);
		const run = await runWith(e, token);
		expect(run.status).toBe(200);
		expect(run.json).toEqual({ code: 4100, msg: 'authentication is invalid', detail: { logid: run.headers.get('x-tt-logid') } });
		const ws = await workspacesWith(e, token);
		expect(ws.status).toBe(200);
		expect(ws.json.code).toBe(4100);
	});

	test('maxTokenLifetimeSeconds 0: the token is born expired (expires_in = now) and refused at once', async () => {
		emu.maxTokenLifetimeSeconds = 0;
		const before = realNow();
		const a = await tokenRequest(emu, jwt());
		expect(a.status).toBe(200);
		expect(a.json.expires_in).toBeGreaterThanOrEqual(before);
		expect(a.json.expires_in).toBeLessThanOrEqual(realNow());
		expect((await runWith(emu, a.json.access_token as string)).json.code).toBe(4100);
	});

	test('http401: an expired token (emulator clock moved on) gets HTTP 401 with the 4100 body; unknown tokens keep HTTP 200', async () => {
		const e = await start({ oauthApps: apps(), expiredTokenAnswer: 'http401' });
		expect(e.expiredTokenAnswer).toBe('http401');
		const token = await accessToken(e, {}, { grant_type: JWT_BEARER_GRANT, duration_seconds: 600 });
		expect((await runWith(e, token)).json.code).toBe(0);
		e.clockOffsetSeconds = 600; // now >= expiresAt
		for (const a of [await runWith(e, token), await workspacesWith(e, token)]) {
			expect(a.status).toBe(401);
			expect(a.json).toEqual({ code: 4100, msg: 'authentication is invalid', detail: { logid: a.headers.get('x-tt-logid') } });
		}
		const unknown = await runWith(e, 'czs_ffffffffffffffffffffffffffffffff');
		expect(unknown.status).toBe(200);
		expect(unknown.json.code).toBe(4100);
		e.clockOffsetSeconds = 0;
		expect((await runWith(e, token)).json.code).toBe(0); // validity follows the emulator clock
		e.expiredTokenAnswer = 'body4100';
		e.clockOffsetSeconds = 10000;
		const again = await runWith(e, token);
		expect(again.status).toBe(200);
		expect(again.json.code).toBe(4100);
		expect(() => (e.expiredTokenAnswer = 'nope' as 'http401')).toThrow(TypeError);
	});

	test('expireOAuthTokens(): every token issued so far is refused, in both answer modes; later tokens work', async () => {
		const t1 = await accessToken(emu);
		const t2 = await accessToken(emu);
		emu.expireOAuthTokens();
		for (const t of [t1, t2]) {
			const a = await runWith(emu, t);
			expect(a.status).toBe(200);
			expect(a.json).toMatchObject({ code: 4100, msg: 'authentication is invalid' });
		}
		emu.expiredTokenAnswer = 'http401';
		expect((await workspacesWith(emu, t1)).status).toBe(401);
		const t3 = await accessToken(emu);
		expect((await runWith(emu, t3)).json.code).toBe(0);
		expect((await runWith(emu, 'test-token')).json.code).toBe(0); // validTokens are not OAuth tokens
	});
});

describe('reset()', () => {
	test('restores clock offset, max lifetime and expiredTokenAnswer to StartOptions; empties tokenRequests (same array); keeps apps and live tokens', async () => {
		const e = await start({ oauthApps: [apps()[0]], clockOffsetSeconds: 2, maxTokenLifetimeSeconds: 3600, expiredTokenAnswer: 'http401' });
		const records = e.tokenRequests;
		e.addOAuthApp(apps()[1]);
		const before = realNow();
		const token = await accessToken(e, {}, { grant_type: JWT_BEARER_GRANT, duration_seconds: 86399 });
		expect(e.tokenRequests[0].expiresAt).toBeGreaterThanOrEqual(before + 2 + 3600);
		const revoked = await accessToken(e);
		e.expireOAuthTokens();
		const live = await accessToken(e);
		e.clockOffsetSeconds = 40;
		e.maxTokenLifetimeSeconds = 5;
		e.expiredTokenAnswer = 'body4100';

		e.reset();
		expect(e.clockOffsetSeconds).toBe(2);
		expect(e.maxTokenLifetimeSeconds).toBe(3600);
		expect(e.expiredTokenAnswer).toBe('http401');
		expect(e.tokenRequests).toBe(records);
		expect(e.tokenRequests).toHaveLength(0);
		expect(e.requests).toHaveLength(0);

		expect((await runWith(e, live)).json.code).toBe(0); // issued before reset(), still valid
		expect((await runWith(e, revoked)).status).toBe(401); // revoked stays revoked
		expect((await runWith(e, token)).status).toBe(401);
		// both the StartOptions app and the added one still get tokens
		expect((await tokenRequest(e, jwt())).status).toBe(200);
		expect((await tokenRequest(e, jwt({ header: { kid: KID_B }, claims: { iss: OTHER_APP }, key: second.privateKey }))).status).toBe(200);
		expect(e.tokenRequests.map((r) => r.ok)).toEqual([true, true]);
	});

	test('defaults after reset() without StartOptions: offset 0, lifetime 86399, body4100', async () => {
		emu.clockOffsetSeconds = 9;
		emu.maxTokenLifetimeSeconds = 9;
		emu.expiredTokenAnswer = 'http401';
		emu.reset();
		expect([emu.clockOffsetSeconds, emu.maxTokenLifetimeSeconds, emu.expiredTokenAnswer]).toEqual([0, 86399, 'body4100']);
	});
});

describe('other audience, studio dialect', () => {
	test('oauthAudience: api.coze.com', async () => {
		const e = await start({ oauthApps: apps(), oauthAudience: 'api.coze.com' });
		expect((await tokenRequest(e, jwt({ claims: { aud: 'api.coze.com' } }))).status).toBe(200);
		expect((await tokenRequest(e, jwt())).json.error_message).toBe('JWT aud must be "api.coze.com", got "api.coze.cn"');
	});

	test('studio: no OAuth endpoint — the path falls under the session-cookie layer (401 missing session_key)', async () => {
		const e = await start({ dialect: 'studio', oauthApps: apps() });
		const a = await tokenRequest(e, jwt());
		expect(a.status).toBe(401);
		expect(a.json).toEqual({ code: 401, msg: 'missing session_key in cookie' });
		expect(a.headers.get('x-log-id')).toMatch(/^[0-9a-f-]{36}$/);
		expect(e.tokenRequests).toHaveLength(0);
		expect(e.requests).toHaveLength(1);
	});
});

describe('cli --oauth-app', () => {
	let dir: string;
	let pemFile: string;
	let colonPemFile: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'coze-emu-oauth-'));
		pemFile = join(dir, 'public.pem');
		writeFileSync(pemFile, main.publicKey);
		colonPemFile = join(dir, 'second:key.pem'); // a path holding a colon
		writeFileSync(colonPemFile, second.publicKey);
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	test('parses APP_ID:KID:PEM_FILE (repeatable, inline form, colons in the path) and the apps get tokens', async () => {
		const opts = parseArgs(['--dialect', 'cloud', '--oauth-app', `${APP}:${KID}:${pemFile}`, `--oauth-app=${OTHER_APP}:${KID_B}:${colonPemFile}`]);
		expect(opts.oauthApps).toEqual(apps());
		expect(opts.dialects).toEqual(['cloud']);
		expect(parseArgs([]).oauthApps).toEqual([]);
		const e = await start({ oauthApps: opts.oauthApps });
		expect((await tokenRequest(e, jwt())).status).toBe(200);
		expect((await tokenRequest(e, jwt({ header: { kid: KID_B }, claims: { iss: OTHER_APP }, key: second.privateKey }))).status).toBe(200);
	});

	test('bad values are refused; the usage text mentions --oauth-app', () => {
		expect(() => parseArgs(['--oauth-app', `${APP}:${KID}`])).toThrow(/--oauth-app must be APP_ID:KID:PUBLIC_KEY_PEM_FILE/);
		expect(() => parseArgs(['--oauth-app', `:${KID}:${pemFile}`])).toThrow(/--oauth-app must be/);
		expect(() => parseArgs(['--oauth-app', `${APP}::${pemFile}`])).toThrow(/--oauth-app must be/);
		expect(() => parseArgs(['--oauth-app', `${APP}:${KID}:${join(dir, 'missing.pem')}`])).toThrow(/--oauth-app 1170000000000000001: cannot read/);
		expect(() => parseArgs(['--oauth-app'])).toThrow('--oauth-app needs a value');
		expect(() => parseArgs(['--help'])).toThrow(USAGE);
		expect(USAGE).toContain('--oauth-app APP_ID:KID:PUBLIC_KEY_PEM_FILE');
	});
});
