/**
 * `GET /v1/workspaces` — cloud only (coze-api.md §4); the credential test request
 * `GET /v1/workspaces?page_num=1&page_size=1`. Coze Studio has no such route (dispatch.ts answers
 * it like Studio would: session middleware → 401).
 */
import type { Reply, RequestContext } from './core';
import { cloudBadRequest, cloudOk } from './dialect';
import { SPACE_ID } from './ids';

export const WORKSPACES_PATH = '/v1/workspaces';

export function personalWorkspace(): Record<string, unknown> {
	return {
		id: SPACE_ID,
		name: 'Personal',
		icon_url: '',
		role_type: 'owner',
		workspace_type: 'personal',
		enterprise_id: '',
		joined_status: 'joined',
	};
}

export function workspacesHandler(ctx: RequestContext): Reply {
	const q = ctx.recorded.query;
	// page_num default 1, page_size default 20, max 50 (§4). ASSUMPTION: out-of-range values → 4000.
	const pageNum = q.page_num === undefined ? 1 : Number(q.page_num);
	const pageSize = q.page_size === undefined ? 20 : Number(q.page_size);
	if (!Number.isInteger(pageNum) || pageNum < 1 || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50) {
		return cloudBadRequest(ctx.logId);
	}
	const all = [personalWorkspace()];
	const page = all.slice((pageNum - 1) * pageSize, pageNum * pageSize);
	return cloudOk(ctx.logId, { data: { workspaces: page, total_count: all.length } });
}
