import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { baseUrlOf, hasUserInfo, isHttpUrl } from '../../../credentials/cozeEndpoint';

import { oncePerRun } from '../utils/perRun';
import type { OAuthSession } from './oauth';
import { oauthSessionFor } from './oauth';
import type { Scrubber } from './scrub';
import { runScrubber } from './scrub';

export const TOKEN_CREDENTIAL = 'cozeApi';
export const OAUTH_CREDENTIAL = 'cozeOAuthApi';

export type CozeRegion = 'cn' | 'com' | 'custom' | 'studio';

/** Where requests go and how they are signed, read from the credential once per run. */
export interface CozeConnection {
	region: CozeRegion;
	baseUrl: string;
	credentialType: typeof TOKEN_CREDENTIAL | typeof OAUTH_CREDENTIAL;
	/** Knows every secret of the run, to cut it out of anything Coze echoes back. */
	scrubber: Scrubber;
	/** With the OAuth (JWT) credential: the run's access token, renewed as needed. */
	oauth?: OAuthSession;
}

export type CozeContext = IExecuteFunctions | ILoadOptionsFunctions;

/** The credential is the same for every item of a run: read and checked once per run. */
export async function getCozeConnection(this: CozeContext, itemIndex = 0): Promise<CozeConnection> {
	if (!('getInputData' in this)) return await readConnection.call(this, itemIndex);
	return await oncePerRun(this, 'connection', async () => await readConnection.call(this, itemIndex));
}

/** Which credential the node uses: its Authentication parameter (absent in workflows saved before it existed). */
function credentialTypeOf(context: CozeContext): CozeConnection['credentialType'] {
	const authentication =
		'getInputData' in context
			? context.getNodeParameter('authentication', 0, 'accessToken')
			: context.getCurrentNodeParameter('authentication');
	return authentication === 'oAuthJwt' ? OAUTH_CREDENTIAL : TOKEN_CREDENTIAL;
}

async function readConnection(this: CozeContext, itemIndex: number): Promise<CozeConnection> {
	const credentialType = credentialTypeOf(this);
	const credentials = await this.getCredentials(credentialType, itemIndex);
	const region = String(credentials.region ?? 'cn') as CozeRegion;
	const oauth = credentialType === OAUTH_CREDENTIAL ? oauthSessionFor(this.getNode().credentials?.[credentialType]?.id ?? undefined, credentials) : undefined;
	const scrubber = runScrubber(this);
	scrubber.add(credentials.accessToken);
	if (oauth) scrubber.addPrivateKey(credentials.privateKey);
	const baseUrl = baseUrlOf(credentials);
	if (hasUserInfo(baseUrl)) {
		// Not quoted: the user info may be a password.
		throw new NodeOperationError(this.getNode(), 'The Base URL contains a user name or password', {
			itemIndex,
			description:
				'The HTTP client would send them as Basic authentication in place of the Coze token. Remove the "user:password@" part from Base URL in the Coze credential; Coze signs in with the token alone.',
		});
	}
	if (!isHttpUrl(baseUrl)) {
		throw new NodeOperationError(this.getNode(), `The Base URL "${baseUrl}" is not an http(s) address`, {
			itemIndex,
			description:
				'Set Base URL in the Coze credential to the address of your Coze Studio or Coze endpoint, e.g. http://localhost:8888.',
		});
	}
	return { region, baseUrl, credentialType, scrubber, oauth };
}
