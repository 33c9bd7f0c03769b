import { sleep } from 'n8n-workflow';

/**
 * Waits `ms`, in short steps so that a cancelled execution stops waiting at once (n8n's
 * community rules forbid timers of our own). Returns false when cancelled.
 */
export async function waitUnlessCancelled(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
	const until = Date.now() + ms;
	while (Date.now() < until) {
		if (signal?.aborted) return false;
		await sleep(Math.min(200, until - Date.now()));
	}
	return !signal?.aborted;
}
