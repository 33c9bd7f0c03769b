import type { IDataObject } from 'n8n-workflow';

/** One page of a listing as Coze answered it. */
export interface ListedPage {
	/** The entries to output, at most `wanted` of them (those of the page, possibly decoded or filtered). */
	entries: IDataObject[];
	/** How many entries Coze sent on this page; a short page is the last (defaults to entries.length). */
	pageLength?: number;
	/** Coze's total, where it gives one (0 or missing: unknown). */
	total?: number;
	/** Coze's has_more, where it pages that way instead. */
	hasMore?: boolean;
}

/**
 * A paged listing's entries, page after page (page numbers from 1), until `limit` entries, the
 * last page (short, past the total, or has_more false) or `maxPages` pages.
 */
export async function collectPages(
	paging: { limit: number; pageSize: number; maxPages: number },
	fetchPage: (page: number, wanted: number) => Promise<ListedPage>,
): Promise<IDataObject[]> {
	const found: IDataObject[] = [];
	for (let page = 1; page <= paging.maxPages && found.length < paging.limit; page++) {
		const listed = await fetchPage(page, paging.limit - found.length);
		found.push(...listed.entries.slice(0, paging.limit - found.length));
		const pageLength = listed.pageLength ?? listed.entries.length;
		const last =
			listed.hasMore !== undefined
				? !listed.hasMore || pageLength === 0
				: pageLength < paging.pageSize || (listed.total !== undefined && listed.total > 0 && page * paging.pageSize >= listed.total);
		if (last) break;
	}
	return found;
}
