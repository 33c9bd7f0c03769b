import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { addBearerToken, BASE_URL_EXPRESSION } from './cozeEndpoint';

export class CozeApi implements ICredentialType {
	name = 'cozeApi';

	displayName = 'Coze API';

	icon: Icon = { light: 'file:coze.svg', dark: 'file:coze.dark.svg' };

	// The README's section covers coze.cn, coze.com and Coze Studio; Coze's own pages are per region.
	documentationUrl = 'https://github.com/n8n-nodes-coze/n8n-nodes-coze#access-token';

	properties: INodeProperties[] = [
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{
					name: 'Coze China (api.coze.cn)',
					value: 'cn',
					description: 'Tokens created on www.coze.cn',
				},
				{
					name: 'Coze International (api.coze.com)',
					value: 'com',
					description: 'Tokens created on www.coze.com',
				},
				{
					name: 'Custom Coze Cloud Endpoint',
					value: 'custom',
					description: 'A proxy or gateway in front of api.coze.cn or api.coze.com',
				},
				{
					name: 'Self-Hosted Coze Studio',
					value: 'studio',
					description: 'The open-source Coze Studio running on your own server',
				},
			],
			default: 'cn',
			description:
				'Where the token was created. A token from coze.cn only works with Coze China, one from coze.com only with Coze International.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://localhost:8888',
			placeholder: 'e.g. http://localhost:8888',
			description:
				'Address of your Coze Studio (its web container, port 8888 by default) or of your Coze endpoint',
			displayOptions: {
				show: {
					region: ['studio', 'custom'],
				},
			},
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A personal access token (pat_…) or service access token with the "run" permission, or a Coze Studio API key',
		},
	];

	authenticate = addBearerToken;

	// Coze answers a bad token with HTTP 200 and a code in the body, so the rules list those
	// codes; any non-2xx answer fails the test on its own. Coze Studio has no /v1/workspaces:
	// a run-history lookup for an id that does not exist is the cheapest Bearer-checked
	// request it has, and it runs nothing. A 4101 (valid token without the listWorkspace
	// permission) passes on purpose: such a token may still run workflows.
	test: ICredentialTestRequest = {
		request: {
			baseURL: BASE_URL_EXPRESSION,
			url: "={{ $credentials.region === 'studio' ? '/v1/workflow/get_run_history?workflow_id=1&execute_id=1' : '/v1/workspaces?page_num=1&page_size=1' }}",
			method: 'GET',
			disableFollowRedirect: true,
		},
		// n8n's tester checks the rules of either kind, in order (CredentialsTester); the type asks
		// for a list of one kind.
		rules: [
			{
				// n8n's tester would show only "Not Found": e.g. Self-Hosted Coze Studio pointed at
				// api.coze.cn, which has no /v1/workflow/get_run_history, or a Base URL of another service.
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The Base URL has no Coze Open API (it answered 404 Not Found). For Coze Studio, enter the address of its web container, e.g. http://localhost:8888; for api.coze.cn or api.coze.com, pick Coze China or Coze International as Region.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 4100,
					message:
						'Coze rejected the access token (code 4100). Check that it has not expired and that it belongs where it is sent: a token from www.coze.cn works only with Coze China, one from www.coze.com only with Coze International, and a custom endpoint must forward to the region that issued it.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 700012006,
					message:
						'Coze Studio rejected the API key (code 700012006). Create a new key in Coze Studio under API Keys and check that Base URL points at that Studio.',
				},
			},
		] satisfies Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> as ICredentialTestRequest['rules'],
	};
}
