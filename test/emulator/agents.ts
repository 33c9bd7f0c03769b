/**
 * Agent (bot) listings and info (coze-api.md §10.7, §10.6 "Studio bots / files"), and cloud's
 * `GET /v1/files/retrieve` (§10.5).
 *
 * - cloud `GET /v1/bots?workspace_id&publish_status&page_num&page_size` → data {items:[{id,name,description,
 *   icon_url,is_published,published_at?,updated_at,owner_user_id}], total} [JS:resources/bots/bots.ts listNew].
 *   ASSUMPTIONS: publish_status default `published_online` (values all | published_online | published_draft |
 *   unpublished_draft [JS:bots.ts]; published_draft = published ones too, the emulator has no edited drafts);
 *   workspace_id missing → 4000; page_size default 20, 1…100 else 4000; unknown workspace → empty list.
 * - cloud `GET /v1/space/published_bots_list?space_id&page_index&page_size` → data {space_bots:[{bot_id,bot_name,
 *   description,icon_url,publish_time (string)}], total} [JS:bots/bots.ts list]; published only; ASSUMPTION:
 *   page_index default 1, page_size default 20, space_id missing → 4000.
 * - both `GET /v1/bots/{id}` [JS:bots.ts retrieveNew] [ST:api/model/app/bot_open_api/bot_open_api.go OpenGetBotInfoResponse]
 *   and `GET /v1/bot/get_online_info?bot_id` [JS:bots.ts retrieve] [ST:…/bot_open_api.go GetBotOnlineInfoResp] →
 *   data BotInfo {bot_id,name,description,icon_url,create_time,update_time,version,prompt_info,onboarding_info,
 *   bot_mode,plugin_info_list,model_info,knowledge,shortcut_commands,workflow_info_list}. ASSUMPTIONS: unknown (or, for
 *   get_online_info, unpublished) bot → cloud 4200 "bot not found"; Studio HTTP 200 {code:103100002,msg:"agent not exists"}.
 * - cloud `GET /v1/files/retrieve?file_id` → data {id,bytes,created_at,file_name} of an earlier upload
 *   [JS:resources/files/files.ts] [PY:files/__init__.py]; ASSUMPTION: unknown → 4200 "file not found", missing → 4000.
 *   Studio has none of the list routes nor files/retrieve [ST:api/router/coze/api.go] (dispatch.ts: session 401).
 */
import type { CatalogueAgent } from './agentTypes';
import type { Reply, RequestContext } from './core';
import { json } from './core';
import { cloudBadRequest, cloudError, cloudOk, studioPlain } from './dialect';
import { USER_ID } from './ids';
import { STUDIO_CONV_ERR } from './agentModel';

export const BOTS_LIST_PATH = '/v1/bots';
export const PUBLISHED_BOTS_PATH = '/v1/space/published_bots_list';
export const BOT_INFO_PATH = /^\/v1\/bots\/(?<bot_id>[0-9]+)$/;
export const BOT_ONLINE_INFO_PATH = '/v1/bot/get_online_info';
export const FILE_RETRIEVE_PATH = '/v1/files/retrieve';

function intParam(v: string | undefined, dflt: number, max: number): number | undefined {
	if (v === undefined || v === '') return dflt;
	if (!/^\d+$/.test(v)) return undefined;
	const n = Number(v);
	return n >= 1 && n <= max ? n : undefined;
}

export function botsListHandler(ctx: RequestContext): Reply {
	const q = ctx.recorded.query;
	const pageNum = intParam(q.page_num, 1, Number.MAX_SAFE_INTEGER);
	const pageSize = intParam(q.page_size, 20, 100);
	const status = q.publish_status ?? 'published_online';
	const statuses = ['all', 'published_online', 'published_draft', 'unpublished_draft'];
	if (!q.workspace_id || pageNum === undefined || pageSize === undefined || !statuses.includes(status)) return cloudBadRequest(ctx.logId);
	const all = ctx.state.agents.catalogue.filter(
		(a) => a.workspaceId === q.workspace_id && (status === 'all' || (status === 'unpublished_draft' ? !a.published : a.published)),
	);
	const items = all.slice((pageNum - 1) * pageSize, pageNum * pageSize).map((a) => ({
		id: a.id,
		name: a.name,
		description: a.description,
		icon_url: a.iconUrl,
		is_published: a.published,
		...(a.publishedAt !== undefined ? { published_at: a.publishedAt } : {}),
		updated_at: a.updatedAt,
		owner_user_id: USER_ID,
	}));
	return cloudOk(ctx.logId, { data: { items, total: all.length } });
}

export function publishedBotsHandler(ctx: RequestContext): Reply {
	const q = ctx.recorded.query;
	const pageIndex = intParam(q.page_index, 1, Number.MAX_SAFE_INTEGER);
	const pageSize = intParam(q.page_size, 20, 100);
	if (!q.space_id || pageIndex === undefined || pageSize === undefined) return cloudBadRequest(ctx.logId);
	const all = ctx.state.agents.catalogue.filter((a) => a.workspaceId === q.space_id && a.published);
	const space_bots = all.slice((pageIndex - 1) * pageSize, pageIndex * pageSize).map((a) => ({
		bot_id: a.id,
		bot_name: a.name,
		description: a.description,
		icon_url: a.iconUrl,
		publish_time: String(a.publishedAt ?? 0),
	}));
	return cloudOk(ctx.logId, { data: { space_bots, total: all.length } });
}

function botInfo(a: CatalogueAgent): Record<string, unknown> {
	return {
		bot_id: a.id,
		name: a.name,
		description: a.description,
		icon_url: a.iconUrl,
		create_time: a.createdAt,
		update_time: a.updatedAt,
		version: String(a.publishedAt ?? a.updatedAt),
		prompt_info: { prompt: a.prompt },
		onboarding_info: { prologue: a.prologue, suggested_questions: [...a.suggestedQuestions] },
		bot_mode: 0,
		plugin_info_list: [],
		model_info: { model_id: '1737521813', model_name: 'Emulator model' },
		knowledge: { dataset_ids: [], auto_call: true, search_strategy: 0 },
		shortcut_commands: [],
		workflow_info_list: [],
	};
}

function infoReply(ctx: RequestContext, botId: string | undefined, publishedOnly: boolean): Reply {
	const a = ctx.state.agents.catalogue.find((x) => x.id === botId && (!publishedOnly || x.published));
	if (ctx.state.dialect === 'cloud') {
		if (!botId) return cloudBadRequest(ctx.logId);
		return a ? cloudOk(ctx.logId, { data: botInfo(a) }) : cloudError(ctx.logId, 4200, 'bot not found');
	}
	if (!botId) return studioPlain(400, 400, "'bot_id' is a required parameter");
	return a ? json(200, { data: botInfo(a), code: 0, msg: '' }) : studioPlain(200, STUDIO_CONV_ERR.agentNotExists, 'agent not exists');
}

export function botInfoHandler(ctx: RequestContext): Reply {
	return infoReply(ctx, ctx.params.bot_id, ctx.recorded.query.is_published === 'true');
}

export function botOnlineInfoHandler(ctx: RequestContext): Reply {
	return infoReply(ctx, ctx.recorded.query.bot_id, true);
}

export function fileRetrieveHandler(ctx: RequestContext): Reply {
	const id = ctx.recorded.query.file_id;
	if (!id) return cloudBadRequest(ctx.logId);
	const u = ctx.state.uploads.find((x) => x.id === id);
	if (!u) return cloudError(ctx.logId, 4200, 'file not found');
	return cloudOk(ctx.logId, { data: { id: u.id, bytes: u.size, created_at: u.createdAt, file_name: u.fileName } });
}
