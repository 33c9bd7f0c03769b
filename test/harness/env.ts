import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core's InstanceSettings writes its config under N8N_USER_FOLDER when first imported,
// so this must run before any test file imports n8n-core. jest's globalSetup (userFolder.js)
// made one folder for the whole run and removes it at the end; this is for runs without it
// (npm run bench), which remove theirs when the process ends.
if (!process.env.N8N_USER_FOLDER) {
	const folder = mkdtempSync(join(tmpdir(), 'n8n-nodes-coze-jest-'));
	process.env.N8N_USER_FOLDER = folder;
	process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
}
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
// Debug level, so that the tests prove the token stays out of n8n's most verbose log too.
process.env.N8N_LOG_LEVEL = 'debug';

