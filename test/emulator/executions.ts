/**
 * Remembered executions (coze-api.md §2.2): every sync, async, stream and chat-flow run the emulator
 * answers is kept so that the run history of either dialect can show it. Async runs carry a
 * `pending` final state that the history polls reach after `runningPolls` `Running` answers.
 * Remembering a NEW execute id is what counts a run (accounting.ts).
 */
import { countRun } from './accounting';
import type { EmulatorState, Execution, FinalState, RequestContext } from './core';
import { ZERO_USAGE } from './dialect';
import { USER_ID } from './ids';
import { toJson } from './json';
import type { Usage } from './types';

export interface NewExecution {
	executeId: string;
	workflowId: string;
	/** 0 sync, 1 stream, 2 async. */
	runMode: 0 | 1 | 2;
	botId?: string;
	parameters: Record<string, unknown>;
	status: string;
	output?: string | null;
	usage?: Usage;
	textMode?: boolean;
	errorCode?: string | null;
	errorMsg?: string | null;
	debugUrl: string;
	pending?: { runningPolls: number; final: FinalState };
	/** See Execution.lazyOutput. */
	lazyOutput?: () => string;
	/** The parameters the run is counted under (accounting.ts), when not `parameters` (chat flow: + USER_INPUT). */
	keyParameters?: Record<string, unknown>;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function rememberExecution(state: EmulatorState, ctx: RequestContext, r: NewExecution): Execution {
	const now = nowSeconds();
	const usage = r.usage ?? ZERO_USAGE;
	const before = state.executions.get(r.executeId); // a resumed run keeps its creation time
	if (!before) countRun(state, r.workflowId, r.keyParameters ?? r.parameters); // a new execution = a run started
	const e: Execution = {
		executeId: r.executeId,
		workflowId: r.workflowId,
		status: r.status,
		runMode: r.runMode,
		botId: r.botId,
		connectorId: '1024',
		connectorUid: USER_ID,
		logId: ctx.logId,
		input: toJson(r.parameters),
		output: r.output ?? null,
		token: usage.input_count + usage.output_count,
		errorCode: r.errorCode ?? null,
		errorMsg: r.errorMsg ?? null,
		createTime: before?.createTime ?? now,
		updateTime: now,
		debugUrl: r.debugUrl,
		usage,
		textMode: r.textMode ?? false,
		pending: r.pending,
		lazyOutput: r.lazyOutput,
	};
	state.executions.set(e.executeId, e);
	return e;
}

/** Updates a remembered execution (e.g. a stream that finished or failed). */
export function updateExecution(state: EmulatorState, executeId: string, patch: Partial<Execution>): void {
	const e = state.executions.get(executeId);
	if (!e) return;
	Object.assign(e, patch, { updateTime: nowSeconds() });
	if (patch.usage) e.token = patch.usage.input_count + patch.usage.output_count;
}

/** Counts one history request for `executeId` and returns the new count. */
export function countPoll(state: EmulatorState, executeId: string): number {
	const n = (state.historyPolls.get(executeId) ?? 0) + 1;
	state.historyPolls.set(executeId, n);
	return n;
}

/** Applies the pending final state once the execution has been polled more than `runningPolls` times. */
export function advance(state: EmulatorState, e: Execution): void {
	if (!e.pending) return;
	const polls = state.historyPolls.get(e.executeId) ?? 0;
	if (polls <= e.pending.runningPolls) return;
	const f = e.pending.final;
	e.pending = undefined;
	e.status = f.status;
	e.output = f.output;
	e.errorCode = f.errorCode;
	e.errorMsg = f.errorMsg;
	e.pause = f.pause;
	e.updateTime = nowSeconds();
}
