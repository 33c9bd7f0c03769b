/**
 * One batch of concurrent webhook calls, each carrying `items` rows whose `request_id` names the
 * batch, the call and the row (`load-c07-r42`), and what came of it: the HTTP answers, and what
 * the Coze emulator saw per item (requests received, runs counted) and per n8n execution.
 */
import type { CozeEmulator } from '../../test/emulator';
import type { Cluster, WebhookAnswer } from './cluster';
import { postWebhook } from './cluster';
import type { Postgres } from './services';
import type { QueueWorkflow } from './workflows';

export interface QueueContext {
	cluster: Cluster;
	emulator: CozeEmulator;
	pg: Postgres;
	/** A line of the final summary. */
	report(line: string): void;
}

const pad = (n: number) => String(n).padStart(2, '0');
export const requestId = (prefix: string, call: number, row: number) => `${prefix}-c${pad(call)}-r${pad(row)}`;

export class Batch {
	readonly answers: Array<WebhookAnswer | undefined>;
	readonly startedAt = Date.now();
	readonly done: Promise<WebhookAnswer[]>;

	constructor(
		readonly ctx: QueueContext,
		readonly workflow: QueueWorkflow,
		readonly prefix: string,
		readonly calls: number,
		readonly items: number,
	) {
		this.answers = new Array(calls).fill(undefined);
		this.done = Promise.all(
			Array.from({ length: calls }, async (_, call) => {
				const rows = Array.from({ length: items }, (__, row) => ({ request_id: requestId(prefix, call, row) }));
				const answer = await postWebhook(ctx.cluster.baseUrl, workflow.path, rows).catch(
					(error: unknown): WebhookAnswer => ({ status: -1, text: String(error), ms: Date.now() - this.startedAt, at: Date.now() }),
				);
				this.answers[call] = answer;
				return answer;
			}),
		);
	}

	/** Every call answered 200 with its `items` items in order, each Coze's echo of its own row. */
	problemsOfAnswers(calls: number[] = [...Array(this.calls).keys()]): string[] {
		const problems: string[] = [];
		for (const call of calls) {
			const answer = this.answers[call];
			if (!answer) {
				problems.push(`call ${call}: no answer`);
				continue;
			}
			if (answer.status !== 200) {
				problems.push(`call ${call}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
				continue;
			}
			let items: Array<{ data?: { parameters?: { request_id?: unknown } }; error?: unknown }>;
			try {
				items = JSON.parse(answer.text) as typeof items;
			} catch {
				problems.push(`call ${call}: not JSON: ${answer.text.slice(0, 200)}`);
				continue;
			}
			if (!Array.isArray(items) || items.length !== this.items) {
				problems.push(`call ${call}: ${Array.isArray(items) ? items.length : 'no'} items instead of ${this.items}`);
				continue;
			}
			const wrong = items.findIndex((item, row) => item.data?.parameters?.request_id !== requestId(this.prefix, call, row));
			if (wrong >= 0) problems.push(`call ${call}: item ${wrong} is ${JSON.stringify(items[wrong]).slice(0, 300)}`);
		}
		return problems;
	}

	/** The run requests of this batch the emulator received, in arrival order. */
	requests(): Array<{ requestId: string; call: number; exec: string; authorization: string }> {
		return this.ctx.emulator.runsOf(this.workflow.cozeWorkflowId).flatMap((request) => {
			const parameters = (request.body as { parameters?: { request_id?: unknown; exec?: unknown } } | undefined)?.parameters;
			const id = String(parameters?.request_id ?? '');
			if (!id.startsWith(`${this.prefix}-`)) return [];
			const call = Number(/-c(\d+)-r\d+$/.exec(id)?.[1] ?? -1);
			return [{ requestId: id, call, exec: String(parameters?.exec ?? ''), authorization: String(request.headers.authorization ?? '') }];
		});
	}

	/** Runs the emulator counted per request_id of this batch. */
	runsByItem(): Map<string, number> {
		const runs = new Map<string, number>();
		for (const [key, count] of this.ctx.emulator.runsByKey(this.workflow.cozeWorkflowId)) {
			if (key.startsWith(`${this.prefix}-`)) runs.set(key, count);
		}
		return runs;
	}

	/** `{runs per item: number of items}` over every item of the given calls (0 = never ran). */
	runsHistogram(calls: number[] = [...Array(this.calls).keys()]): Record<string, number> {
		const runs = this.runsByItem();
		const histogram: Record<string, number> = {};
		for (const call of calls) {
			for (let row = 0; row < this.items; row++) {
				const count = runs.get(requestId(this.prefix, call, row)) ?? 0;
				histogram[count] = (histogram[count] ?? 0) + 1;
			}
		}
		const expected = new Set(calls.flatMap((call) => Array.from({ length: this.items }, (_, row) => requestId(this.prefix, call, row))));
		const strangers = [...runs.keys()].filter((key) => !expected.has(key) && calls.length === this.calls);
		if (strangers.length > 0) histogram.unexpected = strangers.length;
		return histogram;
	}

	/** The n8n execution of each call, from the `exec` input its items carried to Coze. */
	executionOfCall(): Map<number, string> {
		const byCall = new Map<number, string>();
		for (const request of this.requests()) byCall.set(request.call, request.exec);
		return byCall;
	}

	/** Which worker ran each call's execution: `{w1: 10, w2: 10}`. */
	executionsPerWorker(): Record<string, number> {
		const byExecution = this.ctx.cluster.executionsByWorker();
		const counts: Record<string, number> = {};
		for (const execution of new Set(this.executionOfCall().values())) {
			const worker = byExecution.get(execution) ?? 'unknown';
			counts[worker] = (counts[worker] ?? 0) + 1;
		}
		return counts;
	}

	wallMs(): number {
		return Math.max(...this.answers.map((answer) => (answer ? answer.at : Date.now()))) - this.startedAt;
	}

	callTimes(): string {
		const ms = this.answers.flatMap((answer) => (answer ? [answer.ms] : [])).sort((a, b) => a - b);
		const s = (v: number | undefined) => ((v ?? Number.NaN) / 1000).toFixed(1);
		return `per call ${s(ms[0])}/${s(ms[Math.floor(ms.length / 2)])}/${s(ms[ms.length - 1])} s min/median/max`;
	}
}

/** Status (and times) n8n stored for these executions. */
export async function executionRows(pg: Postgres, ids: string[]): Promise<Map<string, { status: string; startedAt: string; stoppedAt: string; mode: string }>> {
	const rows = new Map<string, { status: string; startedAt: string; stoppedAt: string; mode: string }>();
	const numeric = ids.filter((id) => /^\d+$/.test(id));
	if (numeric.length === 0) return rows;
	const sql =
		`select id, status, mode, coalesce(extract(epoch from "startedAt")::text, ''), coalesce(extract(epoch from "stoppedAt")::text, '') ` +
		`from execution_entity where id in (${numeric.join(',')}) order by id`;
	for (const [id, status, mode, startedAt, stoppedAt] of await pg.query(sql)) rows.set(id, { status, mode, startedAt, stoppedAt });
	return rows;
}

/** The highest execution id n8n has stored so far (0 for none). */
export async function lastExecutionId(pg: Postgres): Promise<number> {
	const [[value] = ['0']] = await pg.query('select coalesce(max(id), 0) from execution_entity');
	return Number(value);
}

export function countBy<T>(values: T[], key: (value: T) => string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[key(value)] = (counts[key(value)] ?? 0) + 1;
	return counts;
}

export function fail(message: string): never {
	throw new Error(message);
}
