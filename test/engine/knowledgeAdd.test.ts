/**
 * Knowledge Base → Add Document in n8n's engine against the emulator: files (one or several per
 * item, chunked automatically or by a custom rule), images, web pages, on both dialects, and the
 * wait until Coze has processed them (polls, Poll Interval, Wait Until Processed off).
 */
import type { IDataObject } from 'n8n-workflow';

import type { Dialect } from '../emulator';
import { IMAGE_DATASET_ID, TEXT_DATASET_ID } from '../emulator';
import { addDocumentParameters, CREATE_PATH, directStudioRoute, pngFile, PROCESS_PATH, requestsTo, textFile } from '../harness/knowledge';
import { DIALECTS, useNodeRuns } from '../harness/nodeRuns';
import { binaryItem } from '../harness/parameters';

const TOKEN = 'pat_knowledge_add_secret_token_0123456789';

describe('Coze → Knowledge Base → Add Document', () => {
	const { emulators, run } = useNodeRuns(TOKEN);

	describe.each<Dialect>(DIALECTS)('%s dialect', (dialect) => {
		beforeEach(() => directStudioRoute(emulators));

		it('adds several files of one item as several documents and waits until Coze has processed them, polling at Poll Interval', async () => {
			emulators[dialect].setKnowledgeOptions({ processingPolls: 3 });
			const started = Date.now();
			const outcome = await run(dialect, addDocumentParameters(TEXT_DATASET_ID, { binaryPropertyName: 'data, attachment' }, { pollInterval: 0.5 }), [], {
				inputItems: [binaryItem({}, { data: textFile('退货政策.txt', 'Returns within 30 days.'), attachment: { name: 'manual.pdf', mime: 'application/pdf', bytes: Buffer.from('%PDF-1.4 manual') } })],
			});
			const took = Date.now() - started;
			expect(outcome.error).toBeUndefined();
			expect(outcome.output.map((item) => [item.json.name, item.json.processing_state, item.json.status, item.json.progress, item.json.knowledge_base_id, item.pairedItem])).toEqual([
				['退货政策.txt', 'completed', 1, 100, TEXT_DATASET_ID, { item: 0 }],
				['manual.pdf', 'completed', 1, 100, TEXT_DATASET_ID, { item: 0 }],
			]);
			const ids = outcome.output.map((item) => String(item.json.document_id));
			expect(ids.every((id) => /^\d{19}$/.test(id))).toBe(true);
			// processingPolls looks answer "processing", the next one "done": one look each time for both documents.
			expect(ids.map((id) => emulators[dialect].progressPollsOf(id))).toEqual([4, 4]);
			const polls = requestsTo(emulators[dialect], PROCESS_PATH);
			expect(polls).toHaveLength(4);
			expect(took).toBeGreaterThanOrEqual(3 * 500 - 50);
			expect(took).toBeLessThan(3 * 500 + 4000);

			const [created] = requestsTo(emulators[dialect], CREATE_PATH);
			expect(created.headers['agw-js-conv']).toBe('str');
			const records = emulators[dialect].documentCreations;
			expect(records.map((record) => [record.name, record.documentId, record.jsConv, record.chunkStrategy])).toEqual([
				['退货政策.txt', ids[0], true, { chunk_type: 0 }],
				['manual.pdf', ids[1], true, { chunk_type: 0 }],
			]);
			if (dialect === 'cloud') {
				// Coze cloud: each file's base64 and type in the body.
				expect(created.body).toEqual({
					dataset_id: TEXT_DATASET_ID,
					format_type: 0,
					document_bases: [
						{ name: '退货政策.txt', source_info: { file_base64: Buffer.from('Returns within 30 days.').toString('base64'), file_type: 'txt' } },
						{ name: 'manual.pdf', source_info: { file_base64: Buffer.from('%PDF-1.4 manual').toString('base64'), file_type: 'pdf' } },
					],
					chunk_strategy: { chunk_type: 0 },
				});
				expect(requestsTo(emulators.cloud, '/v1/files/upload')).toHaveLength(0);
			} else {
				// Coze Studio reads only the storage URI of an upload.
				const uploads = emulators.studio.uploads;
				expect(uploads.map((upload) => upload.fileName)).toEqual(['退货政策.txt', 'manual.pdf']);
				expect((created.body as IDataObject).document_bases).toEqual(uploads.map((upload) => ({ name: upload.fileName, source_info: { tos_uri: upload.uri, document_source: 0 } })));
				expect(records.map((record) => [record.source, record.tosUri])).toEqual(uploads.map((upload) => ['tos_uri', upload.uri]));
			}
		});

		it('sends a custom chunking rule as Coze takes it, and a document name of its own', async () => {
			const outcome = await run(
				dialect,
				addDocumentParameters(TEXT_DATASET_ID, { chunking: 'custom', separator: '\\n\\n', maxTokens: 500, removeExtraSpaces: true, removeUrlsEmails: false }, { documentName: ' FAQ 常见问题 ' }),
				[],
				{ inputItems: [binaryItem({}, { data: textFile('faq.txt', 'Q1\n\nA1') })] },
			);
			expect(outcome.error).toBeUndefined();
			expect(outcome.output.map((item) => [item.json.name, item.json.processing_state])).toEqual([['FAQ 常见问题', 'completed']]);
			const body = requestsTo(emulators[dialect], CREATE_PATH)[0].body as IDataObject;
			expect(body.chunk_strategy).toEqual({ chunk_type: 1, separator: '\n\n', max_tokens: 500, remove_extra_spaces: true, remove_urls_emails: false });
			expect((body.document_bases as IDataObject[])[0].name).toBe('FAQ 常见问题');
			expect(emulators[dialect].documents(TEXT_DATASET_ID).map((document) => [document.name, document.chunkStrategy])).toEqual([
				['FAQ 常见问题', { chunk_type: 1, separator: '\n\n', max_tokens: 500, remove_extra_spaces: true, remove_urls_emails: false }],
			]);
		});

		it('adds images with manual captions: uploaded first, then named by file ID on Coze cloud and by storage URI on Coze Studio', async () => {
			const outcome = await run(dialect, addDocumentParameters(IMAGE_DATASET_ID, { source: 'image', binaryPropertyName: 'photo', captionType: 1 }), [], {
				inputItems: [binaryItem({}, { photo: pngFile('红色杯子.png') })],
			});
			expect(outcome.error).toBeUndefined();
			expect(outcome.output[0].json).toMatchObject({ name: '红色杯子.png', processing_state: 'completed', knowledge_base_id: IMAGE_DATASET_ID });
			const [upload] = emulators[dialect].uploads;
			expect(upload.fileName).toBe('红色杯子.png');
			const uploadAt = emulators[dialect].requests.findIndex((request) => request.path === '/v1/files/upload');
			const createAt = emulators[dialect].requests.findIndex((request) => request.path === CREATE_PATH);
			expect(uploadAt).toBeGreaterThanOrEqual(0);
			expect(uploadAt).toBeLessThan(createAt);
			const body = emulators[dialect].requests[createAt].body as IDataObject;
			const sourceInfo = dialect === 'cloud' ? { source_file_id: upload.id, document_source: 5 } : { tos_uri: upload.uri, document_source: 0 };
			expect(body).toEqual({ dataset_id: IMAGE_DATASET_ID, format_type: 2, document_bases: [{ name: '红色杯子.png', source_info: sourceInfo }], chunk_strategy: { caption_type: 1 } });
			expect(typeof (body.document_bases as IDataObject[])[0].source_info).toBe('object');
		});

		it('returns at once with Wait Until Processed off, the documents still processing', async () => {
			emulators[dialect].setKnowledgeOptions({ processingPolls: 50 });
			const started = Date.now();
			const outcome = await run(dialect, addDocumentParameters(TEXT_DATASET_ID, {}, { waitUntilProcessed: false, pollInterval: 5 }), [], {
				inputItems: [binaryItem({}, { data: textFile('a.txt', 'A') })],
			});
			expect(Date.now() - started).toBeLessThan(3000);
			expect(outcome.error).toBeUndefined();
			expect(outcome.output[0].json).toMatchObject({ name: 'a.txt', status: 0, processing_state: 'processing', knowledge_base_id: TEXT_DATASET_ID });
			expect(requestsTo(emulators[dialect], PROCESS_PATH)).toHaveLength(0);
			expect(emulators[dialect].progressPollsOf(String(outcome.output[0].json.document_id))).toBe(0);
		});
	});

	it('on Coze cloud, adds a web page with an update interval of at least 24 hours', async () => {
		const outcome = await run('cloud', addDocumentParameters(TEXT_DATASET_ID, { source: 'webPage', url: ' https://example.com/help/returns ' }, { updateIntervalHours: 12 }));
		expect(outcome.error).toBeUndefined();
		expect(outcome.output[0].json).toMatchObject({ name: 'https://example.com/help/returns', processing_state: 'completed' });
		expect(requestsTo(emulators.cloud, CREATE_PATH)[0].body).toEqual({
			dataset_id: TEXT_DATASET_ID,
			format_type: 0,
			document_bases: [{ name: 'https://example.com/help/returns', source_info: { web_url: 'https://example.com/help/returns', document_source: 1 }, update_rule: { update_type: 1, update_interval: 24 } }],
			chunk_strategy: { chunk_type: 0 },
		});
		const daily = await run('cloud', addDocumentParameters(TEXT_DATASET_ID, { source: 'webPage', url: 'http://example.com/a' }, { updateIntervalHours: 48, documentName: 'A page' }));
		expect(daily.output[0].json.name).toBe('A page');
		expect(emulators.cloud.documentCreations.at(-1)).toMatchObject({ source: 'web_url', webUrl: 'http://example.com/a', updateRule: { update_type: 1, update_interval: 48 }, jsConv: true });
		const once = await run('cloud', addDocumentParameters(TEXT_DATASET_ID, { source: 'webPage', url: 'http://example.com/b' }, { waitUntilProcessed: false }));
		expect(once.error).toBeUndefined();
		expect(((requestsTo(emulators.cloud, CREATE_PATH).at(-1)?.body as IDataObject).document_bases as IDataObject[])[0].update_rule).toBeUndefined();
	});

	it('refuses an address that is not a web page, before sending anything', async () => {
		const outcome = await run('cloud', addDocumentParameters(TEXT_DATASET_ID, { source: 'webPage', url: 'ftp://example.com/x' }));
		expect(outcome.error?.message).toBe('"ftp://example.com/x" is not a web page address');
		expect(outcome.error?.description).toBe('Enter an address that starts with http:// or https://.');
		expect(emulators.cloud.requests).toHaveLength(0);
	});

	it('on Coze Studio, refuses a web page before sending anything', async () => {
		directStudioRoute(emulators);
		const outcome = await run('studio', addDocumentParameters(TEXT_DATASET_ID, { source: 'webPage', url: 'https://example.com/help' }));
		expect(outcome.error?.message).toBe('Coze Studio cannot add a web page to a knowledge base');
		expect(outcome.error?.description).toBe("Coze Studio's Open API has no endpoint for this. Download the page (HTTP Request) and add it as a file.");
		expect(emulators.studio.requests).toHaveLength(0);
		expect(emulators.studio.documentCreations).toHaveLength(0);
	});

	it('names a missing binary field and the ones the item has, and refuses more than 10 files, before sending anything', async () => {
		const missing = await run('cloud', addDocumentParameters(TEXT_DATASET_ID, { binaryPropertyName: 'data, report' }), [], {
			inputItems: [binaryItem({}, { data: textFile('a.txt', 'A'), attachment: textFile('b.txt', 'B') })],
		});
		expect(missing.error?.message).toBe('The item has no binary property "report" for the knowledge base');
		expect(missing.error?.description).toBe('Binary properties of this item: data, attachment.');
		const names = Array.from({ length: 11 }, (_, n) => `f${n}`);
		const eleven = await run('cloud', addDocumentParameters(TEXT_DATASET_ID, { binaryPropertyName: names.join(',') }), [], {
			inputItems: [binaryItem({}, Object.fromEntries(names.map((name) => [name, textFile(`${name}.txt`, name)])))],
		});
		expect(eleven.error?.message).toBe('11 files are more than Coze adds at once (10)');
		const badChunk = await run('cloud', addDocumentParameters(TEXT_DATASET_ID, { chunking: 'custom', separator: '', maxTokens: 500 }), [], {
			inputItems: [binaryItem({}, { data: textFile('a.txt', 'A') })],
		});
		expect(badChunk.error?.message).toBe('Custom chunking needs a separator');
		const fastPolls = await run('cloud', addDocumentParameters(TEXT_DATASET_ID, {}, { pollInterval: 0.1 }), [], { inputItems: [binaryItem({}, { data: textFile('a.txt', 'A') })] });
		expect(fastPolls.error?.message).toBe('Poll Interval must be at least 0.5 seconds');
		expect(emulators.cloud.requests).toHaveLength(0);
	});
});
