/**
 * The Coze OAuth (JWT) credential inside n8n's execution engine: n8n-core calls the
 * credential's preAuthentication, which signs a JWT and exchanges it at the emulator's token
 * endpoint; the token is stored like n8n stores it, reused, renewed before it expires and
 * after Coze refuses it, and never shows up in outputs, errors or logs.
 */
import type { INodeListSearchResult, INodeParameters } from 'n8n-workflow';

import type { CozeEmulator } from '../emulator';
import { closedPortUrl, newOAuthKeyPair, startCozeEmulator } from '../emulator';
import type { CozeOAuthCredentials, CozeRunOutcome } from '../harness/engine';
import { callNodeMethod, capturedLogs, CredentialStore, OAUTH_CREDENTIAL_TYPE, runCozeNode, shutdownEngine, testCredential } from '../harness/engine';

const APP_ID = '1154567890123';
const KEY_ID = 'Kx9_fingerprint_of_the_public_key';
const WF = '7398123456789012345';

const appKey = newOAuthKeyPair();
const otherKey = newOAuthKeyPair();
/** The base64 body of a PEM: if any of it leaks, this finds it. */
const keyMaterial = (pem: string) => pem.split('\n').filter((line) => line.length === 64);

let emulator: CozeEmulator;

beforeAll(async () => {
	emulator = await startCozeEmulator({
		dialect: 'cloud',
		validTokens: [],
		oauthApps: [{ appId: APP_ID, keyId: KEY_ID, publicKeyPem: appKey.publicKey }],
	});
});

beforeEach(() => emulator.reset());

afterAll(async () => {
	await emulator.close();
	await shutdownEngine();
});

function oauthCredentials(overrides: Partial<CozeOAuthCredentials> = {}): CozeOAuthCredentials {
	return {
		region: 'custom',
		baseUrl: emulator.url,
		audience: 'api.coze.cn',
		appId: APP_ID,
		keyId: KEY_ID,
		privateKey: appKey.privateKey,
		...overrides,
	};
}

const runParameters = (extra: INodeParameters = {}): INodeParameters => ({
	authentication: 'oAuthJwt',
	operation: 'run',
	workflowId: { __rl: true, mode: 'id', value: WF },
	runMode: 'sync',
	inputMode: 'keyValue',
	parameters: { parameter: [{ name: 'city', value: '={{ $json.city }}' }] },
	options: {},
	...extra,
});

/** Everything a user or an operator could see of a run. */
function visible(outcome: CozeRunOutcome): string {
	return JSON.stringify(outcome.run) + JSON.stringify(outcome.error ?? null) + capturedLogs.join('\n');
}

function expectNoSecrets(text: string, store?: CredentialStore) {
	for (const line of [...keyMaterial(appKey.privateKey), ...keyMaterial(otherKey.privateKey)]) expect(text).not.toContain(line);
	for (const record of emulator.tokenRequests) if (record.accessToken) expect(text).not.toContain(record.accessToken);
	for (const request of emulator.requests) {
		const authorization = String(request.headers.authorization ?? '');
		if (authorization.length > 20) expect(text).not.toContain(authorization.replace(/^Bearer\s+/i, ''));
	}
	if (store) expect(text).not.toContain(String(store.get(OAUTH_CREDENTIAL_TYPE).accessToken));
}

async function run(store: CredentialStore, parameters = runParameters(), items = [{ city: '杭州' }], continueOnFail = false) {
	const outcome = await runCozeNode({ items, parameters, credentials: store, continueOnFail });
	expectNoSecrets(visible(outcome), store);
	return outcome;
}

const runRequests = () => emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/workflow/run');

describe('Coze OAuth (JWT) credential', () => {
	it('gets a token with a JWT signed by the app key on first use, stores it and runs with it', async () => {
		const store = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials({ sessionName: 'n8n-user-42', lifetimeSeconds: 1200 }) });
		const outcome = await run(store, runParameters(), [{ city: '杭州' }, { city: '北京' }]);
		expect(outcome.status).toBe('success');
		expect(outcome.output.map((item) => item.json.data)).toEqual([
			expect.objectContaining({ parameters: { city: '杭州' } }),
			expect.objectContaining({ parameters: { city: '北京' } }),
		]);
		expect(emulator.tokenRequests).toHaveLength(1);
		const [exchange] = emulator.tokenRequests;
		expect(exchange).toMatchObject({ ok: true, appId: APP_ID, kid: KEY_ID, audience: 'api.coze.cn', sessionName: 'n8n-user-42', durationSeconds: 1200 });
		const stored = store.get(OAUTH_CREDENTIAL_TYPE);
		expect(stored.accessToken).toBe(exchange.accessToken);
		// Renewed a minute before Coze's expiry.
		expect(Number(stored.renewAt)).toBeGreaterThan(Date.now() + 1100_000);
		expect(Number(stored.renewAt)).toBeLessThanOrEqual((exchange.expiresAt as number) * 1000 - 60_000);
		expect(runRequests().map((r) => r.headers.authorization)).toEqual([`Bearer ${exchange.accessToken}`, `Bearer ${exchange.accessToken}`]);
		expect(store.preAuthentications).toEqual([{ type: OAUTH_CREDENTIAL_TYPE, expired: false }]);
	});

	it('reuses the stored token in later executions, and one token serves parallel items', async () => {
		const store = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials() });
		const items = Array.from({ length: 12 }, (_, n) => ({ city: `c${n}` }));
		const first = await run(store, runParameters({ options: { maxConcurrency: 6 } }), items);
		expect(first.status).toBe('success');
		const second = await run(store);
		expect(second.status).toBe('success');
		expect(emulator.tokenRequests).toHaveLength(1);
		expect(new Set(runRequests().map((r) => r.headers.authorization)).size).toBe(1);
	});

	it('fetches one token for executions that start together with an empty token, one per credential', async () => {
		const store = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials() });
		const other = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials() });
		// Four executions of one credential (as a worker runs them at once) and one of another.
		const outcomes = await Promise.all([store, store, store, store, other].map(async (s) => await run(s)));
		expect(outcomes.map((o) => o.status)).toEqual(Array(5).fill('success'));
		expect(emulator.tokenRequests.filter((r) => r.ok)).toHaveLength(2);
		expect(new Set(runRequests().map((r) => r.headers.authorization)).size).toBe(2);
		expect(store.get(OAUTH_CREDENTIAL_TYPE).accessToken).not.toBe(other.get(OAUTH_CREDENTIAL_TYPE).accessToken);
	});

	it('takes the token another process stored over its own, without a token exchange or a refused request', async () => {
		const store = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials() });
		expect((await run(store)).status).toBe('success');
		emulator.expireOAuthTokens();
		// Another worker got a new token for the same credential and stored it.
		const otherWorker = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials() });
		expect((await run(otherWorker)).status).toBe('success');
		store.set(OAUTH_CREDENTIAL_TYPE, otherWorker.get(OAUTH_CREDENTIAL_TYPE));
		const requestsBefore = runRequests().length;
		expect((await run(store)).status).toBe('success');
		expect(emulator.tokenRequests).toHaveLength(2);
		expect(runRequests().slice(requestsBefore).map((r) => r.headers.authorization)).toEqual([`Bearer ${emulator.tokenRequests[1].accessToken}`]);
	});

	it('gets a new token once the stored one is due for renewal, before it expires, without a refused request', async () => {
		const store = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials() });
		expect((await run(store)).status).toBe('success');
		// What n8n keeps once the renewal time has come (a minute, or a tenth of the lifetime, before
		// Coze's expiry: the first test and renewAtMs' unit test): the token itself is still valid.
		store.set(OAUTH_CREDENTIAL_TYPE, { ...store.get(OAUTH_CREDENTIAL_TYPE), renewAt: Date.now() - 1 });
		const later = await run(store);
		expect(later.status).toBe('success');
		expect(emulator.tokenRequests.map((r) => r.ok)).toEqual([true, true]);
		const tokens = emulator.tokenRequests.map((r) => `Bearer ${r.accessToken}`);
		expect(runRequests().map((r) => r.headers.authorization)).toEqual(tokens);
		expect(emulator.runCount(WF)).toBe(2);
	});

	it.each(['body4100', 'http401'] as const)(
		'gets a new token when Coze refuses the stored one (%s) and sends the refused run once more',
		async (answer) => {
			emulator.expiredTokenAnswer = answer;
			const store = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials() });
			expect((await run(store)).status).toBe('success');
			emulator.expireOAuthTokens();
			const outcome = await run(store, runParameters({ options: { maxConcurrency: 3 } }), [{ city: 'a' }, { city: 'b' }, { city: 'c' }]);
			expect(outcome.status).toBe('success');
			expect(emulator.tokenRequests.filter((r) => r.ok)).toHaveLength(2);
			// The refused requests ran nothing; each item ran exactly once.
			for (const city of ['a', 'b', 'c']) expect(emulator.runCount(WF, JSON.stringify({ city }))).toBe(1);
			expect(store.get(OAUTH_CREDENTIAL_TYPE).accessToken).toBe(emulator.tokenRequests[1].accessToken);
		},
	);

	it('stops with a clear error when even a new token is refused, without asking again and again', async () => {
		emulator.maxTokenLifetimeSeconds = 0;
		const store = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials() });
		const outcome = await run(store);
		expect(outcome.status).toBe('error');
		expect(outcome.error?.message).toContain('(Coze code 4100)');
		expect(emulator.tokenRequests).toHaveLength(2);
		expect(emulator.runCount(WF)).toBe(0);
	});

	it.each([
		['a private key of another key pair', { privateKey: otherKey.privateKey }, /signature does not match the public key with fingerprint \(kid\) "Kx9_fingerprint_of_the_public_key"/],
		['another app ID', { appId: '999' }, /JWT iss "999" is not the app ID of the key/],
		['an unknown fingerprint', { keyId: 'nope' }, /no public key with fingerprint \(kid\) "nope"/],
		['the wrong audience', { audience: 'api.coze.com' }, /JWT aud must be "api.coze.cn", got "api.coze.com"/],
	])('says which part is wrong for %s, never the key', async (_name, overrides, expected) => {
		const store = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials(overrides) });
		const outcome = await run(store, runParameters(), [{ city: 'a' }, { city: 'b' }], true);
		expect(outcome.status).toBe('success');
		expect(outcome.output).toHaveLength(2);
		outcome.output.forEach((item, index) => {
			expect(item.json.error).toMatch(expected);
			expect(item.pairedItem).toEqual({ item: index });
		});
		expect(outcome.output[0].json.description).toContain('App ID, Public Key Fingerprint and Private Key');
		expect(runRequests()).toHaveLength(0);
	});

	it('explains a private key that is not a PEM key without sending anything', async () => {
		const store = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials({ privateKey: 'MIIEv-not-a-key' }) });
		const outcome = await run(store);
		expect(outcome.error?.message).toBe('The private key is not a valid PEM private key');
		expect(outcome.error?.description).toContain('-----BEGIN PRIVATE KEY-----');
		expect(JSON.stringify(outcome.run)).not.toContain('MIIEv-not-a-key');
		expect(emulator.requests).toHaveLength(0);
	});

	it('says when the token endpoint cannot be reached, per item', async () => {
		const store = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials({ baseUrl: await closedPortUrl() }) });
		const outcome = await run(store, runParameters(), [{ city: 'a' }, { city: 'b' }], true);
		expect(outcome.output.map((item) => item.json.error)).toEqual([
			expect.stringMatching(/^Could not reach the Coze token endpoint at 127\.0\.0\.1:\d+: connection refused$/),
			expect.stringMatching(/^Could not reach the Coze token endpoint at 127\.0\.0\.1:\d+: connection refused$/),
		]);
		expect(outcome.output[0].json.description).toContain('Check Region and Base URL');
		expect(outcome.output[0].json.description).toContain('(ECONNREFUSED)');
	});

	it('keeps the JWT out of the error when the token endpoint echoes it, in its code and its message', async () => {
		emulator.tokenEndpointFault = { kind: 'echoJwt' };
		const store = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials() });
		const outcome = await run(store);
		expect(outcome.status).toBe('error');
		expect(outcome.error?.message).toMatch(/^Coze refused the OAuth app's JWT: invalid JWT \*\*\* \(code \*\*\*/);
		expect(visible(outcome)).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
		expect(runRequests()).toHaveLength(0);
	});

	it('ends every item within its Timeout when the token endpoint trickles its answer', async () => {
		emulator.tokenEndpointFault = { kind: 'trickle', intervalMs: 50 };
		const store = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials() });
		const started = Date.now();
		const outcome = await run(store, runParameters({ options: { timeout: 0.2 } }), [{ city: 'a' }, { city: 'b' }], true);
		const ms = Date.now() - started;
		expect(outcome.output.map((item) => item.json.error)).toEqual(['Coze did not answer within 0.2 s', 'Coze did not answer within 0.2 s']);
		expect(ms).toBeLessThan(200 + 2500);
		expect(runRequests()).toHaveLength(0);
	});

	it.each(['sync', 'stream'] as const)('keeps the OAuth access token out of a %s answer that echoes it', async (mode) => {
		emulator.queueFaults(WF, [{ kind: 'echoToken' }]);
		const store = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials() });
		const outcome = await run(store, runParameters({ runMode: mode }));
		expect(outcome.status).toBe('success');
		expect(outcome.output[0].json.data).toEqual({ echo: '***' });
		expect(outcome.output[0].json.logid).toBe('2026***');
		expect(emulator.tokenRequests.filter((record) => record.ok)).toHaveLength(1);
	});

	it('accepts a key pasted into one line, with spaces or \\n for line breaks', async () => {
		for (const privateKey of [appKey.privateKey.replace(/\n/g, ' '), appKey.privateKey.replace(/\n/g, '\\n')]) {
			const store = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials({ privateKey }) });
			expect((await run(store)).status).toBe('success');
		}
		expect(emulator.tokenRequests.map((r) => r.ok)).toEqual([true, true]);
	});

	it.each([5, -5])("works when Coze's clock is %i s off n8n's", async (offset) => {
		emulator.clockOffsetSeconds = offset;
		const store = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials() });
		expect((await run(store)).status).toBe('success');
		expect(emulator.tokenRequests.map((r) => r.ok)).toEqual([true]);
		// Renewal is planned by n8n's own clock: a token from a clock ahead still lasts its full life here.
		expect(Number(store.get(OAUTH_CREDENTIAL_TYPE).renewAt)).toBeGreaterThan(Date.now() + 780_000);
	});

	it('works for every operation: stream, chat, async, Get Run Result, Resume, workflow list and file uploads', async () => {
		const store = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials() });
		const stream = await run(store, runParameters({ runMode: 'stream' }));
		expect(stream.output[0].json.data).toMatchObject({ parameters: { city: '杭州' } });

		emulator.setChatScenario(WF, { kind: 'answer', text: '明天杭州多云', chunks: 2 });
		const chat = await run(store, {
			authentication: 'oAuthJwt',
			operation: 'chat',
			workflowId: { __rl: true, mode: 'id', value: WF },
			message: '明天天气？',
			chatOwner: 'app',
			appId: '7400000000000000002',
			options: {},
		});
		expect(chat.output[0].json.answer).toBe('明天杭州多云');

		const upload = await runCozeNode({
			items: [],
			inputItems: [{ json: {}, binary: { data: { data: Buffer.from('hello').toString('base64'), mimeType: 'text/plain', fileName: 'a.txt' } } }],
			parameters: runParameters({ parameters: { parameter: [] }, options: { fileInputs: { file: [{ name: 'doc', binaryProperty: 'data' }] } } }),
			credentials: store,
		});
		expect(upload.error).toBeUndefined();
		expect(emulator.uploads.map((u) => u.fileName)).toEqual(['a.txt']);

		emulator.setAsyncScenario(WF, { kind: 'complete', pollsUntilDone: 1, output: 'async result', textMode: true });
		const async = await run(store, runParameters({ runMode: 'async', options: { pollInterval: 0.05 } }));
		expect(async.output[0].json).toMatchObject({ status: 'Success', data: 'async result' });
		const executeId = async.output[0].json.execute_id as string;
		const lookup = await run(store, { authentication: 'oAuthJwt', operation: 'getRunResult', workflowId: { __rl: true, mode: 'id', value: WF }, executeId, options: {} });
		expect(lookup.output[0].json).toMatchObject({ status: 'Success', execute_id: executeId });

		emulator.setStreamScenario(WF, { kind: 'questions', questions: ['Which city?'] });
		const paused = await run(store, runParameters({ runMode: 'stream' }));
		const interrupt = paused.output[0].json.interrupt as { event_id: string };
		const resumed = await run(store, {
			authentication: 'oAuthJwt',
			operation: 'resume',
			workflowId: { __rl: true, mode: 'id', value: WF },
			eventId: interrupt.event_id,
			interruptType: 2,
			resumeData: 'Hangzhou',
			pausedIn: 'stream',
			options: {},
		});
		expect(resumed.status).toBe('success');
		expect(resumed.output[0].json.interrupt).toBeUndefined();

		const list = await callNodeMethod<INodeListSearchResult>('listSearch', 'searchWorkflows', { authentication: 'oAuthJwt', operation: 'run' }, store, ['']);
		expect(list.results.length).toBeGreaterThan(0);
		expect(emulator.tokenRequests).toHaveLength(1);
		expect(new Set(emulator.requests.filter((r) => r.path !== '/api/permission/oauth2/token').map((r) => r.headers.authorization)).size).toBe(1);
	});

	it("passes the credential's Test button with a good key and names the problem with a bad one", async () => {
		const good = new CredentialStore({ [OAUTH_CREDENTIAL_TYPE]: oauthCredentials() });
		await expect(testCredential(good)).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(good.get(OAUTH_CREDENTIAL_TYPE).accessToken).toBe(emulator.tokenRequests[0].accessToken);
		const bad = await testCredential(oauthCredentials({ privateKey: otherKey.privateKey }));
		expect(bad.status).toBe('Error');
		expect(bad.message).toContain('signature does not match the public key');
		expectNoSecrets(bad.message);
	});
});
