/**
 * What goes wrong around knowledge bases, in n8n's engine against the emulator: a document Coze
 * fails to process, Max Wait passed, a stopped execution, Coze's refusals, Coze Studio behind its
 * default nginx (no /open_api), its progress endpoint's ID types and its automatic captions.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Dialect } from '../emulator';
import { FAIL_PROCESSING_MARKER, IMAGE_DATASET_ID, TABLE_DATASET_ID, TEXT_DATASET_ID, UNKNOWN_DATASET_ID } from '../emulator';
import { PERSONAL_WORKSPACE_ID } from '../emulator/catalogue';
import { cozeParameters } from '../harness/agents';
import { addDocumentParameters, addTextDocuments, CREATE_PATH, directStudioRoute, pngFile, PROCESS_PATH, requestsTo, textFile } from '../harness/knowledge';
import { DIALECTS, useNodeRuns } from '../harness/nodeRuns';
import { binaryItem, expectPairedInOrder } from '../harness/parameters';

const TOKEN = 'pat_knowledge_faults_secret_token_0123456789';
const FAIL_REASON = 'document parse failed: no text layer';

describe('Coze → Knowledge Base, when things go wrong', () => {
	const runs = useNodeRuns(TOKEN);
	const { emulators, run } = runs;

	describe.each<Dialect>(DIALECTS)('%s dialect', (dialect) => {
		beforeEach(() => {
			directStudioRoute(emulators);
			emulators[dialect].setKnowledgeOptions({ processingPolls: 1, failReason: FAIL_REASON });
		});

		it("a document Coze fails to process is an error that names it and quotes Coze's reason", async () => {
			const outcome = await run(dialect, addDocumentParameters(TEXT_DATASET_ID, {}, { documentName: `scan ${FAIL_PROCESSING_MARKER}.txt` }), [], {
				inputItems: [binaryItem({}, { data: textFile('scan.txt', 'x') })],
			});
			expect(outcome.status).toBe('error');
			const [document] = emulators[dialect].documents(TEXT_DATASET_ID);
			expect(outcome.error?.message).toBe(`Coze could not process the document "scan ${FAIL_PROCESSING_MARKER}.txt" (${document.id}): ${FAIL_REASON}`);
			expect(outcome.error?.description).toContain('the failed document stays in the knowledge base until you delete it (Delete Document)');
			expect(emulators[dialect].progressPollsOf(document.id)).toBe(2);
		});

		it('under Continue On Fail, the item whose document failed is one error item in its place, the others fine and in order', async () => {
			const items = ['one.txt', 'two.txt', 'three.txt'].map((name, n) => binaryItem({ n }, { data: textFile(name, n === 1 ? `bad ${FAIL_PROCESSING_MARKER} content` : `Fine ${name}`) }));
			const outcome = await run(dialect, addDocumentParameters(TEXT_DATASET_ID, {}, { maxConcurrency: 3 }), [], { inputItems: items, continueOnFail: true });
			expect(outcome.error).toBeUndefined();
			expectPairedInOrder(outcome, 3);
			expect(outcome.output.map((item) => item.json.name ?? null)).toEqual(['one.txt', null, 'three.txt']);
			expect(outcome.output[0].json.processing_state).toBe('completed');
			expect(outcome.output[2].json.processing_state).toBe('completed');
			const failed = emulators[dialect].documents(TEXT_DATASET_ID).find((document) => document.name === 'two.txt');
			expect(outcome.output[1].json.error).toBe(`Coze could not process the document "two.txt" (${failed?.id}): ${FAIL_REASON}`);
			expect(outcome.output[1].json.description).toEqual(expect.stringContaining('Check the file'));
		});

		it('a document added later than Max Wait allows is an error naming the document IDs to look up', async () => {
			emulators[dialect].setKnowledgeOptions({ processingPolls: 1000 });
			const started = Date.now();
			const outcome = await run(dialect, addDocumentParameters(TEXT_DATASET_ID, { binaryPropertyName: 'a, b' }, { maxWait: 1, pollInterval: 0.5 }), [], {
				inputItems: [binaryItem({}, { a: textFile('a.txt', 'A'), b: textFile('b.txt', 'B') })],
			});
			expect(Date.now() - started).toBeLessThan(1000 + 3000);
			const ids = emulators[dialect].documents(TEXT_DATASET_ID).map((document) => document.id);
			expect(outcome.error?.message).toBe('Coze was still processing the documents after 1 s');
			expect(outcome.error?.description).toBe(`Processing goes on in Coze. Check later with Get Processing Status (document IDs ${ids.join(', ')}), or raise Max Wait.`);
			expect(requestsTo(emulators[dialect], PROCESS_PATH).length).toBeGreaterThanOrEqual(2);
			expect(requestsTo(emulators[dialect], PROCESS_PATH).length).toBeLessThanOrEqual(4);
		});

		it('a stopped execution stops the wait at once', async () => {
			emulators[dialect].setKnowledgeOptions({ processingPolls: 1000 });
			const started = Date.now();
			const outcome = await run(dialect, addDocumentParameters(TEXT_DATASET_ID, {}, { pollInterval: 5 }), [], {
				inputItems: [binaryItem({}, { data: textFile('a.txt', 'A') })],
				cancelAfterMs: 1000,
			});
			expect(Date.now() - started).toBeLessThan(4000);
			expect(outcome.output).toHaveLength(0);
			expect(requestsTo(emulators[dialect], PROCESS_PATH)).toHaveLength(1);
		});
	});

	it("explains Coze cloud's refusals: a table knowledge base, an unknown one", async () => {
		const table = await run('cloud', addDocumentParameters(TABLE_DATASET_ID), [], { inputItems: [binaryItem({}, { data: textFile('t.txt', 'T') })] });
		expect(table.error?.message).toBe('Coze rejected the request parameters (Coze code 4000) (adding "t.txt")');
		expect(table.error?.description).toContain('table knowledge bases cannot be filled through the API');
		const unknown = await run('cloud', cozeParameters('knowledgeBase', 'listDocuments', { knowledgeBaseId: UNKNOWN_DATASET_ID, returnAll: true }));
		expect(unknown.error?.message).toBe('Coze could not find the knowledge base or document (Coze code 4200)');
		expect(unknown.error?.description).toContain('dataset not found');
		expect(unknown.error?.description).not.toMatch(/workflow/i);
	});

	it("Coze Studio behind its default nginx: the document endpoints' error says to add /open_api to its location", async () => {
		const hint = 'Add /open_api to its API location in docker/nginx/conf.d/default.conf';
		const added = await run('studio', addDocumentParameters(TEXT_DATASET_ID), [], { inputItems: [binaryItem({}, { data: textFile('a.txt', 'A') })] });
		expect(added.error?.message).toBe(`The knowledge base's document endpoint ${CREATE_PATH} did not answer (HTTP 405) (adding "a.txt")`);
		expect(added.error?.description).toContain(hint);
		expect(emulators.studio.documentCreations).toHaveLength(0);
		const listed = await run('studio', cozeParameters('knowledgeBase', 'listDocuments', { knowledgeBaseId: TEXT_DATASET_ID, returnAll: true }));
		expect(listed.error?.message).toBe("The knowledge base's document endpoint /open_api/knowledge/document/list did not answer (HTTP 405)");
		expect(listed.error?.description).toContain(hint);
		// /v1/datasets goes through that nginx.
		const kbs = await run('studio', cozeParameters('knowledgeBase', 'list', { workspaceId: PERSONAL_WORKSPACE_ID, returnAll: true }));
		expect(kbs.error).toBeUndefined();

		directStudioRoute(emulators);
		const direct = await run('studio', addDocumentParameters(TEXT_DATASET_ID), [], { inputItems: [binaryItem({}, { data: textFile('a.txt', 'A') })] });
		expect(direct.error).toBeUndefined();
		expect(direct.output[0].json.processing_state).toBe('completed');
	});

	it.each(['numbers', 'strings', 'both'] as const)("Coze Studio's progress endpoint taking %s: the node sends numbers, then strings after an HTTP 400", async (studioProcessIds) => {
		directStudioRoute(emulators);
		const ids = await addTextDocuments(runs, 'studio', TEXT_DATASET_ID, 2);
		emulators.studio.setKnowledgeOptions({ studioProcessIds });
		const outcome = await run('studio', cozeParameters('knowledgeBase', 'getStatus', { knowledgeBaseId: TEXT_DATASET_ID, documentIds: ids.join(',') }));
		expect(outcome.error).toBeUndefined();
		expect(outcome.output.map((item) => [item.json.document_id, item.json.name])).toEqual([
			[ids[0], 'doc-000.txt'],
			[ids[1], 'doc-001.txt'],
		]);
		const sent = requestsTo(emulators.studio, PROCESS_PATH).map((request) => request.rawBody);
		const asNumbers = `{"document_ids":[${ids.join(',')}]}`;
		expect(sent).toEqual(studioProcessIds === 'strings' ? [asNumbers, JSON.stringify({ document_ids: ids })] : [asNumbers]);
	});

	it('Coze Studio without a vision model refuses automatic image captions, explained; with one it takes them', async () => {
		directStudioRoute(emulators);
		const refused = await run('studio', addDocumentParameters(IMAGE_DATASET_ID, { source: 'image', captionType: 0 }), [], { inputItems: [binaryItem({}, { data: pngFile('a.png') })] });
		expect(refused.error?.message).toBe('Coze Studio rejected the request parameters (Coze code 105000000) (adding "a.png")');
		expect(refused.error?.description).toContain('Automatic image captions need a vision model configured in Coze Studio');
		expect(refused.error?.description).toContain('auto caption type is not supported');
		emulators.studio.setKnowledgeOptions({ studioVisionModel: true });
		const taken = await run('studio', addDocumentParameters(IMAGE_DATASET_ID, { source: 'image', captionType: 0 }), [], { inputItems: [binaryItem({}, { data: pngFile('a.png') })] });
		expect(taken.error).toBeUndefined();
		expect((requestsTo(emulators.studio, CREATE_PATH).at(-1)?.body as IDataObject).chunk_strategy).toEqual({ caption_type: 0 });
	});

	it('a wrong token is refused without showing it, or the right one, anywhere', async () => {
		const outcome = await run('cloud', cozeParameters('knowledgeBase', 'list', { workspaceId: PERSONAL_WORKSPACE_ID, returnAll: true }), undefined, { accessToken: 'pat_wrong_knowledge_token_9876543210' });
		expect(outcome.error?.message).toContain('Coze rejected the access token');
		expect(JSON.stringify(outcome.error)).not.toContain('pat_wrong_knowledge_token_9876543210');
	});
});
