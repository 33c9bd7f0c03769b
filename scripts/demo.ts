/**
 * `npm run demo`: a real n8n runs a Coze workflow through this package and prints each item's
 * result. Without COZE_TOKEN it uses the project's Coze emulator on 127.0.0.1; with
 * COZE_TOKEN (and COZE_REGION = cn | com | studio | custom, COZE_BASE_URL, COZE_WORKFLOW_ID)
 * it calls the real Coze. N8N_LINE=1 runs it on n8n 1.x instead of 2.x.
 */
import { startCozeEmulator } from '../test/emulator';
import { step } from './lib/log';
import { N8nInstance, nodeOutput, type N8nLine } from './lib/n8n';
import { COZE_NODE, cozeCredential, rowsWorkflow } from './lib/workflows';

const DEMO_WORKFLOW = 'CozeDemoWorkflow';
const EMULATED_WORKFLOW_ID = '7398123456789012345';
const CITIES = ['北京', 'Hangzhou', 'São Paulo'];

async function main(): Promise<number> {
	const line = (process.env.N8N_LINE === '1' ? 1 : 2) as N8nLine;
	const useRealCoze = Boolean(process.env.COZE_TOKEN);
	const emulator = useRealCoze ? undefined : await startCozeEmulator({ dialect: 'cloud', validTokens: ['demo-token'] });
	if (emulator) {
		emulator.setRunScenario(EMULATED_WORKFLOW_ID, { kind: 'delay', ms: 150, then: { kind: 'echo' } });
		step(`Coze emulator (cloud dialect) on ${emulator.url}`);
	}
	const region = process.env.COZE_REGION ?? 'cn';
	const credential = useRealCoze
		? cozeCredential({ region, baseUrl: process.env.COZE_BASE_URL, accessToken: String(process.env.COZE_TOKEN) })
		: cozeCredential({ region: 'custom', baseUrl: emulator?.url, accessToken: 'demo-token' });
	const workflowId = useRealCoze ? process.env.COZE_WORKFLOW_ID : EMULATED_WORKFLOW_ID;
	if (!workflowId) throw new Error('Set COZE_WORKFLOW_ID to the ID of a published Coze workflow that takes an input "city".');

	const n8n = await N8nInstance.create(line);
	try {
		await n8n.importCredentials([credential]);
		await n8n.importWorkflows([
			rowsWorkflow(
				DEMO_WORKFLOW,
				'Coze demo: one run per city',
				CITIES.map((city) => ({ city })),
				{ workflowId, inputs: [{ name: 'city', value: '={{ $json.city }}' }] },
			),
		]);
		step(`n8n ${n8n.version}: executing "Manual Trigger → Rows → Items → Coze Workflow → Result" …`);
		const result = await n8n.execute(DEMO_WORKFLOW);
		const items = nodeOutput(result.run, COZE_NODE);
		const taskTime = result.run.data.resultData.runData[COZE_NODE]?.[0]?.executionTime;
		if (result.run.status !== 'success' || items.length === 0) {
			const error = result.run.data.resultData.error;
			process.stderr.write(`\nThe demo workflow failed in n8n ${n8n.version} (execution ${result.run.id}, status ${result.run.status}).\n`);
			process.stderr.write(error ? `${error.message}\n${error.description ?? ''}\n` : `${result.output.slice(-3000)}\n`);
			return 1;
		}
		const runs = emulator?.runsOf(EMULATED_WORKFLOW_ID) ?? [];
		process.stdout.write(`\nn8n ${n8n.version} ran the Coze workflow ${workflowId} for ${items.length} items `);
		process.stdout.write(`(${useRealCoze ? `real Coze, region ${region}` : `Coze emulator, ${runs.length} requests`}; `);
		process.stdout.write(`n8n stored it as execution ${result.run.id}, status "${result.run.status}"):\n\n`);
		items.forEach((item, index) => {
			process.stdout.write(`item ${index}  city=${JSON.stringify(CITIES[index])}\n`);
			process.stdout.write(`  data      ${JSON.stringify(item.json.data)}\n`);
			process.stdout.write(`  debug_url ${String(item.json.debug_url)}\n`);
			if (item.json.execute_id) process.stdout.write(`  execute_id ${String(item.json.execute_id)}\n`);
			if (item.json.error) process.stdout.write(`  error     ${String(item.json.error)}\n`);
		});
		if (taskTime !== undefined) {
			process.stdout.write(
				`\nCoze Workflow node: ${taskTime} ms for ${items.length} items (${Math.round(taskTime / items.length)} ms per item); ` +
					`n8n execute took ${(result.ms / 1000).toFixed(1)} s including n8n's start-up.\n`,
			);
		}
		return 0;
	} finally {
		await n8n.dispose();
		await emulator?.close();
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		process.stderr.write(`\nnpm run demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	},
);
