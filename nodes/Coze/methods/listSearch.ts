import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Workspace } from '../../shared/api/catalog';
import { listAgentsPage, listWorkspaces } from '../../shared/api/catalog';
import { listKnowledgeBasesPage } from '../../shared/api/knowledge';
import type { CozeConnection } from '../../shared/transport';
import { getCozeConnection } from '../../shared/transport';

// Coze has no name filter for agents, so a search reads pages until it has this many matches.
const ENOUGH_RESULTS = 20;
const MAX_PAGES_PER_CALL = 10;
const PAGE_SIZE = 50;

interface Cursor {
	workspace: number;
	page: number;
}

/**
 * The Agent field's "From List": the published agents of the chosen workspace, or of every
 * workspace the token can see, filtered by name or id.
 */
export async function searchAgents(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const connection = await getCozeConnection.call(this);
	if (connection.region === 'studio') {
		throw new NodeOperationError(this.getNode(), 'Coze Studio has no API to list agents', {
			description: "Choose By ID or By URL and paste the agent's ID or the address of the agent in Coze Studio (…/bot/<ID>).",
		});
	}
	const chosen = String(this.getCurrentNodeParameter('workspaceId') ?? '');
	const workspaces: Workspace[] = chosen ? [{ id: chosen, name: '' }] : await listWorkspaces.call(this, connection);
	const needle = (filter ?? '').trim().toLowerCase();
	const cursor: Cursor = paginationToken ? (JSON.parse(paginationToken) as Cursor) : { workspace: 0, page: 1 };

	const results: INodeListSearchItems[] = [];
	for (let pages = 0; pages < MAX_PAGES_PER_CALL && cursor.workspace < workspaces.length; pages++) {
		const workspace = workspaces[cursor.workspace];
		const { agents } = await listAgentsPage.call(this, connection, { workspaceId: workspace.id, page: cursor.page, pageSize: PAGE_SIZE, publishedOnly: true });
		for (const agent of agents) {
			const id = String(agent.id ?? '');
			const name = String(agent.name ?? id);
			if (!id || (needle && !name.toLowerCase().includes(needle) && !id.includes(needle))) continue;
			results.push({
				name: workspaces.length > 1 && workspace.name ? `${name} (${workspace.name})` : name,
				value: id,
				url: agentEditorUrl(connection, id, workspace.id),
				description: typeof agent.description === 'string' && agent.description ? agent.description : undefined,
			});
		}
		if (agents.length >= PAGE_SIZE) cursor.page++;
		else {
			cursor.workspace++;
			cursor.page = 1;
		}
		if (results.length >= ENOUGH_RESULTS) break;
	}
	return { results, paginationToken: cursor.workspace < workspaces.length ? JSON.stringify(cursor) : undefined };
}

/**
 * The Knowledge Base field's "From List": the knowledge bases of every workspace the token can
 * see, filtered by name by Coze itself (GET /v1/datasets?name=…, §11.1).
 */
export async function searchKnowledgeBases(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const connection = await getCozeConnection.call(this);
	if (connection.region === 'studio') {
		throw new NodeOperationError(this.getNode(), 'Coze Studio has no API to list workspaces, so its knowledge bases cannot be listed here', {
			description: 'Choose By ID or By URL and paste the ID or the address of the knowledge base in Coze Studio (…/knowledge/<ID>), or list them with Knowledge Base → List and its workspace ID.',
		});
	}
	const workspaces = await listWorkspaces.call(this, connection);
	const name = (filter ?? '').trim() || undefined;
	const cursor: Cursor = paginationToken ? (JSON.parse(paginationToken) as Cursor) : { workspace: 0, page: 1 };
	const results: INodeListSearchItems[] = [];
	for (let pages = 0; pages < MAX_PAGES_PER_CALL && cursor.workspace < workspaces.length && results.length < ENOUGH_RESULTS; pages++) {
		const workspace = workspaces[cursor.workspace];
		const { knowledgeBases } = await listKnowledgeBasesPage.call(this, connection, { workspaceId: workspace.id, page: cursor.page, pageSize: PAGE_SIZE, name }, { itemIndex: 0, timeoutMs: 30_000 });
		for (const knowledgeBase of knowledgeBases) {
			const id = String(knowledgeBase.dataset_id ?? '');
			if (!id) continue;
			const label = String(knowledgeBase.name ?? id);
			results.push({
				name: workspaces.length > 1 && workspace.name ? `${label} (${workspace.name})` : label,
				value: id,
				url: editorUrl(connection, workspace.id, `knowledge/${id}`),
				description: typeof knowledgeBase.description === 'string' && knowledgeBase.description ? knowledgeBase.description : undefined,
			});
		}
		if (knowledgeBases.length >= PAGE_SIZE) cursor.page++;
		else {
			cursor.workspace++;
			cursor.page = 1;
		}
	}
	return { results, paginationToken: cursor.workspace < workspaces.length ? JSON.stringify(cursor) : undefined };
}

function agentEditorUrl(connection: CozeConnection, agentId: string, workspaceId: string): string | undefined {
	return editorUrl(connection, workspaceId, `bot/${agentId}`);
}

/** The page of a workspace's resource in the Coze editor (Coze cloud; Studio's address is the user's own). */
function editorUrl(connection: CozeConnection, workspaceId: string, resource: string): string | undefined {
	const host = connection.region === 'cn' ? 'https://www.coze.cn' : connection.region === 'com' ? 'https://www.coze.com' : undefined;
	return host ? `${host}/space/${workspaceId}/${resource}` : undefined;
}
