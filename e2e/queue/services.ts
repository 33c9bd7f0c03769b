/**
 * Redis and PostgreSQL for n8n's queue mode, as plain processes on random loopback ports in the
 * run's work folder (/work/shared/n8n-queue.md, "Layout"): Debian's packages, installed when
 * missing by scripts/ensure-queue-services.sh. Postgres refuses to run as root, so as root it runs
 * as the `postgres` user (uid/gid of the spawned process; trap 1: that user owns its folders).
 */
import { chmodSync, chownSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { freePort, REPO_DIR } from '../../scripts/lib/n8n';
import { run, runOrThrow } from '../../scripts/lib/proc';
import { step, timed } from '../../scripts/lib/log';
import type { Proc, Procs } from './procs';

export interface ServiceBinaries {
	redisServer: string;
	pgBin: string;
}

export async function ensureServices(): Promise<ServiceBinaries> {
	const result = await timed('Redis and PostgreSQL from Debian (scripts/ensure-queue-services.sh)', () =>
		runOrThrow('bash', [join(REPO_DIR, 'scripts', 'ensure-queue-services.sh')], { echo: true, timeoutMs: 600_000 }),
	);
	const value = (name: string) => {
		const found = new RegExp(`^${name}=(.+)$`, 'm').exec(result.stdout)?.[1];
		if (!found) throw new Error(`ensure-queue-services.sh printed no ${name}=…:\n${result.stdout}`);
		return found.trim();
	};
	return { redisServer: value('REDIS_SERVER'), pgBin: value('PG_BIN') };
}

export interface Redis {
	port: number;
	proc: Proc;
}

export async function startRedis(procs: Procs, workDir: string, redisServer: string): Promise<Redis> {
	const dir = join(workDir, 'redis');
	mkdirSync(dir);
	const port = await freePort();
	const proc = procs.start(
		'redis',
		redisServer,
		['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'no', '--save', '', '--appendonly', 'no', '--dir', dir],
		{ env: { PATH: process.env.PATH, LANG: 'C' }, cwd: dir },
	);
	await proc.waitFor(/Ready to accept connections/, 20_000, 'readiness');
	return { port, proc };
}

export interface Postgres {
	port: number;
	proc: Proc;
	user: string;
	password: string;
	database: string;
	/** Rows of a query in the n8n database, as tab-separated text fields. */
	query(sql: string): Promise<string[][]>;
}

/** The postgres user's ids when we are root; undefined otherwise (postgres then runs as us). */
function postgresIds(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	const entry = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((line) => line.startsWith('postgres:'));
	if (!entry) throw new Error('running as root, but there is no postgres user to run PostgreSQL as (it refuses root)');
	const [, , uid, gid] = entry.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(procs: Procs, workDir: string, pgBin: string): Promise<Postgres> {
	const ids = postgresIds();
	const dataDir = join(workDir, 'pg');
	const socketDir = join(workDir, 'pgsock');
	for (const dir of [dataDir, socketDir]) {
		mkdirSync(dir, { mode: 0o700 });
		if (ids) chownSync(dir, ids.uid, ids.gid);
	}
	// The postgres user must pass through the (root-owned, 0700) work folder to reach its own.
	if (ids) chmodSync(workDir, 0o711);
	const env = { PATH: `${pgBin}:${process.env.PATH}`, LANG: 'C', LC_ALL: 'C', HOME: dataDir };
	const asPostgres = { env, cwd: dataDir, uid: ids?.uid, gid: ids?.gid };
	await timed('PostgreSQL: initdb', async () => {
		const init = await run(
			join(pgBin, 'initdb'),
			['-D', dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync'],
			{ ...asPostgres, timeoutMs: 120_000 },
		);
		if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}):\n${init.stderr.slice(-3000)}\n${init.stdout.slice(-1000)}`);
	});
	const port = await freePort();
	// A throwaway database: durability off, which spares the shared 2-core machine's disk.
	const proc = procs.start(
		'postgres',
		join(pgBin, 'postgres'),
		['-D', dataDir, '-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=100'],
		{ ...asPostgres, stopSignal: 'SIGINT', stopTimeoutMs: 20_000 },
	);
	await proc.waitFor(/database system is ready to accept connections/, 30_000, 'readiness');
	const psql = async (database: string, sql: string): Promise<string[][]> => {
		const result = await run(
			join(pgBin, 'psql'),
			['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', database, '-At', '-F', '\t', '-c', sql],
			{ env, timeoutMs: 60_000 },
		);
		if (result.code !== 0) throw new Error(`psql failed (exit ${result.code}) for: ${sql}\n${result.stderr.slice(-2000)}`);
		return result.stdout
			.split('\n')
			.filter((line) => line !== '')
			.map((line) => line.split('\t'));
	};
	const password = `n8n-queue-${Math.random().toString(36).slice(2)}`;
	await psql('postgres', `create user n8n password '${password}'`);
	await psql('postgres', 'create database n8n owner n8n');
	step(`PostgreSQL ${(await psql('postgres', 'show server_version'))[0]?.[0]} on 127.0.0.1:${port}${ids ? ' (as the postgres user)' : ''}`);
	return { port, proc, user: 'n8n', password, database: 'n8n', query: (sql) => psql('n8n', sql) };
}
