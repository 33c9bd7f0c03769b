import type { CozeEmulator, Dialect } from '../emulator';
import { startCozeEmulator } from '../emulator';
import { shutdownEngine } from './engine';

/**
 * One emulator per dialect for a test file, accepting `token`: started before the tests, reset
 * after each, closed (with n8n-core's background work) at the end.
 */
export function useEmulators(token: string): Record<Dialect, CozeEmulator> {
	const emulators = {} as Record<Dialect, CozeEmulator>;
	beforeAll(async () => {
		emulators.cloud = await startCozeEmulator({ dialect: 'cloud', validTokens: [token] });
		emulators.studio = await startCozeEmulator({ dialect: 'studio', validTokens: [token] });
	});
	afterEach(() => {
		emulators.cloud.reset();
		emulators.studio.reset();
	});
	afterAll(async () => {
		await Promise.all([emulators.cloud.close(), emulators.studio.close()]);
		await shutdownEngine();
	});
	return emulators;
}
