/**
 * Workflow catalogue endpoints (coze-api.md §4).
 *
 * cloud `GET /v1/workflows` ([DOC:get_workflow_list], permission listWorkflow):
 * - query `workspace_id` (required), `page_num` (required, ≥ 1), `page_size` (1…30, default 10),
 *   `workflow_mode` (`workflow` | `chatflow`, empty = both), `publish_status` (`published_online`
 *   default | `unpublished_draft` | `all`), `app_id` (only that app's workflows).
 * - a missing/invalid parameter → 4000 "Request parameter error". ASSUMPTIONS: missing page_num
 *   is an error (the doc marks it required); unknown workflow_mode / publish_status values → 4000;
 *   `page_num=0` → 4000.
 * - a workspace_id that is not one of the account's workspaces (`setWorkspaces`) → 4101 (§5.1 "token
 *   lacks permission for the resource/workspace"). ASSUMPTION: the code for a foreign or unknown
 *   workspace is undocumented; the msg is the text seen with 4101 on coze.com (§5.1).
 * - `data: {items: [{workflow_id, workflow_name, description, icon_url, app_id, created_at,
 *   updated_at, creator:{id,name}}], has_more}`, created_at / updated_at as STRINGS (the list doc's
 *   example), items in catalogue order.
 * - There is NO name / keyword filter (none in the doc, coze-api.md §4 or cozepy): extra query
 *   parameters such as `name`, `keyword` or `workflow_name` are ignored, as by any server that does
 *   not know them — a client searching by name must page through and filter itself.
 * - `unpublished_draft` = never published. ASSUMPTION: the doc's "草稿状态" could also mean
 *   "published, with unpublished changes"; the emulator has no such state.
 * - Without `app_id`, app-bound workflows are listed too. ASSUMPTION: whether the real list then
 *   shows only the workspace's own (app_id "0") workflows is undocumented.
 *
 * cloud `GET /v1/workflows/{workflow_id}` ([DOC:get_workflow_info], permission getMetaData):
 * - `data: {workflow_detail: {…the list keys, created_at/updated_at as NUMBERS (the info doc's
 *   example)}, input: {parameters}, output: {parameters, terminate_plan, content}}`; `input` and
 *   `output` only with `include_input_output=true` (Go ParseBool spellings accepted; another value
 *   → 4000, ASSUMPTION).
 * - an id not in the catalogue (and without `setWorkflowSchema`) → 4200 (ASSUMPTION msg text);
 *   a non-numeric id → 4000 (ASSUMPTION); a workflow of a workspace the account is not in → 4101.
 *   Drafts answer like published workflows (ASSUMPTION: getMetaData reads the draft's meta).
 *
 * Studio `GET /v1/workflows/{id}` [ST:backend/api/handler/coze/workflow_service.go OpenAPIGetWorkflowInfo,
 * backend/application/workflow/workflow.go OpenAPIGetWorkflowInfo, backend/types/errno/workflow.go]:
 * only the path `^/v1/workflows/[0-9]+$` is an Open-API path (others need a session cookie, see
 * dispatch.ts); there is no list route. It serves chatflow role settings, never a schema:
 * - chatflow with a role → HTTP 200 `{"data":{"role":{id, workflow_id, connector_id, avatar,
 *   description, onboarding_info, name, suggest_reply_info, background_image_info, audio_config,
 *   user_input_config, project_version}},"BaseResp":null}` — NO code / msg keys: the response struct's
 *   Code and Msg are omitempty pointers the handler never sets (coze-api.md §4 writes
 *   `{code,msg,data:{role}}`; the emulator follows the source). Chatflow without role (`studioRole:
 *   null`) → `{"BaseResp":null}`.
 * - not a chatflow → HTTP 200 `{"code":777777780,"msg":"ChatFlowRole operation failure: {cause}"}`:
 *   the error is made with vo.WrapError without a `cause` KV and the deferred WrapIfNeeded keeps it,
 *   so the placeholder stays literally in the message (derived from the source, not observed).
 * - unknown id → HTTP 200 `{"code":720702004,"msg":"workflow <id> not found, please check if the
 *   workflow exists and not deleted"}` (repository GetMeta → ErrWorkflowNotFound).
 * - an id beyond int64 → mustParseInt64 panics, recovered as 777777780 "ChatFlowRole operation
 *   failure: panic error: …".
 */
import { clone, defaultInput, defaultOutput, PERSONAL_WORKSPACE_ID } from './catalogue';
import type { Reply, RequestContext } from './core';
import { json } from './core';
import { cloudBadRequest, cloudError, cloudOk, goPanicMessage, parseIntError, studioPlain } from './dialect';
import { parseInt64Error, USER_ID } from './ids';
import type { CatalogueWorkflow, WorkflowParameter } from './types';
import { intParam } from './workspaces';

export const WORKFLOWS_LIST_PATH = '/v1/workflows';
export const CLOUD_WORKFLOW_INFO_PATH = /^\/v1\/workflows\/(?<workflow_id>[^/]+)$/;
export const STUDIO_WORKFLOW_INFO_PATH = /^\/v1\/workflows\/(?<workflow_id>[0-9]+)$/;

/** ASSUMPTION (§5.1 quotes only its start, seen on coze.com): the 4101 text. */
export const CLOUD_NO_PERMISSION_MSG = 'The token you entered is incorrect. Please double-check and try again.';
/** ASSUMPTION: 4200 text for an unknown workflow id (cf. run.ts CLOUD_UNPUBLISHED_MSG). */
export const CLOUD_WORKFLOW_NOT_FOUND_MSG = 'The requested resource does not exist. Please check the workflow_id and try again.';
export const STUDIO_CHATFLOW_ROLE_FAIL = 777777780;
export const STUDIO_WORKFLOW_NOT_FOUND = 720702004;

/** A known workflow: in the catalogue, or only given a schema (`setWorkflowSchema`). */
function findWorkflow(ctx: RequestContext, id: string): CatalogueWorkflow | undefined {
	const { state } = ctx;
	const w = state.catalogue.find((c) => c.workflow_id === id);
	if (w) return w;
	if (!state.schemas.has(id)) return undefined;
	return { workflow_id: id, workflow_name: `Workflow ${id}`, description: '', mode: 'workflow', published: true };
}

function inputOf(ctx: RequestContext, w: CatalogueWorkflow): Record<string, WorkflowParameter> {
	return clone(ctx.state.schemas.get(w.workflow_id) ?? w.input ?? defaultInput(w.mode ?? 'workflow'));
}

function canSee(ctx: RequestContext, workspaceId: string): boolean {
	return ctx.state.workspaces.some((w) => w.id === workspaceId);
}

/** The OpenAPIWorkflowBasic object; list: times as strings, info: as numbers. */
function basic(w: CatalogueWorkflow, timesAs: 'string' | 'number'): Record<string, unknown> {
	const now = Math.floor(Date.now() / 1000);
	const created = w.created_at ?? now;
	const updated = w.updated_at ?? created;
	return {
		workflow_id: w.workflow_id,
		workflow_name: w.workflow_name,
		description: w.description ?? '',
		icon_url: w.icon_url ?? '',
		app_id: w.app_id ?? '0',
		created_at: timesAs === 'string' ? String(created) : created,
		updated_at: timesAs === 'string' ? String(updated) : updated,
		creator: clone(w.creator ?? { id: USER_ID, name: 'Tester' }),
	};
}

// ====================================================================== cloud

const MODES = new Set(['workflow', 'chatflow']);
const PUBLISH_STATUSES = new Set(['published_online', 'unpublished_draft', 'all']);

export function workflowsListHandler(ctx: RequestContext): Reply {
	const { logId, state } = ctx;
	const q = ctx.recorded.query;
	const workspaceId = q.workspace_id ?? '';
	const pageNum = q.page_num === undefined ? undefined : intParam(q.page_num, 1);
	const pageSize = intParam(q.page_size, 10);
	const mode = q.workflow_mode ?? '';
	const status = q.publish_status === undefined || q.publish_status === '' ? 'published_online' : q.publish_status;
	if (
		workspaceId === '' ||
		pageNum === undefined ||
		pageNum < 1 ||
		pageSize === undefined ||
		pageSize < 1 ||
		pageSize > 30 ||
		(mode !== '' && !MODES.has(mode)) ||
		!PUBLISH_STATUSES.has(status)
	) {
		return cloudBadRequest(logId);
	}
	if (!canSee(ctx, workspaceId)) return cloudError(logId, 4101, CLOUD_NO_PERMISSION_MSG);

	const appId = q.app_id ?? '';
	const matching = state.catalogue.filter(
		(w) =>
			(w.workspace_id ?? PERSONAL_WORKSPACE_ID) === workspaceId &&
			(mode === '' || (w.mode ?? 'workflow') === mode) &&
			(status === 'all' || (status === 'published_online') === (w.published ?? true)) &&
			(appId === '' || (w.app_id ?? '0') === appId),
	);
	const from = (pageNum - 1) * pageSize;
	const items = matching.slice(from, from + pageSize).map((w) => basic(w, 'string'));
	return cloudOk(logId, { data: { items, has_more: from + pageSize < matching.length } });
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function cloudWorkflowInfoHandler(ctx: RequestContext): Reply {
	const { logId } = ctx;
	let id: string;
	try {
		id = decodeURIComponent(ctx.params.workflow_id);
	} catch {
		return cloudBadRequest(logId);
	}
	const flag = ctx.recorded.query.include_input_output;
	if (!/^\d+$/.test(id) || (flag !== undefined && flag !== '' && !TRUE.has(flag) && !FALSE.has(flag))) return cloudBadRequest(logId);
	const w = findWorkflow(ctx, id);
	if (!w) return cloudError(logId, 4200, CLOUD_WORKFLOW_NOT_FOUND_MSG);
	if (!canSee(ctx, w.workspace_id ?? PERSONAL_WORKSPACE_ID)) return cloudError(logId, 4101, CLOUD_NO_PERMISSION_MSG);

	const data: Record<string, unknown> = { workflow_detail: basic(w, 'number') };
	if (flag !== undefined && TRUE.has(flag)) {
		data.input = { parameters: inputOf(ctx, w) };
		data.output = clone(w.output ?? defaultOutput());
	}
	return cloudOk(logId, { data });
}

// ====================================================================== studio

/** The ChatFlowRole convertChatFlowRole builds: every key present, unset pointers null, connector_id ''. */
function defaultStudioRole(w: CatalogueWorkflow): Record<string, unknown> {
	const roleId = (7568000000000000000n + (BigInt(w.workflow_id) % 1000000000000000n)).toString();
	return {
		id: roleId,
		workflow_id: w.workflow_id,
		connector_id: '',
		avatar: null,
		description: w.description ?? '',
		onboarding_info: {
			prologue: `你好，我是${w.workflow_name}。Hello, how can I help?`,
			suggested_questions: ['你能做什么？', 'What can you do?'],
			display_all_suggestions: false,
		},
		name: w.workflow_name,
		suggest_reply_info: null,
		background_image_info: null,
		audio_config: null,
		user_input_config: null,
		project_version: null,
	};
}

export function studioWorkflowInfoHandler(ctx: RequestContext): Reply {
	const raw = ctx.params.workflow_id;
	const fail = (cause: string): Reply => studioPlain(200, STUDIO_CHATFLOW_ROLE_FAIL, `ChatFlowRole operation failure: ${cause}`);
	const why = parseInt64Error(raw);
	if (why) return fail(goPanicMessage(parseIntError(raw, why)));
	const id = BigInt(raw).toString(); // ParseInt: leading zeros are fine
	const w = findWorkflow(ctx, id);
	if (!w) {
		return studioPlain(200, STUDIO_WORKFLOW_NOT_FOUND, `workflow ${id} not found, please check if the workflow exists and not deleted`);
	}
	if ((w.mode ?? 'workflow') !== 'chatflow') return fail('{cause}');
	if (w.studioRole === null) return json(200, { BaseResp: null });
	return json(200, { data: { role: clone(w.studioRole ?? defaultStudioRole(w)) }, BaseResp: null });
}
