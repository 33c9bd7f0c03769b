import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * The OAuth (JWT) credential's token for one run, shared by the items running at once. n8n's
 * pre-authentication gets and stores a new token when the one handed to it is empty; this
 * decides when to hand it an empty one, and makes sure only one request at a time does so.
 */
export interface OAuthSession {
	data: ICredentialDataDecryptedObject;
	/** Set while a request is getting a new token; the others wait for it. */
	renewing?: Promise<void>;
	/** Coze refused this token (401 or code 4100), so the next request gets a new one. */
	refused?: string;
}

export function newOAuthSession(data: ICredentialDataDecryptedObject): OAuthSession {
	return { data };
}

export function currentToken(session: OAuthSession): string {
	return String(session.data.accessToken ?? '');
}

function needsNewToken(session: OAuthSession, now: number): boolean {
	const token = currentToken(session);
	if (token === '' || token === session.refused) return true;
	const renewAt = Number(session.data.renewAt);
	return Number.isFinite(renewAt) && renewAt > 0 && now >= renewAt;
}

/** After Coze refused `token`; a later token from another item is kept. */
export function markTokenRefused(session: OAuthSession, token: string): void {
	if (currentToken(session) === token) session.refused = token;
}

export interface RequestCredentials {
	data: ICredentialDataDecryptedObject;
	/** Must be called once the request is over, whether it succeeded or not. */
	release: () => void;
}

/**
 * The credential data to send one request with. When the token is missing, refused or due for
 * renewal, this request carries an empty token, so that n8n's pre-authentication fetches a new
 * one; n8n writes it into that same object (Object.assign), and the setter below makes it the
 * session's token at once, before the request itself is even sent, so that waiting items do
 * not sit through a long workflow run.
 */
export async function credentialsForRequest(session: OAuthSession): Promise<RequestCredentials> {
	while (session.renewing) await session.renewing;
	if (!needsNewToken(session, Date.now())) return { data: session.data, release: () => undefined };

	let wake: () => void = () => undefined;
	session.renewing = new Promise<void>((resolve) => (wake = resolve));
	const release = () => {
		if (!session.renewing) return;
		session.renewing = undefined;
		wake();
	};
	let token = '';
	const data: ICredentialDataDecryptedObject = { ...session.data };
	Object.defineProperty(data, 'accessToken', {
		enumerable: true,
		configurable: true,
		get: () => token,
		set: (value: unknown) => {
			token = typeof value === 'string' ? value : '';
			if (token === '') return;
			session.data = data;
			session.refused = undefined;
			release();
		},
	});
	return { data, release };
}
