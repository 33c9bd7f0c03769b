import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import type { CozeConnection } from '../transport';
import { cozeApiRequest } from '../transport';
import { isPlainObject } from '../decoding/json';
import type { InputSpec } from '../decoding/schema';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

const LIST_TIMEOUT_MS = 30_000;
export const WORKFLOWS_PAGE_SIZE = 30;

export interface Workspace {
	id: string;
	name: string;
}

export interface WorkflowSummary {
	id: string;
	name: string;
	description: string;
	workspaceId: string;
}

/** One page of the workspaces the token can see (GET /v1/workspaces; cloud only, §4, §10.7). */
export async function listWorkspacesPage(
	this: Context,
	connection: CozeConnection,
	query: { page: number; pageSize: number; itemIndex?: number; timeoutMs?: number },
): Promise<{ workspaces: Array<Record<string, unknown>>; total: number }> {
	const { body } = await cozeApiRequest.call(this, connection, {
		method: 'GET',
		path: '/v1/workspaces',
		qs: { page_num: query.page, page_size: query.pageSize },
		timeoutMs: query.timeoutMs ?? LIST_TIMEOUT_MS,
		itemIndex: query.itemIndex ?? 0,
	});
	const data = isPlainObject(body.data) ? body.data : {};
	return {
		workspaces: Array.isArray(data.workspaces) ? data.workspaces.filter(isPlainObject) : [],
		total: Number(data.total_count ?? 0),
	};
}

/** Every workspace the token can see, 50 a page. */
export async function listWorkspaces(this: Context, connection: CozeConnection): Promise<Workspace[]> {
	const workspaces: Workspace[] = [];
	for (let page = 1; page <= 20; page++) {
		const { workspaces: entries, total } = await listWorkspacesPage.call(this, connection, { page, pageSize: 50 });
		for (const entry of entries) workspaces.push({ id: String(entry.id), name: String(entry.name ?? entry.id) });
		if (entries.length < 50 || (total > 0 && workspaces.length >= total)) break;
	}
	return workspaces;
}

/**
 * One page of a workspace's agents (GET /v1/bots, coze-js bots.listNew; cloud only, §10.7):
 * Coze's items `{id, name, description, icon_url, is_published, published_at, updated_at, owner_user_id}`.
 */
export async function listAgentsPage(
	this: Context,
	connection: CozeConnection,
	query: { workspaceId: string; page: number; pageSize: number; publishedOnly: boolean; itemIndex?: number; timeoutMs?: number },
): Promise<{ agents: Array<Record<string, unknown>>; total: number }> {
	const { body } = await cozeApiRequest.call(this, connection, {
		method: 'GET',
		path: '/v1/bots',
		qs: {
			workspace_id: query.workspaceId,
			page_num: query.page,
			page_size: query.pageSize,
			...(query.publishedOnly ? { publish_status: 'published_online' } : {}),
		},
		subject: 'agent',
		timeoutMs: query.timeoutMs ?? LIST_TIMEOUT_MS,
		itemIndex: query.itemIndex ?? 0,
	});
	const data = isPlainObject(body.data) ? body.data : {};
	return { agents: Array.isArray(data.items) ? data.items.filter(isPlainObject) : [], total: Number(data.total ?? 0) };
}

/** One page of a workspace's workflows (GET /v1/workflows); Coze has no name filter. */
export async function listWorkflowsPage(
	this: Context,
	connection: CozeConnection,
	query: { workspaceId: string; page: number; mode: 'workflow' | 'chatflow' },
): Promise<{ workflows: WorkflowSummary[]; hasMore: boolean }> {
	const { body } = await cozeApiRequest.call(this, connection, {
		method: 'GET',
		path: '/v1/workflows',
		qs: {
			workspace_id: query.workspaceId,
			page_num: query.page,
			page_size: WORKFLOWS_PAGE_SIZE,
			workflow_mode: query.mode,
			publish_status: 'published_online',
		},
		timeoutMs: LIST_TIMEOUT_MS,
		itemIndex: 0,
	});
	const data = isPlainObject(body.data) ? body.data : {};
	const items = Array.isArray(data.items) ? data.items.filter(isPlainObject) : [];
	return {
		workflows: items.map((item) => ({
			id: String(item.workflow_id),
			name: String(item.workflow_name ?? item.workflow_id),
			description: typeof item.description === 'string' ? item.description : '',
			workspaceId: query.workspaceId,
		})),
		hasMore: data.has_more === true,
	};
}

/** The Start node's inputs of a workflow (GET /v1/workflows/{id}?include_input_output=true). */
export async function workflowInputSpecs(
	this: Context,
	connection: CozeConnection,
	workflowId: string,
	itemIndex = 0,
): Promise<Record<string, InputSpec>> {
	const { body } = await cozeApiRequest.call(this, connection, {
		method: 'GET',
		path: `/v1/workflows/${encodeURIComponent(workflowId)}`,
		qs: { include_input_output: true },
		timeoutMs: LIST_TIMEOUT_MS,
		itemIndex,
	});
	const data = isPlainObject(body.data) ? body.data : {};
	const input = isPlainObject(data.input) ? data.input : {};
	const parameters = isPlainObject(input.parameters) ? input.parameters : {};
	const specs: Record<string, InputSpec> = {};
	for (const [name, spec] of Object.entries(parameters)) specs[name] = isPlainObject(spec) ? (spec as InputSpec) : {};
	return specs;
}

export function editorUrl(connection: CozeConnection, workflowId: string, workspaceId?: string): string | undefined {
	const host = connection.region === 'cn' ? 'https://www.coze.cn' : connection.region === 'com' ? 'https://www.coze.com' : undefined;
	if (!host) return undefined;
	return `${host}/work_flow?workflow_id=${workflowId}${workspaceId ? `&space_id=${workspaceId}` : ''}`;
}
