/**
 * The transport: how a request reaches Coze and how its answer, or its failure, comes back.
 * connection.ts reads the credential; request.ts sends JSON requests (retries, OAuth token,
 * deadline, byte budget); stream.ts reads event streams; failures.ts turns answers and
 * failures into errors; watchdog.ts, budget.ts, scrub.ts and pacing.ts are the mechanisms every
 * request goes through: one deadline, one byte budget, one scrubber, and a place among the
 * run's requests in flight that shrinks while Coze rate limits them.
 */
export type { CozeConnection, CozeRegion } from './connection';
export { getCozeConnection, OAUTH_CREDENTIAL, TOKEN_CREDENTIAL } from './connection';
export { cozeApiRequest } from './request';
export { cozeStreamRequest } from './stream';
export type { CozeRequest, CozeResponse, CozeStream, CozeStreamRequest } from './types';
export { DEFAULT_MAX_ANSWER_MB, mbToBytes } from './budget';
export { DEFAULT_MAX_CONCURRENCY, maxConcurrencyOf } from './pacing';
export { Scrubber, runScrubber } from './scrub';
