/**
 * The Coze node's Knowledge Base and Audio resources in a real n8n, through the two example
 * workflows users import (examples/*.json, their placeholders replaced as a user would):
 * files from disk added to a knowledge base and listed, a file Coze fails to process, text read
 * aloud into an MP3 on disk and that file turned back into text; and Coze Studio behind the real
 * nginx, with its own API location (no /open_api) and with /open_api added to it.
 */
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { CozeEmulator } from '../test/emulator';
import { DEFAULT_VOICE_ID, FAIL_PROCESSING_MARKER, speechTextOf, TEXT_DATASET_ID } from '../test/emulator';
import { startStudioNginx, STUDIO_API_PATHS, type StudioNginx } from '../scripts/lib/nginx';
import { nodeOutput, REPO_DIR, type CredentialJson, type ExecutionRun, type N8nInstance, type WorkflowJson } from '../scripts/lib/n8n';
import { CREDENTIAL_ID, CREDENTIAL_NAME, linearWorkflow } from '../scripts/lib/workflows';
import type { StudioSetup } from './studio';

type Check = (testCase: { name: string; run: () => Promise<void> }) => Promise<void>;

const WF = {
	sync: 'CozeE2eKbSync001',
	fails: 'CozeE2eKbFail001',
	studioNginx: 'CozeE2eKbStuNgx1',
	studioOpenApi: 'CozeE2eKbStuOpn1',
	speech: 'CozeE2eTts000001',
	transcribe: 'CozeE2eStt000001',
	studioSpeech: 'CozeE2eTtsStudi1',
};
const STUDIO_OPEN_API_CREDENTIAL = { id: 'CozeStudioOpnApi', name: 'Coze Studio (nginx with /open_api)' };
/** What the examples hold where a user puts their own values (examples/*.json, their sticky notes). */
const PLACEHOLDER = {
	credentialId: 'REPLACE_WITH_CREDENTIAL_ID',
	credentialName: 'Coze account',
	knowledgeBaseId: 'REPLACE_WITH_KNOWLEDGE_BASE_ID',
	voiceId: 'REPLACE_WITH_VOICE_ID',
	files: '/data/handbook/*.pdf',
	speechFile: '/tmp/coze-speech.mp3',
};
const SPEECH_TEXT = 'Your order has shipped and arrives tomorrow. 您的订单已发货，明天送达。';
const HANDBOOK = ['Returns policy.pdf', '员工手册 2026.pdf'];
const FAILING = `${FAIL_PROCESSING_MARKER} scan.pdf`;
const STUDIO_FILE = 'Studio handbook.pdf';
const OPEN_API_HINT = 'Add /open_api to its API location';

/** A small but well-formed one-page PDF whose text is `text`. */
function pdf(text: string): Buffer {
	const stream = `BT /F1 12 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let body = '%PDF-1.4\n';
	const offsets = objects.map((object, index) => {
		const at = body.length;
		body += `${index + 1} 0 obj\n${object}\nendobj\n`;
		return at;
	});
	const xref = body.length;
	body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('')}`;
	body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(body, 'latin1');
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * An example as a user imports it: examples/<file> with each placeholder replaced by its value
 * (every placeholder must be there, so an example that drifts from this list fails here).
 */
export function exampleWorkflow(file: string, id: string, name: string, values: Partial<Record<keyof typeof PLACEHOLDER, string>>): WorkflowJson {
	let text = readFileSync(join(REPO_DIR, 'examples', file), 'utf8');
	for (const [key, value] of Object.entries(values)) {
		const placeholder = PLACEHOLDER[key as keyof typeof PLACEHOLDER];
		if (!text.includes(placeholder)) throw new Error(`examples/${file} has no "${placeholder}"`);
		text = text.split(placeholder).join(JSON.stringify(value).slice(1, -1));
	}
	const left = /REPLACE_WITH_[A-Z_]+/.exec(text);
	if (left) throw new Error(`examples/${file}: ${left[0]} was not replaced`);
	return { ...(JSON.parse(text) as WorkflowJson), id, name: `E2E ${name}` };
}

interface Folders {
	handbook: string;
	fails: string;
	studio: string;
	speechFile: string;
}

function writeFiles(filesDir: string): Folders {
	const folders = { handbook: join(filesDir, 'handbook'), fails: join(filesDir, 'handbook-fails'), studio: join(filesDir, 'handbook-studio') };
	for (const dir of Object.values(folders)) mkdirSync(dir, { recursive: true });
	for (const name of HANDBOOK) writeFileSync(join(folders.handbook, name), pdf(`Handbook: ${name}`));
	writeFileSync(join(folders.fails, FAILING), pdf('a scan without text'));
	writeFileSync(join(folders.studio, STUDIO_FILE), pdf('Coze Studio handbook'));
	return { ...folders, speechFile: join(filesDir, 'coze-speech.mp3') };
}

export interface KnowledgeAudioSetup {
	credentials: CredentialJson[];
	workflows: WorkflowJson[];
	folders: Folders;
	stop(): Promise<void>;
}

/**
 * The files the examples read (inside `filesDir`, where n8n may read and write), a second nginx
 * before Studio whose API location also has open_api (as the node's error tells users to do),
 * and the workflows: the examples with the e2e's values, and speech back to text.
 */
export async function startKnowledgeAudioSetup(studio: StudioSetup, filesDir: string): Promise<KnowledgeAudioSetup> {
	const folders = writeFiles(filesDir);
	// Past nginx the emulator is coze-server itself; only the real nginx in front decides what reaches it.
	studio.emulator.setKnowledgeOptions({ studioDocumentRoute: 'direct', processingPolls: 1 });
	const openApi: StudioNginx = await startStudioNginx(studio.emulator.url, `${STUDIO_API_PATHS}|open_api`);
	const cloud = { credentialId: CREDENTIAL_ID, credentialName: CREDENTIAL_NAME };
	const studioCredential = { credentialId: studio.credential.id, credentialName: studio.credential.name };
	const knowledge = (id: string, name: string, credential: typeof cloud, files: string) =>
		exampleWorkflow('knowledge-sync.json', id, name, { ...credential, knowledgeBaseId: TEXT_DATASET_ID, files: join(files, '*.pdf') });
	const speech = (id: string, name: string, credential: typeof cloud, speechFile: string) =>
		exampleWorkflow('text-to-speech.json', id, name, { ...credential, voiceId: DEFAULT_VOICE_ID, speechFile });
	const workflows = [
		knowledge(WF.sync, 'knowledge sync (example)', cloud, folders.handbook),
		knowledge(WF.fails, 'knowledge sync, a file Coze fails to process (example)', cloud, folders.fails),
		knowledge(WF.studioNginx, "knowledge sync, Studio behind Studio's nginx (example)", studioCredential, folders.studio),
		knowledge(WF.studioOpenApi, 'knowledge sync, Studio behind nginx with /open_api (example)', { credentialId: STUDIO_OPEN_API_CREDENTIAL.id, credentialName: STUDIO_OPEN_API_CREDENTIAL.name }, folders.studio),
		speech(WF.speech, 'text to speech (example)', cloud, folders.speechFile),
		speech(WF.studioSpeech, 'text to speech on Studio (example)', studioCredential, join(filesDir, 'studio-speech.mp3')),
		linearWorkflow(WF.transcribe, 'E2E speech file back to text', [
			{
				id: 'a1f6c1f0-0000-4000-8000-0000000a0001',
				name: 'Read Speech File',
				type: 'n8n-nodes-base.readWriteFile',
				typeVersion: 1,
				position: [220, 0],
				parameters: { operation: 'read', fileSelector: folders.speechFile, options: {} },
			},
			{
				id: 'a1f6c1f0-0000-4000-8000-0000000a0002',
				name: 'Speech to Text',
				type: 'n8n-nodes-coze.coze',
				typeVersion: 1,
				position: [440, 0],
				parameters: { resource: 'audio', operation: 'speechToText', binaryPropertyName: 'data', options: {} },
				credentials: { cozeApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
			},
		]),
	];
	const credential: CredentialJson = { ...studio.credential, ...STUDIO_OPEN_API_CREDENTIAL, data: { ...studio.credential.data, baseUrl: openApi.url } };
	return { credentials: [credential], workflows, folders, stop: async () => await openApi.stop() };
}

/** The error n8n stored for a failed execution, as one text (message, description and the node's). */
function errorText(run: ExecutionRun, node: string): string {
	const { error } = run.data.resultData;
	return [error?.message, error?.description, JSON.stringify(run.data.resultData.runData[node]?.[0]?.error ?? {})].join('\n');
}

const fileSha = (dir: string, name: string) => sha256(readFileSync(join(dir, name)));

export async function knowledgeAudioChecks(n8n: N8nInstance, emulator: CozeEmulator, studio: StudioSetup, setup: KnowledgeAudioSetup, check: Check): Promise<void> {
	const dirs = setup.folders;

	await check({
		name: 'knowledge example: files read from disk are added to a knowledge base with their bytes, waited for until processed, then listed with progress 100',
		run: async () => {
			const before = emulator.documentCreations.length;
			const result = await n8n.execute(WF.sync);
			strictEqual(result.run.status, 'success', result.output.slice(-3000));
			const created = emulator.documentCreations.slice(before);
			deepStrictEqual(created.map((entry) => entry.name).sort(), [...HANDBOOK].sort());
			for (const entry of created) {
				strictEqual(entry.sha256, fileSha(dirs.handbook, entry.name), `the bytes of ${entry.name}`);
				deepStrictEqual([entry.datasetId, entry.source, entry.fileType], [TEXT_DATASET_ID, 'file_base64', 'pdf']);
			}
			const added = nodeOutput(result.run, 'Add Document').map((item) => item.json);
			deepStrictEqual(added.map((doc) => doc.processing_state), ['completed', 'completed'], JSON.stringify(added));
			deepStrictEqual(added.map((doc) => String(doc.document_id)).sort(), created.map((entry) => String(entry.documentId)).sort());
			for (const doc of added) strictEqual(doc.knowledge_base_id, TEXT_DATASET_ID);
			const held = emulator.documents(TEXT_DATASET_ID);
			strictEqual(result.run.data.resultData.runData['List Documents']?.length, 1, 'List Documents should run once');
			const listed = nodeOutput(result.run, 'List Documents').map((item) => item.json);
			deepStrictEqual(listed.map((doc) => String(doc.document_id)).sort(), held.map((doc) => doc.id).sort());
			for (const doc of added) {
				const entry = listed.find((item) => item.document_id === doc.document_id);
				deepStrictEqual([entry?.name, entry?.progress, entry?.processing_state], [doc.name, 100, 'completed'], JSON.stringify(entry));
			}
		},
	});

	await check({
		name: `knowledge example: a file Coze fails to process ("${FAILING}") fails the execution with Coze's reason`,
		run: async () => {
			const result = await n8n.execute(WF.fails);
			strictEqual(result.run.status, 'error', result.output.slice(-3000));
			strictEqual(result.run.data.resultData.lastNodeExecuted, 'Add Document');
			strictEqual(result.run.data.resultData.runData['List Documents'], undefined);
			const message = String(result.run.data.resultData.error?.message);
			ok(message.includes(`Coze could not process the document "${FAILING}"`), message);
			ok(message.includes(emulator.knowledgeOptions.failReason), message);
			ok(result.output.includes(emulator.knowledgeOptions.failReason), `n8n's output does not quote Coze's reason:\n${result.output.slice(-2000)}`);
			process.stdout.write(`      n8n reports: ${message}\n`);
		},
	});

	await check({
		name: 'text-to-speech example: the MP3 written to disk holds the text in the voice asked for, and Speech to Text reads it back',
		run: async () => {
			const before = { speech: emulator.speechRequests.length, transcriptions: emulator.transcriptionRequests.length };
			const result = await n8n.execute(WF.speech);
			strictEqual(result.run.status, 'success', result.output.slice(-3000));
			ok(existsSync(dirs.speechFile), `no file at ${dirs.speechFile}`);
			const audio = readFileSync(dirs.speechFile);
			ok(audio.subarray(0, 3).toString('latin1') === 'ID3' || (audio[0] === 0xff && (audio[1] & 0xe0) === 0xe0), `not MP3: ${audio.subarray(0, 8).toString('hex')}`);
			strictEqual(speechTextOf(audio), SPEECH_TEXT);
			const requests = emulator.speechRequests.slice(before.speech);
			deepStrictEqual(
				requests.map((request) => [request.voiceId, request.responseFormat, request.refused]),
				[[DEFAULT_VOICE_ID, 'mp3', undefined]],
			);
			strictEqual(requests[0].input, SPEECH_TEXT);
			const [spoken] = nodeOutput(result.run, 'Text to Speech');
			deepStrictEqual([spoken.json.voice_id, spoken.json.bytes, spoken.json.file_name], [DEFAULT_VOICE_ID, audio.length, 'coze-speech.mp3']);
			const back = await n8n.execute(WF.transcribe);
			strictEqual(back.run.status, 'success', back.output.slice(-3000));
			strictEqual(nodeOutput(back.run, 'Speech to Text')[0]?.json.text, SPEECH_TEXT);
			const [transcription] = emulator.transcriptionRequests.slice(before.transcriptions);
			deepStrictEqual([transcription?.sha256, transcription?.fromSpeech], [sha256(audio), true]);
		},
	});

	await check({
		name: "Coze Studio behind Studio's nginx: Add Document fails telling to add /open_api to nginx's API location; with it added, the file goes in (upload, then tos_uri) and is listed",
		run: async () => {
			const before = { created: studio.emulator.documentCreations.length, uploads: studio.emulator.uploads.length };
			const blocked = await n8n.execute(WF.studioNginx);
			strictEqual(blocked.run.status, 'error', blocked.output.slice(-3000));
			const error = errorText(blocked.run, 'Add Document');
			ok(error.includes('The knowledge base\'s document endpoint /open_api/knowledge/document/create did not answer (HTTP 405)'), error.slice(0, 3000));
			ok(error.includes(OPEN_API_HINT) && error.includes('open_api)(/|$)'), error.slice(0, 3000));
			strictEqual(studio.emulator.documentCreations.length, before.created, 'a create reached Studio past its nginx');
			process.stdout.write(`      n8n reports: ${blocked.run.data.resultData.error?.message}\n`);

			const result = await n8n.execute(WF.studioOpenApi);
			strictEqual(result.run.status, 'success', result.output.slice(-3000));
			const uploads = studio.emulator.uploads.slice(before.uploads).filter((upload) => upload.fileName === STUDIO_FILE);
			const upload = uploads[uploads.length - 1];
			ok(upload?.uri, JSON.stringify(studio.emulator.uploads.map((entry) => entry.fileName)));
			const created = studio.emulator.documentCreations.slice(before.created);
			deepStrictEqual(
				created.map((entry) => [entry.dialect, entry.name, entry.source, entry.tosUri, entry.sha256]),
				[['studio', STUDIO_FILE, 'tos_uri', upload.uri, fileSha(dirs.studio, STUDIO_FILE)]],
			);
			const [added] = nodeOutput(result.run, 'Add Document');
			strictEqual(added?.json.processing_state, 'completed', JSON.stringify(added?.json));
			const listed = nodeOutput(result.run, 'List Documents').map((item) => item.json);
			const entry = listed.find((doc) => String(doc.document_id) === String(created[0].documentId));
			deepStrictEqual([entry?.name, entry?.progress, entry?.processing_state], [STUDIO_FILE, 100, 'completed'], JSON.stringify(listed));
		},
	});

	await check({
		name: 'Coze Studio: the text-to-speech example fails with "Coze Studio cannot turn text into speech", nothing sent',
		run: async () => {
			const before = studio.emulator.requests.length;
			const result = await n8n.execute(WF.studioSpeech);
			strictEqual(result.run.status, 'error', result.output.slice(-3000));
			const message = String(result.run.data.resultData.error?.message);
			ok(message.includes('Coze Studio cannot turn text into speech'), errorText(result.run, 'Text to Speech'));
			deepStrictEqual(studio.emulator.requests.slice(before).map((request) => request.path), []);
		},
	});
}
