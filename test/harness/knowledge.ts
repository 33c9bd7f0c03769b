import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { CozeEmulator, Dialect, RecordedRequest } from '../emulator';
import { cozeParameters } from './agents';
import type { CozeRunOutcome } from './engine';
import type { NodeRuns } from './nodeRuns';
import { binaryItem } from './parameters';

/** A text file as an input's binary property. */
export const textFile = (name: string, text: string) => ({ name, mime: 'text/plain', bytes: Buffer.from(text, 'utf8') });

/** A tiny PNG as an input's binary property. */
export const pngFile = (name: string) => ({ name, mime: 'image/png', bytes: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') });

/** One item whose binary properties are text files, by property name → file name. */
export function textItem(files: Record<string, string>, json: IDataObject = {}): INodeExecutionData {
	return binaryItem(json, Object.fromEntries(Object.entries(files).map(([property, name]) => [property, textFile(name, `Content of ${name}.\n\nSecond paragraph.`)])));
}

/** Knowledge Base → Add Document; polls every 0.5 s unless `options` says otherwise. */
export function addDocumentParameters(knowledgeBaseId: string, fields: INodeParameters = {}, options: IDataObject = {}): INodeParameters {
	return cozeParameters('knowledgeBase', 'addDocument', { knowledgeBaseId, source: 'file', binaryPropertyName: 'data', ...fields }, { pollInterval: 0.5, ...options });
}

/** The requests the emulator received on `path` (exact, or matching). */
export function requestsTo(emulator: CozeEmulator, path: string | RegExp): RecordedRequest[] {
	return emulator.requests.filter((request) => (typeof path === 'string' ? request.path === path : path.test(request.path)));
}

export const CREATE_PATH = '/open_api/knowledge/document/create';
export const LIST_PATH = '/open_api/knowledge/document/list';
export const PROCESS_PATH = /^\/v1\/datasets\/\d+\/process$/;

/** Coze Studio's document endpoints, as if its nginx passed /open_api on (or Base URL were coze-server). */
export function directStudioRoute(emulators: Record<Dialect, CozeEmulator>): void {
	emulators.studio.setKnowledgeOptions({ studioDocumentRoute: 'direct' });
}

/**
 * Adds `count` text documents to a knowledge base without waiting for them, ten per item
 * (Coze's most per request); returns their IDs in creation order.
 */
export async function addTextDocuments(runs: NodeRuns, dialect: Dialect, knowledgeBaseId: string, count: number): Promise<string[]> {
	const items: INodeExecutionData[] = [];
	for (let first = 0; first < count; first += 10) {
		const names = Array.from({ length: Math.min(10, count - first) }, (_, n) => `doc-${String(first + n).padStart(3, '0')}.txt`);
		items.push(textItem(Object.fromEntries(names.map((name, n) => [`f${n}`, name]))));
	}
	const outcome: CozeRunOutcome = await runs.run(
		dialect,
		addDocumentParameters(knowledgeBaseId, { binaryPropertyName: '={{ Object.keys($binary).join(",") }}' }, { waitUntilProcessed: false }),
		[],
		{ inputItems: items },
	);
	expect(outcome.error).toBeUndefined();
	expect(outcome.output).toHaveLength(count);
	return outcome.output.map((item) => String(item.json.document_id));
}
