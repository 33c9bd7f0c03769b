/**
 * Knowledge base answers, pure (docs/coze-api.md §11): a document's processing status in words,
 * its progress folded into its listing, and the file type Coze expects for a file.
 */
import type { IDataObject } from 'n8n-workflow';

/** Coze's document status (§11.5): 0 processing, 1 done, 9 failed; Studio adds 3 for a deleted one. */
export type ProcessingState = 'processing' | 'completed' | 'failed' | 'deleted' | 'unknown';

export function processingStateOf(status: unknown): ProcessingState {
	switch (Number(status)) {
		case 0:
			return 'processing';
		case 1:
			return 'completed';
		case 9:
			return 'failed';
		case 3:
			return 'deleted';
		default:
			return 'unknown';
	}
}

/**
 * A document as output: Coze's fields, its progress where Coze reported it, and
 * `processing_state` in words. The document's ID stays the string Coze sent.
 */
export function documentOutput(document: IDataObject, progress?: IDataObject): IDataObject {
	const output: IDataObject = { ...document };
	if (progress) {
		// Coze answers an upload at once, mostly with zeros (§11.2); its progress is the fresher word.
		for (const field of ['status', 'progress', 'remaining_time', 'status_descript'] as const) {
			if (progress[field] !== undefined) output[field] = progress[field];
		}
		for (const field of ['size', 'type', 'url'] as const) {
			if (progress[field] !== undefined && progress[field] !== '' && !output[field]) output[field] = progress[field];
		}
		if (output.name === undefined && progress.document_name !== undefined) output.name = progress.document_name;
		if (output.document_id === undefined && progress.document_id !== undefined) output.document_id = progress.document_id;
	}
	output.processing_state = processingStateOf(output.status);
	return output;
}

/** Progress entries by document ID. */
export function progressById(progress: IDataObject[]): Map<string, IDataObject> {
	return new Map(progress.map((entry) => [String(entry.document_id ?? ''), entry]));
}

/**
 * Why a document failed: Coze's status_descript, which Coze Studio also fills for documents that
 * did not fail (a status word such as "处理中"), so it is only quoted for a failed one.
 */
export function failureReasonOf(progress: IDataObject): string | undefined {
	const reason = typeof progress.status_descript === 'string' ? progress.status_descript.trim() : '';
	return reason === '' ? undefined : reason.slice(0, 500);
}

/** The file type Coze expects in file_type: the extension of the name, else one from the MIME type. */
export function documentFileType(fileName: string, mimeType: string): string {
	const extension = /\.([A-Za-z0-9]{1,10})$/.exec(fileName)?.[1]?.toLowerCase();
	if (extension) return extension;
	const byMime: Record<string, string> = {
		'application/pdf': 'pdf',
		'text/plain': 'txt',
		'text/markdown': 'md',
		'application/msword': 'doc',
		'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
	};
	return byMime[mimeType.split(';')[0].trim().toLowerCase()] ?? 'txt';
}

/** A separator as typed in n8n: "\n" and "\t" written out become a line break and a tab. */
export function separatorOf(typed: string): string {
	return typed.replace(/\\n/g, '\n').replace(/\\r/g, '\r').replace(/\\t/g, '\t');
}
