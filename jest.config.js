/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	globalSetup: '<rootDir>/test/harness/globalSetup.js',
	globalTeardown: '<rootDir>/test/harness/globalTeardown.js',
	setupFiles: ['<rootDir>/test/harness/env.ts'],
	testTimeout: 30000,
	// Most of a test's time is spent waiting on sockets and timers: two workers overlap those waits
	// even on a 2-core machine, where jest's default would be one.
	maxWorkers: 2,
};
