import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/** Both nodes sign in the same two ways: the credential is chosen by the Authentication field. */
export const cozeCredentials: INodeCredentialDescription[] = [
	{
		name: 'cozeApi',
		required: true,
		displayOptions: { show: { authentication: ['accessToken'] } },
	},
	{
		name: 'cozeOAuthApi',
		required: true,
		displayOptions: { show: { authentication: ['oAuthJwt'] } },
	},
];

export const authenticationField: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{
			name: 'Access Token',
			value: 'accessToken',
			description: 'A personal or service access token, or a Coze Studio API key',
		},
		{
			name: 'OAuth (JWT)',
			value: 'oAuthJwt',
			description: 'A service OAuth app that signs in with its private key; tokens are renewed automatically',
		},
	],
	default: 'accessToken',
};
