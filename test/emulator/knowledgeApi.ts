/**
 * The knowledge part of the public CozeEmulator object (KnowledgeEmulatorApi), attached by index.ts;
 * `resetKnowledge` is what `reset()` does for it.
 */
import { clone } from './catalogue';
import type { EmulatorState } from './core';
import type { CatalogueDataset, DocumentCreateRecord, KnowledgeDocument, KnowledgeOptions, KnowledgeState } from './knowledgeCatalogue';
import { checkKnowledgeOptions, DEFAULT_KNOWLEDGE_OPTIONS, DOCUMENT_BASE, newDefaultDatasets } from './knowledgeCatalogue';

export interface KnowledgeStartOptions {
	/** Initial knowledge bases, also restored by `reset()` (default DEFAULT_DATASETS). */
	datasets?: CatalogueDataset[];
	/** Over DEFAULT_KNOWLEDGE_OPTIONS, also restored by `reset()`. */
	knowledgeOptions?: Partial<KnowledgeOptions>;
}

/** The knowledge part of CozeEmulator. */
export interface KnowledgeEmulatorApi {
	/** The knowledge bases (a copy). */
	readonly datasets: CatalogueDataset[];
	setDatasets(datasets: CatalogueDataset[]): void;
	/** Current options (a copy). */
	readonly knowledgeOptions: KnowledgeOptions;
	/** Changes some options (the others stay); `reset()` restores the start values. */
	setKnowledgeOptions(opts: Partial<KnowledgeOptions>): void;
	/** Every document_bases entry of every document/create request, refused ones included (live array). */
	readonly documentCreations: DocumentCreateRecord[];
	/** The documents held (copies), of one knowledge base or all, in creation order. */
	documents(datasetId?: string): KnowledgeDocument[];
	/** Progress polls (POST …/process) answered for this document (0 if unknown). */
	progressPollsOf(documentId: string): number;
	/** Makes this document fail processing (status 9, status_descript `reason`, default knowledgeOptions.failReason). */
	failDocument(documentId: string, reason?: string): void;
}

function startOptions(opts: KnowledgeStartOptions): KnowledgeOptions {
	const o: KnowledgeOptions = { ...DEFAULT_KNOWLEDGE_OPTIONS, ...clone(opts.knowledgeOptions ?? {}) };
	checkKnowledgeOptions(o);
	return o;
}

export function newKnowledgeState(opts: KnowledgeStartOptions): KnowledgeState {
	return {
		datasets: opts.datasets ? clone(opts.datasets) : newDefaultDatasets(),
		options: startOptions(opts),
		documents: new Map(),
		creations: [],
		nextDocument: DOCUMENT_BASE,
	};
}

export function resetKnowledge(state: EmulatorState, opts: KnowledgeStartOptions): void {
	const k = state.knowledge;
	k.datasets = opts.datasets ? clone(opts.datasets) : newDefaultDatasets();
	k.options = startOptions(opts);
	k.documents.clear();
	k.creations.length = 0; // same identity as `emulator.documentCreations`
	k.nextDocument = DOCUMENT_BASE;
}

export function attachKnowledgeApi<T extends object>(target: T, state: EmulatorState): T & KnowledgeEmulatorApi {
	const k = state.knowledge;
	const api: Omit<KnowledgeEmulatorApi, 'datasets' | 'knowledgeOptions'> = {
		setDatasets: (datasets) => void (k.datasets = clone(datasets)),
		setKnowledgeOptions: (o) => {
			const next = { ...k.options, ...clone(o) };
			checkKnowledgeOptions(next);
			k.options = next;
		},
		documentCreations: k.creations,
		documents: (datasetId) => [...k.documents.values()].filter((d) => datasetId === undefined || d.datasetId === datasetId).map((d) => clone(d)),
		progressPollsOf: (documentId) => k.documents.get(documentId)?.polls ?? 0,
		failDocument: (documentId, reason) => {
			const d = k.documents.get(documentId);
			if (!d) throw new RangeError(`failDocument: unknown document ${documentId}`);
			d.failReason = reason ?? k.options.failReason;
		},
	};
	Object.assign(target, api);
	Object.defineProperty(target, 'datasets', { enumerable: true, get: () => clone(k.datasets) });
	Object.defineProperty(target, 'knowledgeOptions', { enumerable: true, get: () => clone(k.options) });
	return target as T & KnowledgeEmulatorApi;
}
