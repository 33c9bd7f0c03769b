import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * The OAuth (JWT) credential's token, shared by the items of a run and by the runs of the
 * process that use the same credential (`oauthSessionFor`). n8n's
 * pre-authentication gets and stores a new token when the one handed to it is empty; this
 * decides when to hand it an empty one, and makes sure only one request at a time does so.
 */
export interface OAuthSession {
	data: ICredentialDataDecryptedObject;
	/** Set while a request is getting a new token; the others wait for it. */
	renewing?: Promise<void>;
	/** Coze refused this token (401 or code 4100), so the next request gets a new one. */
	refused?: string;
	/** Tokens this session has replaced or seen refused: never taken back from a stored credential read before the change. */
	superseded?: string[];
}

const MAX_SUPERSEDED = 8;

// What decides which token Coze issues: a credential edited in any of these gets a session of its own.
const TOKEN_FIELDS = ['region', 'baseUrl', 'audience', 'appId', 'keyId', 'privateKey', 'sessionName', 'lifetimeSeconds'];
const MAX_SHARED_SESSIONS = 100;

/**
 * The sessions of this n8n process, by credential. Executions that start at the same time all
 * read the credential before any of them has stored a token, and each would fetch its own: on
 * a worker running many executions at once, that was one token exchange per execution. Shared
 * here, one fetch serves every execution of the process, and only processes (the workers of
 * queue mode) still race each other: n8n offers nodes no lock across processes, and Coze's
 * token exchange accepts each signed JWT once, so it cannot be made idempotent either.
 */
const sharedSessions = new Map<string, OAuthSession>();

/**
 * The session for a run with this credential (`credentialId` is n8n's id of it; without one,
 * as in a credential test, the run gets a session of its own), brought up to date with what
 * the run read from n8n's credential store.
 */
export function oauthSessionFor(credentialId: string | undefined, data: ICredentialDataDecryptedObject): OAuthSession {
	if (!credentialId) return { data };
	const key = [credentialId, ...TOKEN_FIELDS.map((field) => String(data[field] ?? ''))].join('\u0000');
	const shared = sharedSessions.get(key);
	if (!shared) {
		// The credential used longest ago goes first (a Map keeps insertion order; each use re-inserts).
		if (sharedSessions.size >= MAX_SHARED_SESSIONS) sharedSessions.delete(sharedSessions.keys().next().value as string);
		const session: OAuthSession = { data };
		sharedSessions.set(key, session);
		return session;
	}
	sharedSessions.delete(key);
	sharedSessions.set(key, shared);
	if (shared.renewing) return shared;
	// n8n hands the new token to the node before it writes it to the database: a run that read the
	// credential in between holds the token just replaced.
	if (shared.superseded?.includes(currentToken({ data }))) return shared;
	const now = Date.now();
	const stored: OAuthSession = { data, refused: shared.refused };
	// The stored credential is n8n's record of the token, shared by every process: a usable token
	// there that is not ours was stored by another process (the last one written wins, so all
	// processes end up with the same token); for our own token, an earlier renewal time there wins.
	const sameToken = currentToken(stored) === currentToken(shared);
	if (sameToken ? Number(data.renewAt) < Number(shared.data.renewAt) : !needsNewToken(stored, now)) shared.data = data;
	return shared;
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
			// n8n assigns the new token more than once: only a different token is replaced.
			const replaced = currentToken(session);
			if (replaced !== '' && replaced !== token) session.superseded = [...(session.superseded ?? []), replaced].slice(-MAX_SUPERSEDED);
			session.data = data;
			session.refused = undefined;
			release();
		},
	});
	return { data, release };
}
