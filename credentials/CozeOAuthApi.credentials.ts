import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	clampLifetime,
	CozeOAuthSetupError,
	DEFAULT_TOKEN_LIFETIME,
	JWT_BEARER_GRANT,
	MAX_TOKEN_LIFETIME,
	readPrivateKey,
	renewAtMs,
	signCozeJwt,
	JWT_EXCHANGE_PATH,
} from './cozeJwt';
import { readBody } from '../nodes/shared/transport/budget';
import { headersWithin } from '../nodes/shared/transport/request';
import { Scrubber } from '../nodes/shared/transport/scrub';
import type { RawResponse, StreamBody } from '../nodes/shared/transport/types';
import { RequestStopped, Watchdog } from '../nodes/shared/transport/watchdog';
import { addBearerToken, BASE_URL_EXPRESSION, baseUrlOf, isHttpUrl } from './cozeEndpoint';

function checkedBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const baseUrl = baseUrlOf(credentials);
	if (!isHttpUrl(baseUrl)) {
		throw new CozeOAuthSetupError(
			`The Base URL "${baseUrl}" is not an http(s) address`,
			'Set Base URL in the Coze OAuth (JWT) API credential to the address of your Coze endpoint, e.g. https://api.coze.cn.',
		);
	}
	return baseUrl;
}

/** Coze checks `aud` against its API host: the custom endpoint's own host unless told otherwise. */
function audienceOf(credentials: ICredentialDataDecryptedObject, baseUrl: string): string {
	const explicit = String(credentials.audience ?? '').trim();
	return explicit !== '' ? explicit : new URL(baseUrl).host;
}

export class CozeOAuthApi implements ICredentialType {
	name = 'cozeOAuthApi';

	displayName = 'Coze OAuth (JWT) API';

	icon: Icon = { light: 'file:coze.svg', dark: 'file:coze.dark.svg' };

	// The README's section links Coze's OAuth pages on coze.cn and coze.com.
	documentationUrl = 'https://github.com/n8n-nodes-coze/n8n-nodes-coze#oauth-jwt-service-app';

	properties: INodeProperties[] = [
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'Coze China (api.coze.cn)', value: 'cn', description: 'OAuth apps created on www.coze.cn' },
				{ name: 'Coze International (api.coze.com)', value: 'com', description: 'OAuth apps created on www.coze.com' },
				{
					name: 'Custom Coze Cloud Endpoint',
					value: 'custom',
					description: 'A proxy or gateway in front of api.coze.cn or api.coze.com',
				},
			],
			default: 'cn',
			description: 'Where the OAuth app was created. Coze Studio has no OAuth apps: use the Coze API credential with an API key.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://coze-gateway.example.com',
			description: 'Address of the endpoint that forwards to the Coze API',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Audience',
			name: 'audience',
			type: 'string',
			default: '',
			placeholder: 'e.g. api.coze.cn',
			description:
				'The API host Coze expects in the JWT (its aud claim). Leave empty to use the host of Base URL; set api.coze.cn or api.coze.com when Base URL is a proxy.',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 1154567890123',
			description: 'The ID of the OAuth app of type "Service application" (JWT), shown on its page in Coze',
		},
		{
			displayName: 'Public Key Fingerprint',
			name: 'keyId',
			type: 'string',
			default: '',
			required: true,
			description: 'The fingerprint Coze shows next to the public key of the app (sent as the kid of the JWT)',
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: '-----BEGIN PRIVATE KEY----- …',
			description:
				'The private key file Coze downloaded when you created the public key (PEM). Line breaks may be pasted as spaces or \\n.',
		},
		{
			displayName: 'Session Name',
			name: 'sessionName',
			type: 'string',
			default: '',
			description: 'Optional. Tells Coze which of your users the calls are for (the session_name claim), e.g. to keep their conversations apart.',
		},
		{
			displayName: 'Token Lifetime (Seconds)',
			name: 'lifetimeSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_TOKEN_LIFETIME },
			default: DEFAULT_TOKEN_LIFETIME,
			description: `How long each access token is valid, at most ${MAX_TOKEN_LIFETIME} s (24 hours). n8n keeps the token and fetches a new one shortly before it expires.`,
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Renew At',
			name: 'renewAt',
			type: 'hidden',
			default: 0,
		},
	];

	/**
	 * n8n calls this when the stored token is empty or Coze refused it: it signs a JWT with the
	 * app's private key and exchanges it for an access token, which n8n then stores.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const baseUrl = checkedBaseUrl(credentials);
		const lifetime = clampLifetime(credentials.lifetimeSeconds);
		const privateKey = readPrivateKey(String(credentials.privateKey ?? ''));
		const requestedAt = Date.now();
		const jwt = signCozeJwt(privateKey, {
			appId: String(credentials.appId ?? '').trim(),
			keyId: String(credentials.keyId ?? '').trim(),
			audience: audienceOf(credentials, baseUrl),
			sessionName: String(credentials.sessionName ?? '').trim() || undefined,
			now: Math.floor(requestedAt / 1000),
		});
		const url = `${baseUrl}${JWT_EXCHANGE_PATH}`;
		// One deadline for the whole exchange, body included: axios' timeout ends with the headers,
		// and a token endpoint that trickles its answer would hold every item of the run.
		const watchdog = new Watchdog({ timeoutMs: TOKEN_TIMEOUT_MS });
		let response: { statusCode: number; body: unknown; headers: IDataObject };
		try {
			const raw = await headersWithin(
				watchdog,
				this.helpers.httpRequest({
					method: 'POST',
					url,
					headers: { Authorization: `Bearer ${jwt}` },
					body: { grant_type: JWT_BEARER_GRANT, duration_seconds: lifetime },
					json: true,
					encoding: 'stream',
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					disableFollowRedirect: true,
					timeout: TOKEN_TIMEOUT_MS,
				}) as Promise<RawResponse>,
			);
			const text = await readBody(raw.body as StreamBody, watchdog, MAX_TOKEN_ANSWER_BYTES, 'cut');
			response = { statusCode: raw.statusCode, headers: raw.headers as IDataObject, body: parsedObject(text) };
		} catch (error) {
			const code = error instanceof RequestStopped ? 'ETIMEDOUT' : String((error as { code?: string }).code ?? '');
			// In words: n8n replaces an error message that holds a code such as ECONNREFUSED.
			throw new CozeOAuthSetupError(
				`Could not reach the Coze token endpoint at ${new URL(url).host}: ${NETWORK_FAILURES[code] ?? 'the request failed'}`,
				`Check Region and Base URL in the Coze OAuth (JWT) API credential and the network between n8n and Coze.${code ? ` (${code})` : ''}`,
			);
		} finally {
			watchdog.finish();
		}
		const body = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as IDataObject;
		const accessToken = typeof body.access_token === 'string' ? body.access_token : '';
		if (response.statusCode >= 200 && response.statusCode < 300 && accessToken !== '') {
			const expiresIn = Number(body.expires_in);
			const renewAt = renewAtMs(requestedAt, lifetime, Number.isFinite(expiresIn) ? expiresIn : requestedAt / 1000 + lifetime);
			return { accessToken, renewAt };
		}
		throw tokenRefusal(response.statusCode, body, response.headers, jwt);
	}

	authenticate = addBearerToken;

	// n8n runs the JWT exchange before this request whenever the credential holds no token yet.
	test: ICredentialTestRequest = {
		request: {
			baseURL: BASE_URL_EXPRESSION,
			url: '/v1/workspaces?page_num=1&page_size=1',
			method: 'GET',
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 4100,
					message:
						'Coze rejected the access token of this OAuth app (code 4100). Check that Region matches where the app was created (www.coze.cn or www.coze.com) and that the app is authorized for your workspace.',
				},
			},
		],
	};
}

const NETWORK_FAILURES: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host not found',
	ECONNRESET: 'the connection broke',
	ETIMEDOUT: 'no answer in time',
	ECONNABORTED: 'no answer in time',
};

/** A token answer is a few hundred bytes; more is cut (and then not JSON, so refused). */
const MAX_TOKEN_ANSWER_BYTES = 64 * 1024;
const TOKEN_TIMEOUT_MS = 30_000;

function parsedObject(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return {};
	}
}

/** Coze's OAuth errors name the wrong claim or key; they are passed on with what to change. */
function tokenRefusal(status: number, body: IDataObject, headers: IDataObject, jwt: string): CozeOAuthSetupError {
	// The server's words, scrubbed of the JWT (and its signature alone) before they are quoted.
	const scrubber = new Scrubber();
	scrubber.add(jwt);
	scrubber.add(jwt.split('.')[2]);
	const said = (value: unknown) => scrubber.text(String(value ?? '')).slice(0, 500);
	const reason = said(body.error_message ?? body.msg ?? body.error_description);
	const code = said(body.error_code ?? body.code ?? body.error).slice(0, 100);
	const logid = headers?.['x-tt-logid'] === undefined ? undefined : said(headers['x-tt-logid']).slice(0, 100);
	const detail = [code && `code ${code}`, logid && `log ID ${String(logid)}`].filter(Boolean).join(', ');
	const summary = reason
		? `Coze refused the OAuth app's JWT: ${reason}`
		: `Coze's token endpoint answered HTTP ${status} without an access token`;
	const hint =
		status === 404 || reason === ''
			? 'Check Region and Base URL: the token endpoint is at /api/permission/oauth2/token of the Coze API.'
			: 'Check App ID, Public Key Fingerprint and Private Key: they must belong to the same service (JWT) OAuth app, and Region must be where it was created.';
	return new CozeOAuthSetupError(`${summary}${detail ? ` (${detail})` : ''}`, hint);
}
