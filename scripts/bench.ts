/**
 * `npm run bench`: the node inside n8n's engine against the Coze emulator, measured side by
 * side in one run. Prints (1) per-item time of the node over a bare HTTP client making the same
 * requests, (2) wall time for 1 000 items at 100 ms latency at concurrency 1, 5, 20 over the
 * ideal N × latency / concurrency, (3) wall time for 1 000 items at Max Concurrent Runs 50
 * against an account that refuses (HTTP 429) more than 20 runs in flight, over the ideal at the
 * server's limit, with the items lost and the runs made twice, (4) peak memory for a 20 MB result
 * and a 100 000-event stream, (5) peak memory over the file's size for Speech to Text of a 50 MB
 * file, Text to Speech of a ~50 MB audio and Add Document of an 11 MB file (lib/benchAudio.ts).
 * The last line is for tools:
 * `bench: overhead=… wall_c1=… wall_c5=… wall_c20=… limit=… mem=… stt50=… tts=… doc=…`.
 */
import '../test/harness/env';

import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import { startCozeEmulator } from '../test/emulator';
import { runCozeNode, shutdownEngine } from '../test/harness/engine';
import type { FileMeasure } from './lib/benchAudio';
import { measureAddDocument, measureSpeechToText, measureTextToSpeech } from './lib/benchAudio';

const TOKEN = 'bench-token';
const WF = '7398123456789012345';
const quick = process.env.BENCH_QUICK === '1';

function parameters(options: INodeParameters = {}, mode = 'sync'): INodeParameters {
	return {
		operation: 'run',
		workflowId: { __rl: true, mode: 'id', value: WF },
		runMode: mode,
		inputMode: 'keyValue',
		parameters: { parameter: [{ name: 'n', value: '={{ $json.n }}' }] },
		options,
	};
}

/**
 * An emulator in its own process, as Coze is a remote server: its work then does not share
 * the node's CPU core, nor its memory. Used for the timing measures and the file measures;
 * the 20 MB result and the stream are measured with the emulator in-process.
 */
async function remoteEmulator(latencyMs: number, extraArgs: string[] = []): Promise<{ url: string; child: ChildProcess }> {
	const cli = join(__dirname, '..', 'test', 'emulator', 'cli.js');
	const child = spawn(process.execPath, [cli, '--dialect', 'cloud', '--token', TOKEN, '--latency', String(latencyMs), ...extraArgs], {
		stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
	});
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			out += chunk.toString('utf8');
			const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
			if (match) resolve(match[1]);
		});
		child.on('exit', (code) => reject(new Error(`the emulator exited with code ${code}`)));
	});
	return { url, child };
}

type Target = { url: string };

interface RemoteStats {
	runsByKey: Record<string, number>;
	rateLimitRefusals: number;
}

/** What the emulator in its own process counted (cli.ts answers over the IPC channel). */
async function remoteStats(child: ChildProcess): Promise<RemoteStats> {
	return await new Promise<RemoteStats>((resolve) => {
		child.once('message', (message) => resolve(message as RemoteStats));
		child.send({ type: 'stats', workflowId: WF });
	});
}

async function runNode(emulator: Target, count: number, options: INodeParameters, mode = 'sync') {
	const started = process.hrtime.bigint();
	const outcome = await runCozeNode({
		items: Array.from({ length: count }, (_, n) => ({ n })),
		parameters: parameters(options, mode),
		credentials: { region: 'custom', baseUrl: emulator.url, accessToken: TOKEN },
	});
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	if (outcome.status !== 'success' || outcome.output.length !== count) {
		throw new Error(`the node failed: ${outcome.error?.message ?? outcome.status}`);
	}
	return { ms, outcome };
}

/** The same requests one after another with node's http module, no n8n around it. */
async function runBare(emulator: Target, count: number): Promise<number> {
	const url = new URL('/v1/workflow/run', emulator.url);
	const started = process.hrtime.bigint();
	for (let n = 0; n < count; n++) {
		const body = JSON.stringify({ workflow_id: WF, parameters: { n } });
		await new Promise<void>((resolve, reject) => {
			const req = request(
				url,
				{ method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json' } },
				(res) => {
					let text = '';
					res.setEncoding('utf8');
					res.on('data', (chunk: string) => (text += chunk));
					res.on('end', () => {
						const parsed = JSON.parse(text) as { code: number; data: string };
						if (parsed.code !== 0) reject(new Error(text));
						JSON.parse(parsed.data);
						resolve();
					});
				},
			);
			req.on('error', reject);
			req.end(body);
		});
	}
	return Number(process.hrtime.bigint() - started) / 1e6;
}

async function peakMemory<T>(work: () => Promise<T>): Promise<{ peakBytes: number; result: T }> {
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	const used = () => {
		// `external` already includes the memory of Buffers and ArrayBuffers.
		const m = process.memoryUsage();
		return m.heapUsed + m.external;
	};
	const baseline = used();
	let peak = baseline;
	const timer = setInterval(() => (peak = Math.max(peak, used())), 5);
	try {
		const result = await work();
		peak = Math.max(peak, used());
		return { peakBytes: peak - baseline, result };
	} finally {
		clearInterval(timer);
	}
}

const fmt = (value: number) => value.toFixed(2);
const mb = (bytes: number) => (bytes / 1048576).toFixed(1);

async function main(): Promise<void> {
	const emulator = await startCozeEmulator({ dialect: 'cloud', validTokens: [TOKEN] });
	const lines: string[] = [];
	const say = (line: string) => {
		lines.push(line);
		process.stdout.write(`${line}\n`);
	};
	try {
		// (1) Per-item overhead at a set latency, one item at a time, both measured here and now.
		const overheadLatency = 20;
		const fast = await remoteEmulator(overheadLatency);
		let overhead: number;
		try {
			// Warm up both paths (JIT, sockets, n8n's lazy loading).
			await runNode(fast, 20, { maxConcurrency: 1 });
			await runBare(fast, 20);
			const overheadItems = quick ? 50 : 200;
			const bare = await runBare(fast, overheadItems);
			const node = (await runNode(fast, overheadItems, { maxConcurrency: 1 })).ms;
			overhead = node / bare;
			say(
				`overhead: ${overheadItems} items at ${overheadLatency} ms latency, one at a time: node ${fmt(node / overheadItems)} ms/item, bare http ${fmt(bare / overheadItems)} ms/item → ${fmt(overhead)}×`,
			);
		} finally {
			fast.child.kill();
		}

		// (2) Wall time against the ideal N × latency / concurrency.
		const items = quick ? 200 : 1000;
		const latency = 100;
		const slow = await remoteEmulator(latency);
		const walls: Record<number, number> = {};
		try {
			for (const concurrency of [1, 5, 20]) {
				const { ms } = await runNode(slow, items, { maxConcurrency: concurrency });
				const ideal = (items * latency) / concurrency;
				walls[concurrency] = ms / ideal;
				say(`wall: ${items} items at ${latency} ms, concurrency ${concurrency}: ${(ms / 1000).toFixed(1)} s, ideal ${(ideal / 1000).toFixed(1)} s → ${fmt(walls[concurrency])}×`);
			}
		} finally {
			slow.child.kill();
		}

		// (3) Against an account rate limit: Max Concurrent Runs 50, the server takes 20 runs in
		// flight and refuses the rest with HTTP 429. Ideal: every slot the server has, always busy.
		const limitItems = quick ? 300 : 1000;
		const serverLimit = 20;
		const limited = await remoteEmulator(latency, ['--max-in-flight', String(serverLimit)]);
		let limitRatio: number;
		try {
			const { ms, outcome } = await runNode(limited, limitItems, { maxConcurrency: 50 });
			const stats = await remoteStats(limited.child);
			const counts = Object.values(stats.runsByKey);
			const lost = limitItems - counts.length + outcome.output.filter((item) => item.json.error !== undefined).length;
			const twice = counts.filter((count) => count > 1).length;
			const ideal = (limitItems * latency) / serverLimit;
			limitRatio = ms / ideal;
			say(
				`limit: ${limitItems} items at ${latency} ms, Max Concurrent Runs 50, server limit ${serverLimit} in flight: ${(ms / 1000).toFixed(1)} s, ideal ${(ideal / 1000).toFixed(1)} s → ${fmt(limitRatio)}×; ${stats.rateLimitRefusals} requests rate limited, ${lost} items lost, ${twice} run twice`,
			);
			if (lost > 0 || twice > 0) throw new Error(`against the rate limit ${lost} items were lost and ${twice} ran twice`);
		} finally {
			limited.child.kill();
		}

		// (4) Peak memory for a 20 MB result and a 100 000-event stream.
		const resultBytes = 20 * 1024 * 1024;
		emulator.setRunScenario(WF, { kind: 'bigJson', bytes: resultBytes });
		const big = await peakMemory(() => runNode(emulator, 1, { maxConcurrency: 1 }));
		const memRatio = big.peakBytes / resultBytes;
		say(`memory: 20 MB result: peak ${(big.peakBytes / 1048576).toFixed(1)} MB over the baseline → ${fmt(memRatio)}× the result`);
		emulator.reset();
		const events = quick ? 20_000 : 100_000;
		emulator.setStreamScenario(WF, { kind: 'many', count: events, chunking: { every: 65_536 } });
		const stream = await peakMemory(() => runNode(emulator, 1, { maxConcurrency: 1 }, 'stream'));
		say(`memory: ${events}-event stream: peak ${(stream.peakBytes / 1048576).toFixed(1)} MB over the baseline`);
		emulator.reset();

		// (5) Files: the emulator in its own process, the baseline taken with the input item made.
		const files = await remoteEmulator(0);
		let stt: FileMeasure, tts: FileMeasure & { pieces: number }, doc: FileMeasure;
		try {
			const fileLine = (what: string, m: FileMeasure, of: string) =>
				say(`memory: ${what}: peak ${mb(m.peakBytes)} MB over the baseline, ${of} ${mb(m.fileBytes)} MB → ${fmt(m.ratio)}× the file`);
			stt = await measureSpeechToText(files, TOKEN, peakMemory);
			fileLine('speech to text of a 50 MB file', stt, 'file');
			tts = await measureTextToSpeech(files, TOKEN, peakMemory);
			fileLine(`text to speech in ${tts.pieces} pieces`, tts, 'audio');
			doc = await measureAddDocument(files, TOKEN, peakMemory);
			fileLine('add document (cloud, base64 in JSON)', doc, 'file');
		} finally {
			files.child.kill();
		}

		say(
			`bench: overhead=${fmt(overhead)} wall_c1=${fmt(walls[1])} wall_c5=${fmt(walls[5])} wall_c20=${fmt(walls[20])} limit=${fmt(limitRatio)} mem=${fmt(memRatio)} stt50=${fmt(stt.ratio)} tts=${fmt(tts.ratio)} doc=${fmt(doc.ratio)}`,
		);
	} finally {
		await emulator.close();
		await shutdownEngine();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`npm run bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	},
);
