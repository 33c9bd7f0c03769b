/**
 * Whether the n8n editor's node picker lists a node type for a search term, decided from the
 * node's description as GET /types/nodes.json serves it, the way the editor decides it.
 *
 * Read from the editor bundles n8n pins (n8n-editor-ui 2.41.0 for n8n 2.41.1, 1.123.43 for
 * 1.123.81; source: packages/frontend/editor-ui/src/features/shared/nodeCreator/composables/
 * useViewStacks.ts, `activeStackItems` and `filterOutAiNodes`, the same in both): in the regular
 * view, with no langchain node on the canvas, search leaves out every node whose codex category is
 * `AI` unless its `subcategories.AI` holds `Root Nodes`; what is left is matched by displayName
 * and codex alias with a case-insensitive subsequence match (`sublimeSearch`). The e2e also types
 * the terms into the real editor; this tells why a node is missing, from the served description.
 */
export interface NodeTypeEntry {
	name: string;
	displayName: string;
	hidden?: boolean;
	outputs?: unknown;
	codex?: { categories?: string[]; subcategories?: Record<string, string[]>; alias?: string[] };
}

export const AI_ROOT_NODES = 'Root Nodes';

/** True where the regular view's search drops the node before matching (AI sub-nodes). */
export function leftOutOfSearch(entry: NodeTypeEntry): boolean {
	const codex = entry.codex ?? {};
	return (codex.categories ?? []).includes('AI') && !(codex.subcategories?.AI ?? []).includes(AI_ROOT_NODES);
}

function subsequence(text: string, term: string): boolean {
	let matched = 0;
	for (const ch of text.toLowerCase()) if (ch === term[matched]) matched++;
	return term.length > 0 && matched === term.length;
}

/** The node picker's search on an empty (no langchain node) canvas, regular view. */
export function foundBySearch(entry: NodeTypeEntry, term: string): boolean {
	if (entry.hidden || leftOutOfSearch(entry)) return false;
	const query = term.trim().toLowerCase();
	return [entry.displayName, ...(entry.codex?.alias ?? [])].some((text) => typeof text === 'string' && subsequence(text, query));
}
