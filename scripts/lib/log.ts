/** Progress lines with elapsed seconds, for every slow step (installing, building, starting). */
const started = Date.now();

export function elapsed(): string {
	return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

export function step(message: string): void {
	process.stderr.write(`[${elapsed().padStart(7)}] ${message}\n`);
}

export async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
	const t0 = Date.now();
	step(`${label} …`);
	const result = await work();
	step(`${label}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	return result;
}
