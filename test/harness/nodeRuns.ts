import { inspect } from 'node:util';

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { CozeEmulator, Dialect } from '../emulator';
import type { CozeCredentials, CozeRunInput, CozeRunOutcome } from './engine';
import { AGENT_NODE_TYPE, capturedLogs, runCozeNode } from './engine';
import { useEmulators } from './emulators';

export const DIALECTS: Dialect[] = ['cloud', 'studio'];

export interface RunExtras {
	continueOnFail?: boolean;
	/** Items with binary data (binaryItem), instead of `items`. */
	inputItems?: INodeExecutionData[];
	cancelAfterMs?: number;
	/** Another token than the one the emulators accept. */
	accessToken?: string;
}

export interface NodeRuns {
	emulators: Record<Dialect, CozeEmulator>;
	credentialsFor(dialect: Dialect, accessToken?: string): CozeCredentials;
	/** Runs the node once over `items` against the dialect's emulator; fails the test if the token shows. */
	run(dialect: Dialect, parameters: INodeParameters, items?: Array<Record<string, unknown>>, extra?: RunExtras): Promise<CozeRunOutcome>;
	/** `run` on the cloud emulator, with how long it took, timed from the outside. */
	timedRun(parameters: INodeParameters): Promise<{ outcome: CozeRunOutcome; ms: number }>;
}

/**
 * What every engine test sets up: one emulator per dialect accepting `token` (started, reset
 * after each test, closed), credentials for either, and runs of the node in n8n's engine. Every
 * run is checked: the token must not reach outputs, errors, their descriptions or n8n's log.
 */
export function useNodeRuns(
	token: string,
	defaults: { items?: Array<Record<string, unknown>>; baseUrlSuffix?: string } = {},
): NodeRuns {
	const emulators = useEmulators(token);
	const credentialsFor = (dialect: Dialect, accessToken = token): CozeCredentials => ({
		region: dialect === 'studio' ? 'studio' : 'custom',
		baseUrl: `${emulators[dialect].url}${defaults.baseUrlSuffix ?? ''}`,
		accessToken,
	});
	async function run(
		dialect: Dialect,
		parameters: INodeParameters,
		items = defaults.items ?? [{ city: '杭州' }],
		extra: RunExtras = {},
	): Promise<CozeRunOutcome> {
		const { accessToken, ...rest } = extra;
		const input: CozeRunInput = { items: items as never, parameters, credentials: credentialsFor(dialect, accessToken), nodeType: parameters.resource !== undefined ? AGENT_NODE_TYPE : undefined, ...rest };
		const logsBefore = capturedLogs.length;
		const outcome = await runCozeNode(input);
		expectSecretAbsent(outcome, token, logsBefore);
		return outcome;
	}
	async function timedRun(parameters: INodeParameters) {
		const started = Date.now();
		const outcome = await run('cloud', parameters);
		return { outcome, ms: Date.now() - started };
	}
	return { emulators, credentialsFor, run, timedRun };
}

/**
 * Everything a user or an operator could see of a run: outputs, the error and its details, and
 * n8n's log from line `logsFrom` on (earlier lines were checked with the runs that wrote them).
 */
export function visibleOf(outcome: CozeRunOutcome, logsFrom = 0): string {
	return [
		JSON.stringify(outcome.run),
		JSON.stringify(outcome.error ?? null),
		inspect(outcome.error, { depth: 8 }),
		outcome.error?.description ?? '',
		capturedLogs.slice(logsFrom).join('\n'),
	].join('\n');
}

export function expectSecretAbsent(outcome: CozeRunOutcome, secret: string, logsFrom = 0): void {
	expect(visibleOf(outcome, logsFrom)).not.toContain(secret);
}
