/**
 * Knowledge bases (datasets): public types, the default catalogue (one text, one image and one table
 * KB in the Personal workspace; ids 7568000000000000001…, 19 digits, strings), the knowledge options
 * and their defaults. Wire facts: docs/coze-api.md §11 (brief wire18), sources named per option.
 */
import { PERSONAL_WORKSPACE_ID } from './catalogue';

const DATASET_BASE = 7568000000000000000n;
const datasetId = (n: number): string => (DATASET_BASE + BigInt(n)).toString();

export const TEXT_DATASET_ID = datasetId(1);
export const IMAGE_DATASET_ID = datasetId(2);
/** Table KB: listed, but the API cannot fill it ("暂不支持通过 API 创建表格知识库") [DOC:create_knowledge_files]. */
export const TABLE_DATASET_ID = datasetId(3);
export const UNKNOWN_DATASET_ID = '7568999999999999999';
/** Documents get 7569000000000000001, … */
export const DOCUMENT_BASE = 7569000000000000000n;
/** A document name or content containing it fails processing (KnowledgeOptions.failMarker default). */
export const FAIL_PROCESSING_MARKER = 'FAIL_PROCESSING';

/** 0 text, 1 table, 2 image [DOC:list_dataset] (Studio also 3 = database [ST:api/model/data/knowledge/common.go]). */
export type DatasetFormatType = 0 | 1 | 2;

export interface CatalogueDataset {
	id: string;
	name: string;
	description: string;
	spaceId: string;
	formatType: DatasetFormatType;
	/** 1 enabled, 3 disabled [DOC:list_dataset]. */
	status: 1 | 3;
	iconUri: string;
	iconUrl: string;
	/** Unix seconds. */
	createdAt: number;
	updatedAt: number;
}

export interface ChunkStrategy {
	chunk_type?: number;
	separator?: string;
	max_tokens?: number;
	remove_extra_spaces?: boolean;
	remove_urls_emails?: boolean;
	caption_type?: number;
}

/** Where a document's content came from (as the emulator understood the request). */
export type DocumentSource = 'file_base64' | 'web_url' | 'source_file_id' | 'tos_uri' | 'custom_content' | 'none';

/** A document the emulator holds (knowledge documents, images). */
export interface KnowledgeDocument {
	id: string;
	datasetId: string;
	name: string;
	formatType: DatasetFormatType;
	source: DocumentSource;
	/** source_type on the wire: cloud 0 local / 1 web / 5 file_id; Studio 0 local / 2 custom. */
	sourceType: number;
	/** File type: pdf, txt, … or the image's extension; '' for web pages. */
	type: string;
	/** Content bytes (decoded file, uploaded file, custom content); 0 for web pages. */
	size: number;
	charCount: number;
	chunkStrategy: ChunkStrategy | null;
	updateType: number;
	updateInterval: number;
	webUrl: string;
	tosUri: string;
	caption: string;
	/** Image documents: the URL the listings give. */
	url: string;
	createdAt: number;
	updatedAt: number;
	/** Progress polls answered so far (POST …/process). */
	polls: number;
	/** Set when processing will fail (status 9): the status_descript. */
	failReason?: string;
}

/** What one `document_bases[]` entry of a document/create request carried (CozeEmulator.documentCreations). */
export interface DocumentCreateRecord {
	dialect: 'cloud' | 'studio';
	datasetId: string;
	/** The id given to it (undefined when the request was refused). */
	documentId?: string;
	name: string;
	formatType: number | undefined;
	source: DocumentSource;
	fileType?: string;
	/** Bytes of the decoded file_base64 / the uploaded file / the custom content. */
	bytes: number;
	sha256?: string;
	webUrl?: string;
	sourceFileId?: string;
	tosUri?: string;
	documentSource?: number;
	caption?: string;
	updateRule?: { update_type?: number; update_interval?: number };
	chunkStrategy: ChunkStrategy | null | undefined;
	/** The request carried `Agw-Js-Conv: str`. */
	jsConv: boolean;
	/** Refused: the answer's code and msg. */
	refused?: { code: number; msg: string };
}

export interface KnowledgeOptions {
	/** Progress polls (POST …/process) a document answers status 0 with rising progress before it is done (or failed). */
	processingPolls: number;
	/** A document whose name or content contains this string fails processing ('' = never). */
	failMarker: string;
	/** status_descript of a failed document. ASSUMPTION: an emulator text. */
	failReason: string;
	/** cloud document/create: max document_bases per request (10 [DOC:create_knowledge_files]). */
	maxDocumentsPerRequest: number;
	/** cloud request body cap of non-workflow APIs (15 MB [DOC:coze_api_overview], coze-api.md §5.4). */
	cloudMaxRequestBytes: number;
	/** cloud document/create answer: `captured` (status 0, zeros, document_id_new [WEB:jishuzhan.net/article/2033718356931575810]) or `documented` (filled fields [DOC:create_knowledge_files]). */
	cloudCreateAnswer: 'captured' | 'documented';
	/**
	 * cloud without `Agw-Js-Conv: str` (sources silent): `strings` no difference; `numbers` ids in answers
	 * become JSON numbers; `rejectStrings` string ids in the request → 4000.
	 */
	cloudWithoutJsConv: 'strings' | 'numbers' | 'rejectStrings';
	/** cloud document/list `page`: 1-based (doc text, cozepy) or 0-based (doc curl example sends 0). */
	cloudDocumentListPageBase: 0 | 1;
	/**
	 * Studio `/open_api/knowledge/*`: `nginx` = the docker nginx does not proxy /open_api (POST → nginx 405
	 * page [ISS:coze-dev/coze-studio#2355], GET → index.html); `direct` = the client reaches coze-server.
	 */
	studioDocumentRoute: 'nginx' | 'direct';
	/** Studio /process `document_ids`: `[]int64` with `,string` (sources: numbers) — accepted JSON types. */
	studioProcessIds: 'both' | 'numbers' | 'strings';
	/** Studio create with neither tos_uri nor custom_content (base64 ignored): document fails, or becomes an empty done one. */
	studioContentlessDocument: 'failed' | 'empty';
	/** Studio has a vision model (caption_type 0 allowed on image KBs) [ST:domain/knowledge/service/knowledge.go checkRequest]. */
	studioVisionModel: boolean;
	/** Studio routes it lacks (caption PUT, /v1/audio/*): session 401 (default, the global middleware) or 404 NoRoute. */
	studioMissingRoute: 'session401' | 'notFound404';
}

export const DEFAULT_KNOWLEDGE_OPTIONS: Readonly<KnowledgeOptions> = Object.freeze({
	processingPolls: 2,
	failMarker: FAIL_PROCESSING_MARKER,
	failReason: 'document parse failed (Coze emulator: FAIL_PROCESSING marker)',
	maxDocumentsPerRequest: 10,
	cloudMaxRequestBytes: 15 * 1024 * 1024,
	cloudCreateAnswer: 'captured',
	cloudWithoutJsConv: 'strings',
	cloudDocumentListPageBase: 1,
	studioDocumentRoute: 'nginx',
	studioProcessIds: 'both',
	studioContentlessDocument: 'failed',
	studioVisionModel: false,
	studioMissingRoute: 'session401',
});

export function checkKnowledgeOptions(o: KnowledgeOptions): void {
	if (!(Number.isInteger(o.processingPolls) && o.processingPolls >= 0)) throw new RangeError('knowledgeOptions.processingPolls must be an integer >= 0');
	if (!(Number.isInteger(o.maxDocumentsPerRequest) && o.maxDocumentsPerRequest >= 1)) throw new RangeError('knowledgeOptions.maxDocumentsPerRequest must be an integer >= 1');
	if (!(Number.isFinite(o.cloudMaxRequestBytes) && o.cloudMaxRequestBytes >= 0)) throw new RangeError('knowledgeOptions.cloudMaxRequestBytes must be >= 0');
	const oneOf = (k: keyof KnowledgeOptions, values: unknown[]): void => {
		if (!values.includes(o[k])) throw new RangeError(`knowledgeOptions.${k} must be one of ${values.join(', ')}`);
	};
	oneOf('cloudCreateAnswer', ['captured', 'documented']);
	oneOf('cloudWithoutJsConv', ['strings', 'numbers', 'rejectStrings']);
	oneOf('cloudDocumentListPageBase', [0, 1]);
	oneOf('studioDocumentRoute', ['nginx', 'direct']);
	oneOf('studioProcessIds', ['both', 'numbers', 'strings']);
	oneOf('studioContentlessDocument', ['failed', 'empty']);
	oneOf('studioMissingRoute', ['session401', 'notFound404']);
	if (typeof o.failMarker !== 'string' || typeof o.failReason !== 'string') throw new TypeError('knowledgeOptions.failMarker / failReason must be strings');
}

const T0 = 1767225600; // 2026-01-01T00:00:00Z

function dataset(n: number, name: string, formatType: DatasetFormatType, description: string): CatalogueDataset {
	return {
		id: datasetId(n),
		name,
		description,
		spaceId: PERSONAL_WORKSPACE_ID,
		formatType,
		status: 1,
		iconUri: `FileBizType.BIZ_DATASET_ICON/emulator_${n}.png`,
		iconUrl: `https://coze-emulator.invalid/icon/dataset-${n}.png`,
		createdAt: T0 + n * 60,
		updatedAt: T0 + 86400 - n * 60, // newest first in catalogue order
	};
}

export const DEFAULT_DATASETS: readonly CatalogueDataset[] = Object.freeze([
	dataset(1, 'Product manual 产品手册', 0, 'Text knowledge base'),
	dataset(2, 'Product photos', 2, 'Image knowledge base'),
	dataset(3, 'Price table', 1, 'Table knowledge base (not fillable by the API)'),
]);

export function newDefaultDatasets(): CatalogueDataset[] {
	return DEFAULT_DATASETS.map((d) => ({ ...d }));
}

export interface KnowledgeState {
	datasets: CatalogueDataset[];
	options: KnowledgeOptions;
	/** Every document, by id, in creation order. */
	readonly documents: Map<string, KnowledgeDocument>;
	readonly creations: DocumentCreateRecord[];
	nextDocument: bigint;
}
