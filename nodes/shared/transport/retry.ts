import type { IExecuteFunctions, ILoadOptionsFunctions, NodeApiError } from 'n8n-workflow';

import { failureOf } from '../decoding/errors';
import { oncePerRun } from '../utils/perRun';
import type { SlotOutcome } from './pacing';

export interface RetryPolicy {
	/** Attempts in all, the first included. */
	maxAttempts: number;
	baseWaitMs: number;
	/** Resend a run request that may have reached Coze (timeout, broken connection, 5xx). */
	retryRunsThatMayHaveStarted: boolean;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseWaitMs: 1000, retryRunsThatMayHaveStarted: false };
const MAX_WAIT_MS = 60_000;
// Coze's request-limit codes (4009 system limit, 4020 purchased RPM); 4013 is a model error.
const RATE_LIMIT_CODES = new Set([4009, 4020]);

/** The retry options of the node: node-wide, so read from the first item, once per run. */
export function retryPolicyOf(context: IExecuteFunctions | ILoadOptionsFunctions): RetryPolicy {
	if (!('getInputData' in context)) return DEFAULT_RETRY;
	return oncePerRun(context, 'retryPolicy', () => readRetryPolicy(context));
}

function readRetryPolicy(context: IExecuteFunctions): RetryPolicy {
	const read = <T>(name: string, fallback: T): T => {
		try {
			return (context.getNodeParameter(`options.${name}`, 0, fallback) as T) ?? fallback;
		} catch {
			return fallback;
		}
	};
	return {
		maxAttempts: Math.max(1, Math.floor(Number(read('maxAttempts', DEFAULT_RETRY.maxAttempts)))),
		baseWaitMs: Math.max(0, Number(read('retryWait', DEFAULT_RETRY.baseWaitMs / 1000)) * 1000),
		retryRunsThatMayHaveStarted: read<boolean>('retryRunsThatMayHaveStarted', false) === true,
	};
}

export type FailureClass = 'rateLimit' | 'notSent' | 'mayHaveStarted' | 'final';

/**
 * Which failures may be retried. Rate limits and refused connections never reached the
 * workflow; a timeout, a broken connection or a 5xx after a run request was sent may have run
 * it, and a resend could repeat its side effects, so those retry only for idempotent requests
 * (GET) or when the user allowed it.
 */
export function classifyFailure(error: NodeApiError): FailureClass {
	const coze = failureOf(error);
	if (coze.httpStatus === 429 || (coze.code !== undefined && RATE_LIMIT_CODES.has(coze.code))) return 'rateLimit';
	const connection = coze.connectionCode;
	if (connection === 'ECONNREFUSED' || connection === 'ENOTFOUND' || connection === 'EAI_AGAIN') return 'notSent';
	if (connection === 'ERR_CANCELED' || connection === 'ABORT_ERR') return 'final';
	if (connection !== undefined) return 'mayHaveStarted';
	if (coze.uncertainAnswer === true) return 'mayHaveStarted';
	if (coze.code === undefined && coze.httpStatus !== undefined && coze.httpStatus >= 500) return 'mayHaveStarted';
	return 'final';
}

/**
 * What a failed request tells the pacing (pacing.ts): a rate limit, an answer of any other
 * kind (Coze took the request in), or nothing (the connection failed, or a gateway did).
 */
export function slotOutcomeOf(error: NodeApiError): SlotOutcome {
	if (classifyFailure(error) === 'rateLimit') return 'rateLimited';
	const coze = failureOf(error);
	if (coze.connectionCode !== undefined) return 'neutral';
	// A failing gateway (5xx without a Coze code) is no sign that the account has room.
	if (coze.code === undefined && (coze.httpStatus === undefined || coze.httpStatus >= 500)) return 'neutral';
	return 'accepted';
}

/** How long to wait before attempt `attempt + 1`, or undefined not to retry. */
export function retryWait(
	error: NodeApiError,
	idempotent: boolean,
	attempt: number,
	policy: RetryPolicy,
): number | undefined {
	if (attempt >= policy.maxAttempts) return undefined;
	const kind = classifyFailure(error);
	const retriable =
		kind === 'rateLimit' ||
		kind === 'notSent' ||
		(kind === 'mayHaveStarted' && (idempotent || policy.retryRunsThatMayHaveStarted));
	if (!retriable) return undefined;
	const { retryAfterMs } = failureOf(error);
	if (retryAfterMs !== undefined) return Math.min(retryAfterMs, MAX_WAIT_MS);
	// Exponential backoff with jitter, so that parallel items do not retry in lockstep.
	const ceiling = Math.min(policy.baseWaitMs * 2 ** (attempt - 1), MAX_WAIT_MS);
	return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined): number | undefined {
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
