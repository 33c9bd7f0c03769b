/**
 * The Coze node's Knowledge Base resource in n8n's engine against the emulator, on both dialects:
 * List, List Documents (with progress, page by page), Get Processing Status, Update Document,
 * Delete Document, List Images and Update Image Caption. Add Document: knowledgeAdd.test.ts;
 * Coze Studio's nginx, its progress IDs and failures: knowledgeFaults.test.ts.
 */
import type { IDataObject, INodeListSearchResult } from 'n8n-workflow';

import type { CatalogueDataset, Dialect } from '../emulator';
import { DEFAULT_DATASETS, IMAGE_DATASET_ID, TABLE_DATASET_ID, TEXT_DATASET_ID } from '../emulator';
import { PERSONAL_WORKSPACE_ID } from '../emulator/catalogue';
import { cozeParameters } from '../harness/agents';
import { callNodeMethod } from '../harness/engine';
import { addDocumentParameters, addTextDocuments, directStudioRoute, LIST_PATH, pngFile, PROCESS_PATH, requestsTo } from '../harness/knowledge';
import { DIALECTS, useNodeRuns } from '../harness/nodeRuns';
import { binaryItem, expectPairedInOrder } from '../harness/parameters';

const TOKEN = 'pat_knowledge_secret_token_0123456789';

/** `count` text knowledge bases of the Personal workspace, after the default ones. */
function manyDatasets(count: number): CatalogueDataset[] {
	const template = DEFAULT_DATASETS[0];
	const extra = Array.from({ length: count }, (_, n) => ({
		...template,
		id: (7568000000000001000n + BigInt(n)).toString(),
		name: `Bulk ${String(n).padStart(3, '0')}`,
		updatedAt: template.updatedAt - 1000 - n,
	}));
	return [...DEFAULT_DATASETS.map((dataset) => ({ ...dataset })), ...extra];
}

describe('Coze → Knowledge Base', () => {
	const runs = useNodeRuns(TOKEN);
	const { emulators, run } = runs;

	describe.each<Dialect>(DIALECTS)('%s dialect', (dialect) => {
		beforeEach(() => directStudioRoute(emulators));

		it('lists knowledge bases over several pages, and filters them by name and type', async () => {
			emulators[dialect].setDatasets(manyDatasets(150));
			const all = await run(dialect, cozeParameters('knowledgeBase', 'list', { workspaceId: PERSONAL_WORKSPACE_ID, returnAll: true }));
			expect(all.error).toBeUndefined();
			expect(all.output).toHaveLength(153);
			expect(new Set(all.output.map((item) => item.json.knowledge_base_id)).size).toBe(153);
			expect(all.output.every((item) => item.json.knowledge_base_id === item.json.dataset_id && /^\d{19}$/.test(String(item.json.dataset_id)))).toBe(true);
			const pages = requestsTo(emulators[dialect], '/v1/datasets');
			expect(pages.map((request) => [request.query.space_id, request.query.page_num, request.query.page_size])).toEqual([
				[PERSONAL_WORKSPACE_ID, '1', '100'],
				[PERSONAL_WORKSPACE_ID, '2', '100'],
			]);

			const limited = await run(dialect, cozeParameters('knowledgeBase', 'list', { workspaceId: PERSONAL_WORKSPACE_ID, returnAll: false, limit: 7 }));
			expect(limited.output).toHaveLength(7);

			emulators[dialect].setDatasets(DEFAULT_DATASETS.map((dataset) => ({ ...dataset })));
			const named = await run(dialect, cozeParameters('knowledgeBase', 'list', { workspaceId: PERSONAL_WORKSPACE_ID, returnAll: true }, { name: ' manual ' }));
			expect(named.output.map((item) => item.json.dataset_id)).toEqual([TEXT_DATASET_ID]);
			expect(requestsTo(emulators[dialect], '/v1/datasets').at(-1)?.query).toMatchObject({ name: 'manual' });
			const images = await run(dialect, cozeParameters('knowledgeBase', 'list', { workspaceId: PERSONAL_WORKSPACE_ID, returnAll: true }, { formatType: 2 }));
			expect(images.output.map((item) => item.json.dataset_id)).toEqual([IMAGE_DATASET_ID]);
			expect(requestsTo(emulators[dialect], '/v1/datasets').at(-1)?.query.format_type).toBe('2');
			const tables = await run(dialect, cozeParameters('knowledgeBase', 'list', { workspaceId: PERSONAL_WORKSPACE_ID, returnAll: true }, { formatType: 1 }));
			expect(tables.output.map((item) => item.json.dataset_id)).toEqual([TABLE_DATASET_ID]);
			const everything = await run(dialect, cozeParameters('knowledgeBase', 'list', { workspaceId: PERSONAL_WORKSPACE_ID, returnAll: true }, { formatType: -1 }));
			expect(everything.output).toHaveLength(3);
			expect(requestsTo(emulators[dialect], '/v1/datasets').at(-1)?.query.format_type).toBeUndefined();
		});

		it('lists more than 50 documents page by page with their progress, from page 1 on Coze cloud and page 0 on Coze Studio', async () => {
			const ids = await addTextDocuments(runs, dialect, TEXT_DATASET_ID, 57);
			const before = emulators[dialect].requests.length;
			const listed = await run(dialect, cozeParameters('knowledgeBase', 'listDocuments', { knowledgeBaseId: TEXT_DATASET_ID, returnAll: true }));
			expect(listed.error).toBeUndefined();
			expect(listed.output.map((item) => item.json.document_id)).toEqual(ids);
			expect(listed.output[0].json).toMatchObject({ name: 'doc-000.txt', knowledge_base_id: TEXT_DATASET_ID, status: 0, processing_state: 'processing', progress: expect.any(Number) });
			expect(listed.output.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
			const requests = emulators[dialect].requests.slice(before);
			const pages = requests.filter((request) => request.path === LIST_PATH);
			const firstPage = dialect === 'studio' ? 0 : 1;
			expect(pages.map((request) => request.body)).toEqual([
				{ dataset_id: TEXT_DATASET_ID, page: firstPage, size: 50 },
				{ dataset_id: TEXT_DATASET_ID, page: firstPage + 1, size: 50 },
			]);
			expect(pages.every((request) => request.headers['agw-js-conv'] === 'str')).toBe(true);
			// One progress look per page, for that page's documents.
			const progress = requests.filter((request) => PROCESS_PATH.test(request.path));
			expect(progress).toHaveLength(2);
			expect(progress.map((request) => ((request.body as IDataObject).document_ids as unknown[]).length)).toEqual([50, 7]);

			const few = await run(dialect, cozeParameters('knowledgeBase', 'listDocuments', { knowledgeBaseId: TEXT_DATASET_ID, returnAll: false, limit: 3 }, { includeProgress: false }));
			expect(few.output.map((item) => item.json.document_id)).toEqual(ids.slice(0, 3));
			expect(few.output[0].json.progress).toBeUndefined();
			expect(requestsTo(emulators[dialect], PROCESS_PATH)).toHaveLength(2);
		});

		it('gets the processing status of documents, one item each, for each input item in order', async () => {
			const ids = await addTextDocuments(runs, dialect, TEXT_DATASET_ID, 3);
			const outcome = await run(dialect, cozeParameters('knowledgeBase', 'getStatus', { knowledgeBaseId: TEXT_DATASET_ID, documentIds: '={{ $json.ids }}' }), [
				{ ids: `${ids[0]}, ${ids[1]}` },
				{ ids: [ids[2]] },
			]);
			expect(outcome.error).toBeUndefined();
			expect(outcome.output.map((item) => [item.json.document_id, item.pairedItem])).toEqual([
				[ids[0], { item: 0 }],
				[ids[1], { item: 0 }],
				[ids[2], { item: 1 }],
			]);
			expect(outcome.output[0].json).toMatchObject({ name: 'doc-000.txt', status: 0, processing_state: 'processing', knowledge_base_id: TEXT_DATASET_ID });
			// Each look is one more poll of Coze's processing: the emulator's documents are done at the third.
			const again = await run(dialect, cozeParameters('knowledgeBase', 'getStatus', { knowledgeBaseId: TEXT_DATASET_ID, documentIds: ids.join(',') }));
			expect(again.output.map((item) => item.json.processing_state)).toEqual(['processing', 'processing', 'processing']);
			const done = await run(dialect, cozeParameters('knowledgeBase', 'getStatus', { knowledgeBaseId: TEXT_DATASET_ID, documentIds: ids.join(' ') }));
			expect(done.output.map((item) => [item.json.processing_state, item.json.progress])).toEqual([
				['completed', 100],
				['completed', 100],
				['completed', 100],
			]);
		});

		it('renames a document, and deletes documents by a list of IDs', async () => {
			const ids = await addTextDocuments(runs, dialect, TEXT_DATASET_ID, 3);
			const renamed = await run(dialect, cozeParameters('knowledgeBase', 'updateDocument', { documentId: ids[1], updateFields: { name: ' Returns policy 退货 ' } }));
			expect(renamed.error).toBeUndefined();
			expect(renamed.output[0].json).toEqual({ updated: true, document_id: ids[1], name: 'Returns policy 退货' });
			const update = requestsTo(emulators[dialect], '/open_api/knowledge/document/update');
			expect(update.map((request) => request.body)).toEqual([{ document_id: ids[1], document_name: 'Returns policy 退货' }]);
			expect(update[0].headers['agw-js-conv']).toBe('str');
			expect(emulators[dialect].documents(TEXT_DATASET_ID).map((document) => document.name)).toEqual(['doc-000.txt', 'Returns policy 退货', 'doc-002.txt']);

			const deleted = await run(dialect, cozeParameters('knowledgeBase', 'deleteDocument', { documentIds: `${ids[0]},${ids[2]}, ${ids[0]}` }));
			expect(deleted.error).toBeUndefined();
			expect(deleted.output[0].json).toEqual({ deleted: true, document_ids: [ids[0], ids[2]] });
			expect(requestsTo(emulators[dialect], '/open_api/knowledge/document/delete').map((request) => request.body)).toEqual([{ document_ids: [ids[0], ids[2]] }]);
			expect(emulators[dialect].documents().map((document) => document.id)).toEqual([ids[1]]);
		});

		it('refuses more than 100 document IDs, an ID mapped as a number, and an empty update, before sending anything', async () => {
			const before = emulators[dialect].requests.length;
			const many = Array.from({ length: 101 }, (_, n) => (7569000000000000001n + BigInt(n)).toString()).join(',');
			const tooMany = await run(dialect, cozeParameters('knowledgeBase', 'deleteDocument', { documentIds: many }));
			expect(tooMany.error?.message).toBe('101 document IDs are more than Coze takes at once (100)');
			expect(tooMany.error?.description).toBe('Split them over several items, at most 100 each.');
			const asNumber = await run(dialect, cozeParameters('knowledgeBase', 'getStatus', { knowledgeBaseId: TEXT_DATASET_ID, documentIds: '={{ $json.id }}' }), [{ id: 7569000000000000001 }]);
			expect(asNumber.error?.message).toBe('A document ID arrived as a number, which cannot hold all its digits');
			expect(asNumber.error?.description).toBe('Pass document IDs as text, e.g. {{ String($json.document_id) }}.');
			const kbAsNumber = await run(dialect, cozeParameters('knowledgeBase', 'listDocuments', { knowledgeBaseId: '={{ $json.id }}', returnAll: true }), [{ id: 7568000000000000001 }]);
			expect(kbAsNumber.error?.message).toBe('The knowledge base ID arrived as a number, which cannot hold all its digits');
			const docAsNumber = await run(dialect, cozeParameters('knowledgeBase', 'updateDocument', { documentId: '={{ $json.id }}', updateFields: { name: 'x' } }), [{ id: 7569000000000000001 }]);
			expect(docAsNumber.error?.message).toBe('The document ID arrived as a number, which cannot hold all its digits');
			const nothing = await run(dialect, cozeParameters('knowledgeBase', 'updateDocument', { documentId: '7569000000000000001', updateFields: {} }));
			expect(nothing.error?.message).toBe('Nothing to update');
			expect(emulators[dialect].requests.length).toBe(before);
		});

		it('lists the images of an image knowledge base with their captions, filtered by caption', async () => {
			const added = await run(dialect, addDocumentParameters(IMAGE_DATASET_ID, { source: 'image', binaryPropertyName: 'a, b', captionType: 1 }, { waitUntilProcessed: false }), [], {
				inputItems: [binaryItem({}, { a: pngFile('cat.png'), b: pngFile('dog.png') })],
			});
			expect(added.error).toBeUndefined();
			const ids = added.output.map((item) => String(item.json.document_id));
			const listed = await run(dialect, cozeParameters('knowledgeBase', 'listImages', { knowledgeBaseId: IMAGE_DATASET_ID, returnAll: true }));
			expect(listed.error).toBeUndefined();
			expect(listed.output.map((item) => item.json.document_id).sort()).toEqual([...ids].sort());
			expect(listed.output[0].json).toMatchObject({ knowledge_base_id: IMAGE_DATASET_ID, caption: '', processing_state: expect.any(String) });
			expect(requestsTo(emulators[dialect], `/v1/datasets/${IMAGE_DATASET_ID}/images`)[0].query).toEqual({ page_num: '1', page_size: '100' });
			const limited = await run(dialect, cozeParameters('knowledgeBase', 'listImages', { knowledgeBaseId: IMAGE_DATASET_ID, returnAll: false, limit: 1 }, { hasCaption: 'no' }));
			expect(limited.output).toHaveLength(1);
			expect(requestsTo(emulators[dialect], `/v1/datasets/${IMAGE_DATASET_ID}/images`).at(-1)?.query.has_caption).toBe('false');
		});
	});

	it('on Coze cloud, sets an image caption a listing finds it by, and changes a web page update interval', async () => {
		const added = await run('cloud', addDocumentParameters(IMAGE_DATASET_ID, { source: 'image', binaryPropertyName: 'a, b', captionType: 1 }, { waitUntilProcessed: false }), [], {
			inputItems: [binaryItem({}, { a: pngFile('cat.png'), b: pngFile('dog.png') })],
		});
		const [cat, dog] = added.output.map((item) => String(item.json.document_id));
		const captioned = await run('cloud', cozeParameters('knowledgeBase', 'updateImageCaption', { knowledgeBaseId: IMAGE_DATASET_ID, documentId: cat, caption: 'A grey cat 灰猫' }));
		expect(captioned.error).toBeUndefined();
		expect(captioned.output[0].json).toEqual({ updated: true, knowledge_base_id: IMAGE_DATASET_ID, document_id: cat, caption: 'A grey cat 灰猫' });
		const put = requestsTo(emulators.cloud, `/v1/datasets/${IMAGE_DATASET_ID}/images/${cat}`);
		expect(put.map((request) => [request.method, request.body])).toEqual([['PUT', { caption: 'A grey cat 灰猫' }]]);
		const found = await run('cloud', cozeParameters('knowledgeBase', 'listImages', { knowledgeBaseId: IMAGE_DATASET_ID, returnAll: true }, { keyword: 'cat', hasCaption: 'yes' }));
		expect(found.output.map((item) => [item.json.document_id, item.json.caption])).toEqual([[cat, 'A grey cat 灰猫']]);
		expect(requestsTo(emulators.cloud, `/v1/datasets/${IMAGE_DATASET_ID}/images`).at(-1)?.query).toMatchObject({ keyword: 'cat', has_caption: 'true' });
		const uncaptioned = await run('cloud', cozeParameters('knowledgeBase', 'listImages', { knowledgeBaseId: IMAGE_DATASET_ID, returnAll: true }, { hasCaption: 'no' }));
		expect(uncaptioned.output.map((item) => item.json.document_id)).toEqual([dog]);

		const [page] = await addTextDocuments(runs, 'cloud', TEXT_DATASET_ID, 1);
		const every30 = await run('cloud', cozeParameters('knowledgeBase', 'updateDocument', { documentId: page, updateFields: { updateIntervalHours: 30 } }));
		expect(every30.output[0].json).toEqual({ updated: true, document_id: page, update_rule: { update_type: 1, update_interval: 30 } });
		const atLeastADay = await run('cloud', cozeParameters('knowledgeBase', 'updateDocument', { documentId: page, updateFields: { updateIntervalHours: 5 } }));
		expect(atLeastADay.output[0].json.update_rule).toEqual({ update_type: 1, update_interval: 24 });
		const never = await run('cloud', cozeParameters('knowledgeBase', 'updateDocument', { documentId: page, updateFields: { updateIntervalHours: 0, name: 'page' } }));
		expect(never.output[0].json.update_rule).toEqual({ update_type: 0 });
		expect(requestsTo(emulators.cloud, '/open_api/knowledge/document/update').map((request) => request.body)).toEqual([
			{ document_id: page, update_rule: { update_type: 1, update_interval: 30 } },
			{ document_id: page, update_rule: { update_type: 1, update_interval: 24 } },
			{ document_id: page, document_name: 'page', update_rule: { update_type: 0 } },
		]);
		expect(emulators.cloud.documents(TEXT_DATASET_ID)[0]).toMatchObject({ name: 'page', updateType: 0, updateInterval: 24 });
	});

	it.each([
		['updateImageCaption', { knowledgeBaseId: IMAGE_DATASET_ID, documentId: '7569000000000000001', caption: 'x' }, "Coze Studio cannot change an image's caption", 'Captions are set in the Coze Studio editor'],
		['updateDocument', { documentId: '7569000000000000001', updateFields: { updateIntervalHours: 24 } }, "Coze Studio cannot change a web page's update interval", 'change only the Name there'],
	])('on Coze Studio, %s says what Studio lacks, before sending anything', async (operation, fields, message, instead) => {
		const before = emulators.studio.requests.length;
		const outcome = await run('studio', cozeParameters('knowledgeBase', operation, fields));
		expect(outcome.error?.message).toBe(message);
		expect(outcome.error?.description).toContain("Coze Studio's Open API has no endpoint for this.");
		expect(outcome.error?.description).toContain(instead);
		expect(emulators.studio.requests.length).toBe(before);
	});

	it('under Continue On Fail, a document Coze does not know is one error item in its place', async () => {
		const ids = await addTextDocuments(runs, 'cloud', TEXT_DATASET_ID, 2);
		const outcome = await run('cloud', cozeParameters('knowledgeBase', 'updateDocument', { documentId: '={{ $json.id }}', updateFields: { name: '={{ "n-" + $json.id }}' } }), [
			{ id: ids[0] },
			{ id: '7569000000000099999' },
			{ id: ids[1] },
		], { continueOnFail: true });
		expect(outcome.error).toBeUndefined();
		expectPairedInOrder(outcome, 3);
		expect(outcome.output[0].json).toMatchObject({ updated: true, document_id: ids[0] });
		expect(outcome.output[1].json).toMatchObject({
			error: 'Coze could not find the knowledge base or document (Coze code 4200)',
			description: expect.stringContaining('document not found'),
		});
		expect(String(outcome.output[1].json.description)).not.toMatch(/workflow/i);
		expect(outcome.output[2].json).toMatchObject({ updated: true, document_id: ids[1] });
	});

	it('finds knowledge bases From List by name across workspaces, takes one By URL, and says on Coze Studio why there is no list', async () => {
		const found = await callNodeMethod<INodeListSearchResult>('listSearch', 'searchKnowledgeBases', { resource: 'knowledgeBase', operation: 'listDocuments' }, runs.credentialsFor('cloud'), ['photo']);
		expect(found.results.map((result) => result.value)).toEqual([IMAGE_DATASET_ID]);
		const address = `https://www.coze.cn/space/${PERSONAL_WORKSPACE_ID}/knowledge/${IMAGE_DATASET_ID}`;
		const lists = emulators.cloud.requests.filter((request) => request.path === '/v1/datasets');
		expect(lists.at(-1)?.query).toMatchObject({ name: 'photo' });
		await expect(callNodeMethod('listSearch', 'searchKnowledgeBases', { resource: 'knowledgeBase', operation: 'listDocuments' }, runs.credentialsFor('studio'))).rejects.toThrow(
			'Coze Studio has no API to list workspaces',
		);

		const byUrl = await run('cloud', cozeParameters('knowledgeBase', 'listImages', { knowledgeBaseId: { __rl: true, mode: 'url', value: address }, returnAll: true }));
		expect(byUrl.error).toBeUndefined();
		expect(requestsTo(emulators.cloud, `/v1/datasets/${IMAGE_DATASET_ID}/images`)).toHaveLength(1);
		// n8n checks the locator's pattern itself before the node runs.
		await expect(run('cloud', cozeParameters('knowledgeBase', 'listImages', { knowledgeBaseId: { __rl: true, mode: 'url', value: 'https://www.coze.cn/space/1/bot/2' }, returnAll: true }))).rejects.toThrow(
			'Paste the address of the knowledge base in Coze; it contains /knowledge/…',
		);
		const empty = await run('cloud', cozeParameters('knowledgeBase', 'listImages', { knowledgeBaseId: '={{ "" }}', returnAll: true }));
		expect(empty.error?.message).toBe('No knowledge base is set');
	});
});
