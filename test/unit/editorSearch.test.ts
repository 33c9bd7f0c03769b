/** The e2e's reading of the editor's node-picker search, on the codex this package ships. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { foundBySearch, leftOutOfSearch, type NodeTypeEntry } from '../../scripts/lib/editorSearch';

const codex = JSON.parse(readFileSync(join(__dirname, '..', '..', 'nodes', 'CozeWorkflow', 'CozeWorkflow.node.json'), 'utf8'));
const coze: NodeTypeEntry = { name: 'n8n-nodes-coze.cozeWorkflow', displayName: 'Coze Workflow', codex };

describe('node-picker search', () => {
	it.each(['Coze', 'Coze Workflow', 'workflow', 'coze'])('finds the Coze Workflow node for "%s"', (term) => {
		expect(foundBySearch(coze, term)).toBe(true);
	});

	it('keeps the node under AI, among the agents', () => {
		expect(codex.categories).toContain('AI');
		expect(codex.subcategories.AI).toContain('Agents');
	});

	it('leaves out an AI node without "Root Nodes", as the editor does (the 0.1.0 codex)', () => {
		const old: NodeTypeEntry = { ...coze, codex: { ...codex, subcategories: { AI: ['Agents'] } } };
		expect(leftOutOfSearch(old)).toBe(true);
		expect(foundBySearch(old, 'Coze')).toBe(false);
		expect(foundBySearch({ ...old, codex: { categories: ['Development'] } }, 'Coze')).toBe(true);
	});

	it('matches by display name and alias, not by anything else', () => {
		expect(foundBySearch(coze, 'ByteDance')).toBe(true);
		expect(foundBySearch(coze, 'Salesforce')).toBe(false);
		expect(foundBySearch({ ...coze, hidden: true }, 'Coze')).toBe(false);
	});
});
