import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

/** Where both Coze credentials send requests; their tests and the node resolve the same fields. */
export const CLOUD_BASE_URLS: Record<string, string> = {
	cn: 'https://api.coze.cn',
	com: 'https://api.coze.com',
};

/**
 * baseUrlOf as an expression, for the credentials' declarative tests. Without it, a Base URL
 * typed as `localhost:8888` failed the Test button with a bare ERR_INVALID_URL.
 */
export const BASE_URL_EXPRESSION =
	"={{ $credentials.region === 'cn' ? 'https://api.coze.cn' : $credentials.region === 'com' ? 'https://api.coze.com' : String($credentials.baseUrl || '').trim().replace(/\\/+$/, '').replace(/^(?![a-z][a-z0-9+.-]*:\\/\\/)(?=.)/i, 'http://') }}";

/**
 * The API address the credential points at: its region's, or its Base URL without trailing
 * slashes, with http:// in front when it names no scheme (`localhost:8888`, as Studio's own
 * docs write it).
 */
export function baseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	const cloud = CLOUD_BASE_URLS[String(credentials.region ?? 'cn')];
	if (cloud) return cloud;
	return String(credentials.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '')
		.replace(/^(?![a-z][a-z0-9+.-]*:\/\/)(?=.)/i, 'http://');
}

/** `http://user:pass@host`: the HTTP client would send Basic auth in place of the Bearer token. */
export function hasUserInfo(url: string): boolean {
	return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url);
}

export function isHttpUrl(url: string): boolean {
	return /^https?:\/\/[^/\s]+/i.test(url);
}

/**
 * Both credentials' `authenticate`. A function rather than a '=Bearer {{ }}' template: n8n
 * would run its expression engine for that template on every request, which is most of the
 * per-item cost with many items.
 */
export async function addBearerToken(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	return {
		...requestOptions,
		headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.accessToken ?? '')}` },
	};
}
