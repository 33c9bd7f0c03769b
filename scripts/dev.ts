/**
 * `npm run dev`: the demo's n8n, left running (`n8n start`) on 127.0.0.1:5678 with this package
 * installed, the Coze emulator running and the example workflow and credential imported, so a
 * person can open the editor and try the node. Ctrl-C stops everything it started.
 */
import { startCozeEmulator } from '../test/emulator';
import { step } from './lib/log';
import { N8nInstance, type N8nLine } from './lib/n8n';
import { cozeCredential, rowsWorkflow, webhookWorkflow } from './lib/workflows';

const EMULATED_WORKFLOW_ID = '7398123456789012345';

async function main(): Promise<void> {
	const line = (process.env.N8N_LINE === '1' ? 1 : 2) as N8nLine;
	const port = Number(process.env.N8N_PORT ?? 5678);
	const emulator = await startCozeEmulator({ dialect: 'cloud', validTokens: ['demo-token'], port: Number(process.env.COZE_EMULATOR_PORT ?? 0) });
	const n8n = await N8nInstance.create(line, { port });
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		step('stopping n8n and the Coze emulator …');
		await n8n.dispose();
		await emulator.close();
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	try {
		await n8n.importCredentials([cozeCredential({ region: 'custom', baseUrl: emulator.url, accessToken: 'demo-token' })]);
		await n8n.importWorkflows([
			rowsWorkflow('CozeDemoWorkflow', 'Coze demo: one run per city', [{ city: '北京' }, { city: 'Hangzhou' }], {
				workflowId: EMULATED_WORKFLOW_ID,
				inputs: [{ name: 'city', value: '={{ $json.city }}' }],
			}),
			webhookWorkflow('CozeDemoWebhook1', 'coze-demo', {
				workflowId: EMULATED_WORKFLOW_ID,
				inputs: [{ name: 'city', value: '={{ $json.body.city }}' }],
			}),
		]);
		await n8n.activate('CozeDemoWebhook1');
		await n8n.start({ echo: process.env.N8N_DEV_LOG === '1' });
		process.stdout.write(
			[
				'',
				`n8n ${n8n.version} is running at ${n8n.baseUrl} with n8n-nodes-coze installed.`,
				`Coze emulator: ${emulator.url} (token "demo-token"); the credential "Coze" points at it.`,
				'Open the editor, create the owner account, then open the workflow "Coze demo: one run per city".',
				`Or call the active webhook workflow: curl -X POST ${n8n.baseUrl}/webhook/coze-demo -H 'content-type: application/json' -d '{"city":"Hangzhou"}'`,
				'Press Ctrl-C to stop n8n and the emulator.',
				'',
			].join('\n'),
		);
	} catch (error) {
		process.stderr.write(`npm run dev failed: ${error instanceof Error ? error.message : String(error)}\n`);
		await stop(1);
	}
}

void main();
