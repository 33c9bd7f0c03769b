import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { oncePerRun } from '../utils/perRun';
import { retryPolicyOf } from './retry';

export const DEFAULT_MAX_CONCURRENCY = 5;

/** How a request that held a slot ended, as far as Coze's limits are concerned. */
export type SlotOutcome = 'accepted' | 'rateLimited' | 'neutral';

/** One request's place among those in flight. */
export interface Slot {
	/** Counted once, however often it is called. */
	release: (outcome: SlotOutcome) => void;
}

// On a refusal the limit falls to this share of what Coze was seen to accept: a little below
// the server's limit, with room for other clients of the same account (each n8n execution, on
// each worker, paces itself) to take their share.
const DECREASE_FACTOR = 0.9;
// Probing above the last known ceiling waits this many round trips at most (see `probeDelay`).
const MAX_PROBE_DELAY = 32;
// The longest quiet time before a place is tried beyond the limit (see `probeGapMs`).
const MIN_PROBE_GAP_MS = 1000;
const MAX_PROBE_GAP_MS = 60_000;

/**
 * How many requests of a run may be in flight: at most Max Concurrent Runs, fewer while Coze
 * rate limits them. It works as TCP's congestion control does. A rate-limit answer cuts the
 * limit at once, to a share of the requests Coze had accepted when it refused (its ceiling);
 * each accepted request then raises it by 1/limit, one more request per round trip, back to
 * that ceiling. Beyond the ceiling it probes ever more slowly while Coze keeps refusing there,
 * so that the run settles just under what the account allows instead of bouncing off it. A
 * refusal of a request sent before the last cut says nothing new and cuts nothing, and an
 * answer to one does not grow the limit either.
 *
 * New requests leave as answers come back, not as refusals do: a limit per second refuses at
 * once, and a freed place handed straight on would only be refused again. When a refusal leaves
 * nothing in flight, the next request waits `pauseMs` (Retry Wait) first.
 *
 * Answers may take minutes (a stream, a long run) while the account limits new requests per
 * second rather than requests in flight: then no answer comes back to let the next one go. So
 * once no answer has come back for `probeGapMs`, one waiting request goes beyond the limit. A
 * refused probe doubles the gap (and cuts nothing: it went beyond the limit on purpose); an
 * accepted one raises the limit and resets the gap.
 *
 * It only decides when a request leaves: what is resent after a refusal is decided by
 * retry.ts, and a run that may have started is never resent.
 */
export class AdaptiveLimit {
	private limit: number;
	private inFlight = 0;
	/** Bumped at every cut: a request sent before it carries an older epoch. */
	private epoch = 0;
	/** What Coze was holding when it last refused; Infinity before the first refusal and once it takes more. */
	private ceiling = Infinity;
	/** Round trips per step above the ceiling: doubles at each refusal there, back to 1 once Coze takes two more. */
	private probeDelay = 1;
	/** When the last request gave its place back, whatever its outcome. */
	private lastReleaseAt = Date.now();
	private readonly baseProbeGapMs: number;
	private probeGapMs: number;
	private probeScheduled = false;
	/** Admits a waiter; false if it has left (cancelled) in the meantime. */
	private readonly waiting: Array<(probe: boolean) => boolean> = [];
	/** Settles when the next admitted waiter may go. */
	private turn: Promise<void> = Promise.resolve();

	constructor(
		readonly max: number,
		private readonly pauseMs = 0,
		minProbeGapMs = MIN_PROBE_GAP_MS,
	) {
		this.limit = max;
		this.baseProbeGapMs = Math.max(minProbeGapMs, pauseMs);
		this.probeGapMs = this.baseProbeGapMs;
	}

	/** Requests that may be in flight now. */
	get current(): number {
		return Math.max(1, Math.floor(this.limit));
	}

	/** A slot, once fewer than `current` requests are in flight; undefined if `signal` fires first. */
	async acquire(signal?: AbortSignal): Promise<Slot | undefined> {
		if (signal?.aborted) return undefined;
		if (this.waiting.length === 0 && this.inFlight < this.current) {
			this.inFlight++;
			return this.slot(false);
		}
		const admitted = await this.queue(signal);
		return admitted === undefined ? undefined : this.slot(admitted === 'probe');
	}

	private async queue(signal: AbortSignal | undefined): Promise<'place' | 'probe' | undefined> {
		const admitted = new Promise<'place' | 'probe' | undefined>((resolve) => {
			let settled = false;
			const admit = (probe: boolean): boolean => {
				if (settled) return false;
				settled = true;
				signal?.removeEventListener('abort', leave);
				resolve(probe ? 'probe' : 'place');
				return true;
			};
			const leave = () => {
				if (settled) return;
				settled = true;
				const at = this.waiting.indexOf(admit);
				if (at !== -1) this.waiting.splice(at, 1);
				resolve(undefined);
			};
			this.waiting.push(admit);
			signal?.addEventListener('abort', leave, { once: true });
		});
		this.scheduleProbe();
		return await admitted;
	}

	private slot(probe: boolean): Slot {
		const sentInEpoch = this.epoch;
		// What Coze was holding of ours when this request reached it.
		const othersInFlight = this.inFlight - 1;
		let released = false;
		return {
			release: (outcome) => {
				if (released) return;
				released = true;
				this.inFlight--;
				this.lastReleaseAt = Date.now();
				if (outcome === 'rateLimited') {
					if (probe) this.probeGapMs = Math.min(MAX_PROBE_GAP_MS, this.probeGapMs * 2);
					else this.refused(sentInEpoch, othersInFlight);
					if (this.inFlight === 0) void sleepWhile(this.pauseMs, () => this.waiting.length > 0).then(() => this.admitWaiting());
					return;
				}
				if (outcome === 'accepted') {
					if (probe) this.probeAccepted();
					else this.accepted(sentInEpoch);
				}
				this.admitWaiting();
			},
		};
	}

	private refused(sentInEpoch: number, othersInFlight: number): void {
		if (sentInEpoch !== this.epoch) return;
		const ceiling = Math.max(1, othersInFlight);
		// Refused again where it was refused before: the next probe waits twice as long.
		this.probeDelay = ceiling <= this.ceiling ? Math.min(MAX_PROBE_DELAY, this.probeDelay * 2) : 1;
		this.ceiling = ceiling;
		this.limit = Math.max(1, Math.min(this.limit, ceiling) * DECREASE_FACTOR);
		this.epoch++;
	}

	private accepted(sentInEpoch: number): void {
		// Only what was sent at the current limit tells whether it can grow.
		if (sentInEpoch !== this.epoch || this.limit >= this.max) return;
		const step = this.limit < this.ceiling ? 1 : 1 / this.probeDelay;
		this.limit = Math.min(this.max, this.limit + step / this.current);
		if (this.limit >= this.ceiling + 2) {
			// Two past the last refusal without a new one: the account takes more now (another
			// client has finished, say), so grow at the full pace again.
			this.ceiling = Infinity;
			this.probeDelay = 1;
		}
	}

	/** A request sent beyond the limit was taken: there is room for one more. */
	private probeAccepted(): void {
		this.probeGapMs = this.baseProbeGapMs;
		this.limit = Math.min(this.max, this.limit + 1);
		if (this.limit > this.ceiling) this.ceiling = Infinity;
	}

	/** While requests wait: one goes beyond the limit once no answer has come back for `probeGapMs`. */
	private scheduleProbe(): void {
		if (this.probeScheduled || this.waiting.length === 0) return;
		this.probeScheduled = true;
		void sleepWhile(this.probeGapMs, () => this.waiting.length > 0).then(() => {
			this.probeScheduled = false;
			if (this.waiting.length > 0 && this.inFlight >= this.current && Date.now() - this.lastReleaseAt >= this.probeGapMs) {
				this.inFlight++;
				if (this.waiting.shift()?.(true) === false) this.giveBack();
			}
			this.scheduleProbe();
		});
	}

	/** A place taken for a waiter that left before it could use it. */
	private giveBack(): void {
		this.inFlight--;
		this.admitWaiting();
	}

	/** The slot is taken for the waiter before it wakes, so that no newcomer takes it in between. */
	private admitWaiting(): void {
		while (this.waiting.length > 0 && this.inFlight < this.current) {
			this.inFlight++;
			const admit = this.waiting.shift();
			// One per turn of the event loop, as the router starts items (router.ts turnTaker):
			// requests let go together would leave together and come back together.
			const turn = this.turn;
			this.turn = turn.then(async () => await sleep(0));
			void turn.then(() => {
				// Cancelled between the two: its place goes to the next one.
				if (admit?.(false) === false) this.giveBack();
			});
		}
	}
}

/** Waits `ms`, in short steps, and no longer once `worthWaiting` is false: a finished run leaves no timer behind. */
async function sleepWhile(ms: number, worthWaiting: () => boolean): Promise<void> {
	const until = Date.now() + ms;
	while (worthWaiting() && Date.now() < until) await sleep(Math.min(250, until - Date.now()));
}

/**
 * The run's limit, shared by all its items and requests. Max Concurrent Runs is node-wide,
 * read from the first item; listings in the editor (no input items) are not paced.
 */
export function adaptiveLimitOf(context: IExecuteFunctions | ILoadOptionsFunctions): AdaptiveLimit | undefined {
	if (!('getInputData' in context)) return undefined;
	return oncePerRun(context, 'adaptiveLimit', () => new AdaptiveLimit(maxConcurrencyOf(context), retryPolicyOf(context).baseWaitMs));
}

/** Max Concurrent Runs as a whole number of at least 1. */
export function maxConcurrencyOf(context: IExecuteFunctions): number {
	const value = Number(context.getNodeParameter('options.maxConcurrency', 0, DEFAULT_MAX_CONCURRENCY));
	return Number.isFinite(value) ? Math.max(1, Math.floor(value)) : DEFAULT_MAX_CONCURRENCY;
}
