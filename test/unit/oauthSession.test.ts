/**
 * The OAuth session shared by a process's executions (transport/oauth.ts), driven by hand the
 * way n8n-core drives it: the node hands n8n credential data with an empty token, n8n's
 * pre-authentication assigns the new token into that same object (more than once), and only
 * then writes it to its database.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { credentialsForRequest, currentToken, markTokenRefused, oauthSessionFor } from '../../nodes/shared/transport/oauth';

const stored = (accessToken: string, renewAt = Date.now() + 600_000): ICredentialDataDecryptedObject => ({
	region: 'cn',
	appId: '1154567890123',
	keyId: 'kid',
	privateKey: 'PEM',
	accessToken,
	renewAt,
});

let credentialNumber = 0;

describe('oauthSessionFor', () => {
	let id: string;
	beforeEach(() => (id = `cred-${++credentialNumber}`));

	it('gives executions of one credential one session, and another credential its own', () => {
		const a = oauthSessionFor(id, stored('T1'));
		expect(oauthSessionFor(id, stored('T1'))).toBe(a);
		expect(oauthSessionFor(`${id}-other`, stored('T1'))).not.toBe(a);
		expect(oauthSessionFor(id, { ...stored('T1'), privateKey: 'EDITED' })).not.toBe(a);
		expect(oauthSessionFor(undefined, stored('T1'))).not.toBe(oauthSessionFor(undefined, stored('T1')));
	});

	it('does not take back a token it replaced from a run that read the database before n8n wrote the new one', async () => {
		const session = oauthSessionFor(id, stored('T0'));
		markTokenRefused(session, 'T0');
		const request = await credentialsForRequest(session);
		expect(currentToken({ data: request.data })).toBe('');
		// n8n-core's pre-authentication, then its request helper, each assign the output.
		Object.assign(request.data, { accessToken: 'T1', renewAt: Date.now() + 600_000 });
		Object.assign(request.data, { accessToken: 'T1' });
		request.release();
		expect(currentToken(session)).toBe('T1');
		// A run that read the credential before the database had T1.
		expect(currentToken(oauthSessionFor(id, stored('T0')))).toBe('T1');
		// A token another process stored later is taken.
		expect(currentToken(oauthSessionFor(id, stored('T2')))).toBe('T2');
	});

	it('takes an earlier renewal time of its own token from the stored credential', () => {
		const session = oauthSessionFor(id, stored('T1', Date.now() + 600_000));
		oauthSessionFor(id, stored('T1', Date.now() - 1));
		expect(Number(session.data.renewAt)).toBeLessThan(Date.now());
	});
});
