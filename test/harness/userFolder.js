// Jest's globalSetup and globalTeardown: one n8n user folder for the whole run (n8n-core writes its
// config there), made before the test workers start, so that they inherit it, and removed at the end.
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const KEY = 'N8N_NODES_COZE_JEST_USER_FOLDER';

module.exports = {
	setup() {
		if (process.env.N8N_USER_FOLDER) return;
		const folder = mkdtempSync(join(tmpdir(), 'n8n-nodes-coze-jest-'));
		process.env.N8N_USER_FOLDER = folder;
		process.env[KEY] = folder;
	},
	teardown() {
		const folder = process.env[KEY];
		if (folder) rmSync(folder, { recursive: true, force: true });
	},
};
