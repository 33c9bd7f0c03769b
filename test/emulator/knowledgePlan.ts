/**
 * document/create of both dialects, per document_bases entry: what the request asked for (the record) and
 * the document it makes, or why it is refused (cloud). The rules and their sources: knowledgeDocuments.ts.
 */
import { createHash } from 'node:crypto';

import type { RequestContext } from './core';
import { isJsonObject } from './json';
import { docsOf, nowSeconds } from './knowledge';
import type { ChunkStrategy, DocumentCreateRecord, DocumentSource, KnowledgeDocument } from './knowledgeCatalogue';

const TEXT_FILE_TYPES = ['pdf', 'txt', 'doc', 'docx'];
type J = Record<string, unknown>;

/** The request carried `Agw-Js-Conv: str` [DOC:create_knowledge_files] [JS:datasets/documents/documents.ts]. */
export const jsConv = (ctx: RequestContext): boolean => String(ctx.req.headers['agw-js-conv'] ?? '').toLowerCase() === 'str';

/** The raw digits of every unquoted number value of `key` in the body, in order (ids above 2^53). */
export function rawNumbers(raw: string, key: string): string[] {
	return [...raw.matchAll(new RegExp(`"${key}"\\s*:\\s*(-?\\d+)`, 'g'))].map((m) => m[1]);
}

function extOf(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

function failsOn(ctx: RequestContext, name: string, content?: Buffer | string): string | undefined {
	const { failMarker, failReason } = ctx.state.knowledge.options;
	if (failMarker === '') return undefined;
	const hit = name.includes(failMarker) || (content !== undefined && content.indexOf(failMarker) !== -1);
	return hit ? failReason : undefined;
}

export interface Planned {
	doc: KnowledgeDocument;
	rec: DocumentCreateRecord;
}

function newDoc(ctx: RequestContext, datasetId: string, name: string, formatType: 0 | 1 | 2, chunk: ChunkStrategy | null): KnowledgeDocument {
	const k = ctx.state.knowledge;
	k.nextDocument += 1n;
	const now = nowSeconds();
	return {
		id: k.nextDocument.toString(),
		datasetId,
		name,
		formatType,
		source: 'none',
		sourceType: 0,
		type: '',
		size: 0,
		charCount: 0,
		chunkStrategy: chunk,
		updateType: 0,
		updateInterval: 0,
		webUrl: '',
		tosUri: '',
		caption: '',
		url: '',
		createdAt: now,
		updatedAt: now,
		polls: 0,
	};
}

export function recordOf(ctx: RequestContext, datasetId: string, base: J, formatType: unknown, chunk: unknown): DocumentCreateRecord {
	const si = isJsonObject(base.source_info) ? base.source_info : {};
	const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
	return {
		dialect: ctx.state.dialect,
		datasetId,
		name: typeof base.name === 'string' ? base.name : '',
		formatType: typeof formatType === 'number' ? formatType : undefined,
		source: 'none',
		fileType: str(si.file_type),
		bytes: 0,
		webUrl: str(si.web_url),
		sourceFileId: str(si.source_file_id),
		tosUri: str(si.tos_uri),
		documentSource: typeof si.document_source === 'number' ? si.document_source : undefined,
		caption: str(base.caption),
		updateRule: isJsonObject(base.update_rule) ? (base.update_rule as DocumentCreateRecord['updateRule']) : undefined,
		chunkStrategy: isJsonObject(chunk) ? ({ ...chunk } as ChunkStrategy) : (chunk as null | undefined),
		jsConv: jsConv(ctx),
	};
}

function methodOf(si: J): DocumentSource | undefined {
	if (typeof si.file_base64 === 'string') return 'file_base64';
	if (typeof si.web_url === 'string') return 'web_url';
	if (si.source_file_id !== undefined) return 'source_file_id';
	return undefined;
}

export function cloudPlan(ctx: RequestContext, b: J, datasetId: string, formatType: 0 | 1 | 2, bases: J[], numIds: string[]): Planned[] | string {
	const chunk = isJsonObject(b.chunk_strategy) ? (b.chunk_strategy as ChunkStrategy) : null;
	if (chunk?.chunk_type === 1) {
		if (typeof chunk.separator !== 'string' || chunk.separator === '') return 'chunk_strategy.separator is required for chunk_type 1';
		if (!(typeof chunk.max_tokens === 'number' && chunk.max_tokens >= 100 && chunk.max_tokens <= 2000)) return 'chunk_strategy.max_tokens must be 100-2000';
	}
	if (formatType === 2 && docsOf(ctx, datasetId).length === 0 && typeof chunk?.caption_type !== 'number') {
		return 'chunk_strategy.caption_type is required for the first images of a knowledge base';
	}
	const methods = new Set(bases.map((x) => (isJsonObject(x.source_info) ? methodOf(x.source_info) : undefined)));
	if (methods.size !== 1 || methods.has(undefined)) return 'one source_info method per request (file_base64, web_url or source_file_id)';
	let numIdx = 0;
	const out: Planned[] = [];
	for (const base of bases) {
		const si = base.source_info as J;
		const name = base.name;
		if (typeof name !== 'string' || name === '') return 'document_bases[].name is required';
		const rec = recordOf(ctx, datasetId, base, b.format_type, b.chunk_strategy);
		const doc = newDoc(ctx, datasetId, name, formatType, chunk);
		const rule = base.update_rule;
		if (isJsonObject(rule)) {
			if (rule.update_interval !== undefined && !(typeof rule.update_interval === 'number' && rule.update_interval >= 24)) return 'update_rule.update_interval must be >= 24';
			doc.updateType = rule.update_type === 1 ? 1 : 0;
			doc.updateInterval = typeof rule.update_interval === 'number' ? rule.update_interval : 0;
		}
		const method = methodOf(si)!;
		rec.source = doc.source = method;
		if (method === 'file_base64') {
			const type = String(si.file_type ?? '').toLowerCase();
			if (formatType !== 0) return 'file_base64 is only for text knowledge bases';
			if (!TEXT_FILE_TYPES.includes(type)) return `file_type must be one of ${TEXT_FILE_TYPES.join(', ')}`;
			const b64 = si.file_base64 as string;
			if (b64 === '' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(b64.replace(/\s+/g, ''))) return 'file_base64 is not base64';
			const bytes = Buffer.from(b64, 'base64');
			rec.bytes = bytes.length;
			rec.sha256 = createHash('sha256').update(bytes).digest('hex');
			Object.assign(doc, { type, size: bytes.length, charCount: type === 'txt' ? bytes.toString('utf8').length : bytes.length, failReason: failsOn(ctx, name, bytes) });
		} else if (method === 'web_url') {
			if (formatType !== 0) return 'web_url is only for text knowledge bases';
			if (si.document_source !== 1 || !/^https?:\/\//i.test(si.web_url as string)) return 'web_url needs document_source 1 and an http(s) URL';
			Object.assign(doc, { sourceType: 1, webUrl: si.web_url, charCount: 1000, failReason: failsOn(ctx, name, si.web_url as string) });
		} else {
			if (formatType !== 2) return 'source_file_id is only for image knowledge bases';
			const fileId = typeof si.source_file_id === 'number' ? numIds[numIdx++] : String(si.source_file_id);
			rec.sourceFileId = fileId;
			if (si.document_source !== 5) return 'source_file_id needs document_source 5';
			const up = ctx.state.uploads.find((u) => u.id === fileId);
			if (!up) return `source_file_id ${fileId} is not an uploaded file`;
			const type = extOf(up.fileName) || 'jpg';
			rec.bytes = up.size;
			rec.sha256 = up.sha256;
			Object.assign(doc, {
				sourceType: 5,
				type,
				size: up.size,
				caption: typeof base.caption === 'string' ? base.caption : '',
				url: `https://coze-emulator.invalid/dataset-image/${doc.id}.${type}`,
				failReason: failsOn(ctx, name, up.bytes),
			});
		}
		rec.documentId = doc.id;
		out.push({ doc, rec });
	}
	return out;
}

export function studioPlan(ctx: RequestContext, b: J, datasetId: string, formatType: 0 | 1 | 2, bases: J[]): Planned[] {
	const chunk = isJsonObject(b.chunk_strategy) ? (b.chunk_strategy as ChunkStrategy) : null;
	return bases.map((base) => {
		const si = isJsonObject(base.source_info) ? base.source_info : {};
		const name = typeof base.name === 'string' ? base.name : '';
		const rec = recordOf(ctx, datasetId, base, b.format_type, b.chunk_strategy);
		const doc = newDoc(ctx, datasetId, name, formatType, chunk);
		if (typeof si.tos_uri === 'string' && si.tos_uri !== '') {
			const obj = ctx.state.storedObjects.get(si.tos_uri);
			rec.source = doc.source = 'tos_uri';
			Object.assign(doc, { tosUri: si.tos_uri, type: extOf(si.tos_uri) });
			if (obj) {
				rec.bytes = obj.upload.size;
				rec.sha256 = obj.upload.sha256;
				const text = doc.type === 'txt' ? obj.upload.bytes.toString('utf8').length : obj.upload.size;
				Object.assign(doc, { size: obj.upload.size, charCount: text, url: formatType === 2 ? obj.upload.url ?? '' : '', failReason: failsOn(ctx, name, obj.upload.bytes) });
			} else doc.failReason = `download failed : object ${si.tos_uri} not found`; // ASSUMPTION: errno 105000019's text
		} else if (typeof si.custom_content === 'string') {
			const bytes = Buffer.from(si.custom_content, 'utf8');
			rec.source = doc.source = 'custom_content';
			rec.bytes = bytes.length;
			Object.assign(doc, { sourceType: 2, type: 'txt', size: bytes.length, charCount: si.custom_content.length, failReason: failsOn(ctx, name, bytes) });
		} else if (ctx.state.knowledge.options.studioContentlessDocument === 'failed') {
			doc.failReason = 'document has no content (Coze emulator: Studio reads only tos_uri / custom_content)';
		} else doc.failReason = failsOn(ctx, name);
		rec.documentId = doc.id;
		return { doc, rec };
	});
}
