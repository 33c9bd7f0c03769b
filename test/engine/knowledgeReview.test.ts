/**
 * What an attack review of Knowledge Base found (CHANGELOG, Fixed #18), in n8n's engine against
 * the emulator: values from expressions that are not numbers refused before anything is added,
 * a binary field named twice added once, every asked-for ID answered in order, ID lists checked.
 */
import { TEXT_DATASET_ID } from '../emulator';
import { cozeParameters } from '../harness/agents';
import { addDocumentParameters, addTextDocuments, CREATE_PATH, requestsTo, textFile } from '../harness/knowledge';
import { useNodeRuns } from '../harness/nodeRuns';
import { binaryItem } from '../harness/parameters';

const TOKEN = 'pat_knowledge_review_secret_token_0123456789';

describe('Coze → Knowledge Base, careless inputs', () => {
	const runs = useNodeRuns(TOKEN);
	const { emulators, run } = runs;
	const item = () => binaryItem({ wait: '10 min' }, { data: textFile('a.txt', 'A.') });

	it.each([
		['Max Wait', { maxWait: '={{ $json.wait }}' }, 'Max Wait "10 min" is not a number of seconds'],
		['Poll Interval', { pollInterval: '={{ 0.1 }}' }, 'Poll Interval must be at least 0.5 seconds'],
		['Timeout', { timeout: '={{ $json.wait }}' }, 'Timeout "10 min" is not a number of seconds'],
	])('refuses a %s that is not a number of seconds before adding anything', async (_label, options, message) => {
		const outcome = await run('cloud', addDocumentParameters(TEXT_DATASET_ID, {}, options), [], { inputItems: [item()] });
		expect(outcome.error?.message).toBe(message);
		expect(requestsTo(emulators.cloud, CREATE_PATH)).toHaveLength(0);
	});

	it('adds a file named twice in Input Binary Field once', async () => {
		const outcome = await run('cloud', addDocumentParameters(TEXT_DATASET_ID, { binaryPropertyName: 'data, data' }), [], { inputItems: [item()] });
		expect(outcome.error).toBeUndefined();
		expect(outcome.output).toHaveLength(1);
		expect(emulators.cloud.documentCreations).toHaveLength(1);
	});

	it('answers every asked-for ID in order, split at any comma, and refuses what is not an ID', async () => {
		const ids = await addTextDocuments(runs, 'cloud', TEXT_DATASET_ID, 3);
		const outcome = await run('cloud', cozeParameters('knowledgeBase', 'getStatus', { knowledgeBaseId: TEXT_DATASET_ID, documentIds: `${ids[2]}，${ids[0]}、 ${ids[1]}, ${ids[2]}` }));
		expect(outcome.error).toBeUndefined();
		expect(outcome.output.map((entry) => entry.json.document_id)).toEqual([ids[2], ids[0], ids[1]]);
		expect(outcome.output.every((entry) => entry.json.processing_state !== 'not found')).toBe(true);
		const wrong = await run('cloud', cozeParameters('knowledgeBase', 'getStatus', { knowledgeBaseId: TEXT_DATASET_ID, documentIds: `${ids[0]}, doc-1` }));
		expect(wrong.error?.message).toBe('"doc-1" is not a document ID');
	});

	it("refuses a web page update interval that is not a number of hours instead of switching the page's updates off", async () => {
		const before = emulators.cloud.requests.length;
		const outcome = await run('cloud', cozeParameters('knowledgeBase', 'updateDocument', { documentId: '7569000000000000001', updateFields: { updateIntervalHours: '={{ "abc" }}' } }));
		expect(outcome.error?.message).toBe('The Web Page Update Interval "abc" is not a number of hours');
		expect(emulators.cloud.requests.length).toBe(before);
	});
});
