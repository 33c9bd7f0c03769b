/**
 * AdaptiveLimit (transport/pacing.ts) on its own: a pure scheduler with no I/O, driven here
 * by hand, request by request.
 */
import { AdaptiveLimit } from '../../nodes/shared/transport/pacing';
import type { Slot } from '../../nodes/shared/transport/pacing';

async function take(limit: AdaptiveLimit, count: number): Promise<Slot[]> {
	const slots: Slot[] = [];
	for (let n = 0; n < count; n++) {
		const slot = await limit.acquire();
		if (!slot) throw new Error('no slot');
		slots.push(slot);
	}
	return slots;
}

describe('AdaptiveLimit', () => {
	it('starts at Max Concurrent Runs and lets no more in flight', async () => {
		const limit = new AdaptiveLimit(3);
		const slots = await take(limit, 3);
		let fourth = false;
		const waiting = limit.acquire().then((slot) => {
			fourth = true;
			return slot;
		});
		await Promise.resolve();
		expect(fourth).toBe(false);
		slots[0].release('accepted');
		expect(await waiting).toBeDefined();
		expect(fourth).toBe(true);
		expect(limit.current).toBe(3);
	});

	it('cuts to 90 % of what Coze accepted when it refused, once per round of refusals', async () => {
		const limit = new AdaptiveLimit(50);
		const slots = await take(limit, 30);
		// The 21st left with 20 others in flight: Coze holds 20.
		slots[20].release('rateLimited');
		expect(limit.current).toBe(18);
		// Refusals of requests sent before the cut say nothing new.
		for (const slot of slots.slice(21)) slot.release('rateLimited');
		expect(limit.current).toBe(18);
	});

	it('grows back by about one per round trip up to the ceiling, then probes ever more slowly', async () => {
		const limit = new AdaptiveLimit(50);
		const first = await take(limit, 21);
		first[20].release('rateLimited');
		for (const slot of first.slice(0, 20)) slot.release('accepted');
		expect(limit.current).toBe(18);
		const acceptedUntil = async (target: number): Promise<number> => {
			let accepted = 0;
			while (limit.current < target) {
				const [slot] = await take(limit, 1);
				slot.release('accepted');
				accepted++;
				if (accepted > 10_000) throw new Error('never grew');
			}
			return accepted;
		};
		// 18 → 20: about one round trip (18, then 19 requests) per step.
		expect(Math.abs((await acceptedUntil(20)) - (18 + 19))).toBeLessThanOrEqual(1);
		// Past the ceiling it grows at half that pace after a refusal: a probe after two round trips at 20…
		expect(Math.abs((await acceptedUntil(21)) - 40)).toBeLessThanOrEqual(1);
		// …refused there (20 in flight): cut, and the next probe waits twice as long.
		const probe = await take(limit, 21);
		probe[20].release('rateLimited');
		for (const slot of probe.slice(0, 20)) slot.release('accepted');
		expect(limit.current).toBe(18);
		await acceptedUntil(20);
		expect(Math.abs((await acceptedUntil(21)) - 80)).toBeLessThanOrEqual(1);
	});

	it('never goes below one, nor above Max Concurrent Runs', async () => {
		const limit = new AdaptiveLimit(4);
		for (let n = 0; n < 5; n++) {
			const [slot] = await take(limit, 1);
			slot.release('rateLimited');
		}
		expect(limit.current).toBe(1);
		for (let n = 0; n < 200; n++) {
			const [slot] = await take(limit, 1);
			slot.release('accepted');
		}
		expect(limit.current).toBe(4);
	});

	it('counts a slot once however often it is released, and neutral outcomes change nothing', async () => {
		const limit = new AdaptiveLimit(2);
		const [a, b] = await take(limit, 2);
		a.release('neutral');
		a.release('neutral');
		b.release('neutral');
		expect(limit.current).toBe(2);
		expect(await take(limit, 2)).toHaveLength(2);
	});

	it('admits waiters in arrival order, and one whose execution is cancelled leaves the queue', async () => {
		const limit = new AdaptiveLimit(1);
		const [held] = await take(limit, 1);
		const cancel = new AbortController();
		const order: string[] = [];
		const cancelled = limit.acquire(cancel.signal).then((slot) => order.push(slot ? 'cancelled-admitted' : 'cancelled-left'));
		const next = limit.acquire().then((slot) => {
			order.push('next');
			return slot;
		});
		cancel.abort();
		await cancelled;
		held.release('accepted');
		(await next)?.release('accepted');
		expect(order).toEqual(['cancelled-left', 'next']);
		expect(await limit.acquire(cancel.signal)).toBeUndefined();
	});

	it('hands a place freed by a refusal on only when an answer comes back, or after the pause when nothing is in flight', async () => {
		const limit = new AdaptiveLimit(2, 150);
		const [a, b] = await take(limit, 2);
		let admittedAt = 0;
		const waiter = limit.acquire().then((slot) => {
			admittedAt = Date.now();
			return slot;
		});
		a.release('rateLimited');
		await new Promise((resolve) => setImmediate(resolve));
		expect(admittedAt).toBe(0);
		b.release('accepted');
		(await waiter)?.release('rateLimited');
		expect(admittedAt).toBeGreaterThan(0);

		const refusedAt = Date.now();
		const late = await limit.acquire().then((slot) => {
			slot?.release('accepted');
			return Date.now();
		});
		// Nothing was in flight after the last refusal, and a newcomer queues behind nobody: it goes at once…
		expect(late - refusedAt).toBeLessThan(100);
		// …but one that finds others queued waits for the pause.
		const [c] = await take(limit, 1);
		const queued = limit.acquire();
		c.release('rateLimited');
		const started = Date.now();
		(await queued)?.release('accepted');
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});

	it('lets one waiter go beyond the limit once nothing was refused for the probe gap, and waits twice as long after a refused probe', async () => {
		// Places held for long (streams) under a limit per second: no answer comes back to let the next one go.
		const limit = new AdaptiveLimit(5, 0, 100);
		const held = await take(limit, 5);
		held[4].release('rateLimited');
		expect(limit.current).toBe(3);
		const timeToAdmit = async (): Promise<{ ms: number; slot: Slot | undefined }> => {
			const started = Date.now();
			const slot = await limit.acquire();
			return { ms: Date.now() - started, slot };
		};
		const first = await timeToAdmit();
		expect(first.ms).toBeGreaterThanOrEqual(90);
		expect(first.ms).toBeLessThan(400);
		first.slot?.release('rateLimited');
		// Refused beyond the limit: no cut, and the next probe waits at least 200 ms.
		expect(limit.current).toBe(3);
		const second = await timeToAdmit();
		expect(second.ms).toBeGreaterThanOrEqual(190);
		// Accepted beyond the limit: one more place.
		second.slot?.release('accepted');
		expect(limit.current).toBe(4);
		for (const slot of held.slice(0, 4)) slot.release('neutral');
	});

	it('gives the place of a waiter cancelled between being admitted and waking to the next one', async () => {
		const limit = new AdaptiveLimit(1);
		const [held] = await take(limit, 1);
		const cancel = new AbortController();
		const cancelled = limit.acquire(cancel.signal);
		const next = limit.acquire();
		held.release('accepted');
		// Admitted, but it wakes only on a later turn of the event loop: cancelled before that.
		cancel.abort();
		expect(await cancelled).toBeUndefined();
		const slot = await next;
		expect(slot).toBeDefined();
		slot?.release('accepted');
		// Nothing leaked: the one place is free again.
		expect(await take(limit, 1)).toHaveLength(1);
	});
});
