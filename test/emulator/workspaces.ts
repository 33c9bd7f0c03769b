/**
 * `GET /v1/workspaces` — cloud only (coze-api.md §4, [DOC:list_workspace]); the credential test
 * request `GET /v1/workspaces?page_num=1&page_size=1`. Coze Studio has no such route (dispatch.ts
 * answers it like Studio would: session middleware → 401).
 *
 * Answers the emulator's workspace list (`setWorkspaces`, default DEFAULT_WORKSPACES = Personal
 * only), paged: `data: {workspaces: [page], total_count}`.
 * - `page_num` default 1, `page_size` default 20, max 50. ASSUMPTION: out-of-range or non-integer
 *   values → 4000 (the doc gives the range, not the error). A page past the end is empty (total_count
 *   unchanged).
 * - `enterprise_id` (enterprise plans): only the workspaces of that enterprise. ASSUMPTION: the
 *   emulator accepts it on every plan (the doc says personal plans do not support it, not how they fail).
 * - `user_id` / `coze_account_id` must come together ([DOC:list_workspace]: "暂时不支持仅指定…");
 *   ASSUMPTION: only one of them → 4000; both → the account's own list (the emulator has one user).
 */
import { clone } from './catalogue';
import type { Reply, RequestContext } from './core';
import { cloudBadRequest, cloudOk } from './dialect';
import type { Workspace } from './types';

export const WORKSPACES_PATH = '/v1/workspaces';

/** The workspace as answered: the documented keys with defaults, optional ones only when set. */
export function workspaceJson(w: Workspace): Record<string, unknown> {
	const out: Record<string, unknown> = {
		id: w.id,
		name: w.name,
		icon_url: w.icon_url ?? '',
		role_type: w.role_type ?? 'owner',
		workspace_type: w.workspace_type ?? 'personal',
		enterprise_id: w.enterprise_id ?? '',
		joined_status: w.joined_status ?? 'joined',
	};
	if (w.owner_uid !== undefined) out.owner_uid = w.owner_uid;
	if (w.admin_uids !== undefined) out.admin_uids = clone(w.admin_uids);
	if (w.description !== undefined) out.description = w.description;
	return out;
}

/** Parses an optional positive integer query parameter; `undefined` = invalid. */
export function intParam(v: string | undefined, dflt: number): number | undefined {
	if (v === undefined) return dflt;
	if (!/^\d+$/.test(v)) return undefined;
	const n = Number(v);
	return Number.isSafeInteger(n) ? n : undefined;
}

export function workspacesHandler(ctx: RequestContext): Reply {
	const q = ctx.recorded.query;
	const pageNum = intParam(q.page_num, 1);
	const pageSize = intParam(q.page_size, 20);
	if (pageNum === undefined || pageNum < 1 || pageSize === undefined || pageSize < 1 || pageSize > 50) {
		return cloudBadRequest(ctx.logId);
	}
	if ((q.user_id === undefined) !== (q.coze_account_id === undefined)) return cloudBadRequest(ctx.logId);
	let all = ctx.state.workspaces;
	if (q.enterprise_id !== undefined && q.enterprise_id !== '') all = all.filter((w) => (w.enterprise_id ?? '') === q.enterprise_id);
	const page = all.slice((pageNum - 1) * pageSize, pageNum * pageSize).map(workspaceJson);
	return cloudOk(ctx.logId, { data: { workspaces: page, total_count: all.length } });
}
