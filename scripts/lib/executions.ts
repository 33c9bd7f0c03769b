/**
 * What `n8n execute` did, read from where n8n keeps it: the execution rows in its database.
 *
 * n8n's stdout mixes the run's JSON with log lines (2.x prints the task broker, the license SDK
 * and "Registered runner …" around it, in no fixed order), so parsing stdout once reported a run
 * that succeeded as a failure. The CLI's `execute` goes through n8n's WorkflowRunner, which saves
 * every execution (status and run data) to the database before the process exits; this reads it
 * back with n8n's own sqlite3 and flatted, as n8n's REST API would, and the CLI's exit code must
 * agree with the stored status.
 */
import { join } from 'node:path';

import { run } from './proc';

export interface NodeRunItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
}

export interface ExecutionRun {
	id?: string;
	status?: string;
	data: {
		resultData: {
			error?: { message?: string; description?: string };
			lastNodeExecuted?: string;
			runData: Record<string, Array<{ executionTime?: number; error?: { message?: string }; data?: { main?: NodeRunItem[][] } }>>;
		};
	};
}

/** The runtime's n8n reads its own database: no second sqlite or schema knowledge beyond two tables. */
const READER = `
const path = require('path');
const [dbFile, workflowId, afterId] = process.argv.slice(1);
const from = [path.join(process.cwd(), 'node_modules', 'n8n')];
const sqlite3 = require(require.resolve('sqlite3', { paths: from }));
const flatted = require(require.resolve('flatted', { paths: from }));
const db = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY, (openError) => {
  if (openError) { process.stderr.write(openError.message); process.exit(2); }
  db.all(
    'SELECT e.id, e.status, e.mode, d.data FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id ' +
      'WHERE e.workflowId = ? AND CAST(e.id AS INTEGER) > ? ORDER BY CAST(e.id AS INTEGER)',
    [workflowId, Number(afterId)],
    (error, rows) => {
      if (error) { process.stderr.write(error.message); process.exit(2); }
      const out = rows.map((row) => ({ id: String(row.id), status: row.status, mode: row.mode, data: row.data ? flatted.parse(row.data) : null }));
      process.stdout.write(JSON.stringify(out));
      db.close();
    },
  );
});
`;

interface StoredRow {
	id: string;
	status: string;
	mode: string;
	data: ExecutionRun['data'] | null;
}

/** Executions of `workflowId` stored after execution `afterId`, oldest first. */
export async function storedExecutions(env: NodeJS.ProcessEnv, workflowId: string, afterId: number): Promise<StoredRow[]> {
	const dbFile = join(String(env.N8N_USER_FOLDER), '.n8n', 'database.sqlite');
	const result = await run(String(env.NODE_BIN), ['-e', READER, dbFile, workflowId, String(afterId)], {
		cwd: String(env.N8N_RUNTIME_DIR),
		env,
		timeoutMs: 60_000,
	});
	if (result.code !== 0) throw new Error(`could not read n8n's executions from ${dbFile}: ${result.stderr.slice(-2000)}`);
	return JSON.parse(result.stdout) as StoredRow[];
}

export function lastId(rows: StoredRow[], fallback: number): number {
	return rows.reduce((max, row) => Math.max(max, Number(row.id)), fallback);
}

/**
 * One `n8n execute` made exactly one stored execution, and its exit code agrees with the status
 * n8n stored for it. Anything else is reported as unreadable, never as a success or a failure.
 */
export function settleExecution(rows: StoredRow[], exitCode: number | null, output: string): ExecutionRun {
	const tail = output.slice(-3000);
	if (rows.length !== 1) {
		throw new Error(`n8n execute (exit ${exitCode}) stored ${rows.length} executions of the workflow, expected 1:\n${tail}`);
	}
	const [row] = rows;
	if (!row.data) throw new Error(`n8n stored execution ${row.id} (status ${row.status}) without its run data:\n${tail}`);
	const succeeded = row.status === 'success';
	if (succeeded !== (exitCode === 0)) {
		throw new Error(`n8n execute exited with ${exitCode} but stored execution ${row.id} as "${row.status}":\n${tail}`);
	}
	return { id: row.id, status: row.status, data: row.data };
}
