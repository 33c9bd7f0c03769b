/**
 * The processes `npm run test:queue` starts (Redis, PostgreSQL, n8n main and workers): each is
 * spawned as the leader of its own process group, with its output kept line by line, so that
 * stopping it also reaches what it started (n8n's task runner, postgres' backends). Everything
 * is stopped on the way out, also when a step fails or on SIGINT / SIGTERM, and then checked:
 * no process of any of these groups, and none still naming the work folder, may be left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

import { step } from '../../scripts/lib/log';

export interface SpawnOptions {
	env: NodeJS.ProcessEnv;
	cwd?: string;
	uid?: number;
	gid?: number;
	/** How this process is asked to stop (postgres: SIGINT = fast shutdown). Default SIGTERM. */
	stopSignal?: NodeJS.Signals;
	/** How long a stop may take before its group is killed. Default 40 s (n8n waits up to 30 s for executions). */
	stopTimeoutMs?: number;
	/** Stopped before every process of a lower tier (n8n before Redis and Postgres). Default 0. */
	tier?: number;
}

export class Proc {
	readonly lines: string[] = [];
	readonly startedAt = Date.now();
	exitedAt?: number;
	exit?: { code: number | null; signal: NodeJS.Signals | null };
	readonly exited: Promise<void>;
	private readonly listeners = new Set<(line: string) => void>();

	constructor(
		readonly name: string,
		readonly child: ChildProcess,
		readonly options: SpawnOptions,
	) {
		let rest = { out: '', err: '' };
		const take = (which: 'out' | 'err') => (chunk: Buffer) => {
			const parts = (rest[which] + chunk.toString('utf8')).split('\n');
			rest = { ...rest, [which]: parts.pop() ?? '' };
			for (const line of parts) this.push(line);
		};
		child.stdout?.on('data', take('out'));
		child.stderr?.on('data', take('err'));
		this.exited = new Promise((resolve) => {
			child.once('exit', (code, signal) => {
				this.exitedAt = Date.now();
				this.exit = { code, signal };
				resolve();
			});
		});
		child.once('error', (error) => this.push(`[spawn error] ${error.message}`));
	}

	get pid(): number {
		return this.child.pid ?? -1;
	}

	get running(): boolean {
		return this.exit === undefined && this.child.pid !== undefined;
	}

	private push(line: string): void {
		this.lines.push(line);
		for (const listener of this.listeners) listener(line);
	}

	/** Resolves with the first line (seen so far or later) that matches; fails on exit or timeout. */
	waitFor(match: RegExp | ((line: string) => boolean), timeoutMs: number, what: string): Promise<string> {
		const test = typeof match === 'function' ? match : (line: string) => match.test(line);
		const seen = this.lines.find(test);
		if (seen !== undefined) return Promise.resolve(seen);
		return new Promise((resolve, reject) => {
			const done = (error?: Error, line?: string) => {
				clearTimeout(timer);
				this.listeners.delete(listener);
				if (error) reject(error);
				else resolve(line ?? '');
			};
			const listener = (line: string) => test(line) && done(undefined, line);
			const timer = setTimeout(() => done(new Error(`${this.name}: no ${what} within ${timeoutMs / 1000} s\n${this.tail()}`)), timeoutMs);
			this.listeners.add(listener);
			void this.exited.then(() => done(new Error(`${this.name} exited (${JSON.stringify(this.exit)}) before ${what}\n${this.tail()}`)));
		});
	}

	/** Signals the process itself, or its whole group. */
	signal(signal: NodeJS.Signals, group = false): void {
		if (this.pid <= 0) return;
		try {
			process.kill(group ? -this.pid : this.pid, signal);
		} catch {
			// already gone
		}
	}

	tail(lines = 30): string {
		return this.lines.slice(-lines).join('\n');
	}
}

export class Procs {
	readonly all: Proc[] = [];
	/** Process groups ever started, for the final check (a group outlives its leader). */
	private readonly groups = new Set<number>();

	/** Set once stopping has begun: a step still under way may not start anything more. */
	private closed = false;

	start(name: string, command: string, args: string[], options: SpawnOptions): Proc {
		if (this.closed) throw new Error(`not starting ${name}: the run is stopping`);
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env,
			uid: options.uid,
			gid: options.gid,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const proc = new Proc(name, child, options);
		this.all.push(proc);
		if (child.pid) this.groups.add(child.pid);
		return proc;
	}

	/** Stops one process the way it asks to be stopped, then kills whatever is left of its group. */
	async stop(proc: Proc, maxTimeoutMs = Infinity): Promise<void> {
		if (proc.running) {
			proc.signal(proc.options.stopSignal ?? 'SIGTERM');
			const timeout = Math.min(proc.options.stopTimeoutMs ?? 40_000, maxTimeoutMs);
			const inTime = await Promise.race([proc.exited.then(() => true), sleep(timeout).then(() => false)]);
			if (!inTime) step(`${proc.name} did not stop within ${timeout / 1000} s: killing its process group`);
		}
		await this.killGroup(proc.pid);
	}

	/**
	 * Stops everything, the highest tier first (n8n before the services it needs), each tier at
	 * once. `maxTimeoutMs` shortens each one's grace (an interrupted run need not wait for n8n's).
	 */
	async stopAll(maxTimeoutMs = Infinity): Promise<void> {
		this.closed = true;
		const tiers = [...new Set(this.all.map((proc) => proc.options.tier ?? 0))].sort((a, b) => b - a);
		for (const tier of tiers) {
			await Promise.all(this.all.filter((proc) => (proc.options.tier ?? 0) === tier).map((proc) => this.stop(proc, maxTimeoutMs)));
		}
	}

	/** Last resort on exit: SIGKILL to every group still alive (synchronous). */
	killAllNow(): void {
		for (const group of this.groups) {
			try {
				process.kill(-group, 'SIGKILL');
			} catch {
				// gone
			}
		}
	}

	private async killGroup(group: number): Promise<void> {
		if (group <= 0) return;
		const deadline = Date.now() + 10_000;
		while (livePids((p) => p.pgrp === group).length > 0) {
			try {
				process.kill(-group, Date.now() < deadline - 5_000 ? 'SIGTERM' : 'SIGKILL');
			} catch {
				return;
			}
			if (Date.now() > deadline) return;
			await sleep(250);
		}
	}

	/** PIDs alive in our process groups now. */
	pids(): number[] {
		return livePids((p) => this.groups.has(p.pgrp)).map((p) => p.pid);
	}

	/** What is still running of ours: members of our groups, and any process naming `workDir`. */
	leftovers(workDir: string): string[] {
		return livePids((p) => this.groups.has(p.pgrp) || p.cmdline.includes(workDir)).map(
			(p) => `pid ${p.pid} (group ${p.pgrp}): ${p.cmdline.slice(0, 160)}`,
		);
	}
}

interface ProcInfo {
	pid: number;
	pgrp: number;
	cmdline: string;
}

/** Processes from /proc that are alive (zombies count as gone), filtered. */
function livePids(filter: (info: ProcInfo) => boolean): ProcInfo[] {
	const found: ProcInfo[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (fields[0] === 'Z' || fields[0] === 'X') continue;
			const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
			const info = { pid: Number(entry), pgrp: Number(fields[2]), cmdline };
			if (filter(info)) found.push(info);
		} catch {
			// exited while we looked
		}
	}
	return found;
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
