import { sleep } from 'n8n-workflow';

/** Why a watched request was stopped before it was over. */
export type StopReason = 'overall' | 'idle' | 'cancelled';

export class RequestStopped extends Error {
	constructor(readonly reason: StopReason) {
		super(`request stopped: ${reason}`);
		this.name = 'RequestStopped';
	}
}

export interface WatchLimits {
	/** Wall-clock time for the whole request: connecting, headers, every byte of the body. */
	timeoutMs: number;
	/** Longest silence once the answer has started (streams); before the first byte only Timeout applies. */
	idleTimeoutMs?: number;
	/** n8n's cancel signal: ends the request at once. */
	signal?: AbortSignal;
}

/**
 * One deadline per request, enforced by the node itself. n8n's HTTP helper replaces the
 * node's abort signal with the execution's, and axios' own timeout ends with the headers
 * (every trickled byte restarts the socket's timer), so neither bounds a request. Instead,
 * every wait of the request (the headers, each read of the body) races `race()`, and
 * `onStop` callbacks destroy the socket.
 */
export class Watchdog {
	private reason?: StopReason;
	private done = false;
	private answered = false;
	private lastActivity: number;
	private readonly started: number;
	private readonly stopHandlers: Array<() => void> = [];
	/**
	 * The races waiting now. Not Promise.race against one promise of the watchdog: each race left
	 * a reaction on it that held the race's result (a body chunk) for as long as the watchdog lived.
	 */
	private readonly racers = new Set<(error: RequestStopped) => void>();
	private readonly onAbort = () => this.stop('cancelled');

	constructor(private readonly limits: WatchLimits) {
		this.started = Date.now();
		this.lastActivity = this.started;
		const { signal } = limits;
		if (signal?.aborted) this.stop('cancelled');
		signal?.addEventListener('abort', this.onAbort, { once: true });
		if (!this.reason) void this.watch();
	}

	/** Set once the request was stopped; undefined while it runs or after it finished in time. */
	get stopReason(): StopReason | undefined {
		return this.reason;
	}

	/** `pending`, unless the request is stopped first: then a RequestStopped error. */
	async race<T>(pending: Promise<T>): Promise<T> {
		if (this.reason) {
			pending.catch(() => undefined);
			throw new RequestStopped(this.reason);
		}
		return await new Promise<T>((resolve, reject) => {
			this.racers.add(reject);
			pending.then(
				(value) => {
					this.racers.delete(reject);
					resolve(value);
				},
				(error: unknown) => {
					this.racers.delete(reject);
					reject(error);
				},
			);
		});
	}

	/** Bytes arrived: the answer has started, and Idle Timeout counts from now. */
	touch(): void {
		this.answered = true;
		this.lastActivity = Date.now();
	}

	/** Runs `handler` when the request is stopped (at once if it already was). */
	onStop(handler: () => void): void {
		if (this.reason) handler();
		else this.stopHandlers.push(handler);
	}

	/** The request is over: the watch ends and stop handlers are dropped. */
	finish(): void {
		this.done = true;
		this.stopHandlers.length = 0;
		// The execution's cancel signal outlives the request: it must not keep the watchdog.
		this.limits.signal?.removeEventListener('abort', this.onAbort);
	}

	stop(reason: StopReason): void {
		if (this.reason || this.done) return;
		this.reason = reason;
		// A race that starts later sees `reason` and throws at once.
		const error = new RequestStopped(reason);
		for (const reject of [...this.racers]) reject(error);
		this.racers.clear();
		for (const handler of this.stopHandlers.splice(0)) handler();
	}

	/** Checked with n8n's sleep in short steps: community nodes may not set timers. */
	private async watch(): Promise<void> {
		const { timeoutMs, idleTimeoutMs } = this.limits;
		const step = Math.max(10, Math.min(250, timeoutMs / 4, (idleTimeoutMs ?? Infinity) / 4));
		while (!this.done && !this.reason) {
			const now = Date.now();
			if (now - this.started >= timeoutMs) this.stop('overall');
			else if (idleTimeoutMs !== undefined && this.answered && now - this.lastActivity >= idleTimeoutMs) this.stop('idle');
			else await sleep(Math.min(step, timeoutMs - (now - this.started)));
		}
	}
}
