/**
 * Per-dialect request pipelines: which routes exist, what happens before a route runs (auth,
 * Studio's nginx / session layers) and what an unknown path gets. New endpoint families add
 * their routes to CLOUD_ROUTES / STUDIO_ROUTES.
 */
import {
	AGENT_CHAT_PATH,
	agentChatHandler,
	CHAT_CANCEL_PATH,
	CHAT_MESSAGES_PATH,
	CHAT_RETRIEVE_PATH,
	chatCancelHandler,
	chatMessagesHandler,
	chatRetrieveHandler,
	SUBMIT_TOOL_OUTPUTS_PATH,
	submitToolOutputsHandler,
} from './agentChat';
import {
	BOT_INFO_PATH,
	BOT_ONLINE_INFO_PATH,
	botInfoHandler,
	botOnlineInfoHandler,
	BOTS_LIST_PATH,
	botsListHandler,
	FILE_RETRIEVE_PATH,
	fileRetrieveHandler,
	PUBLISHED_BOTS_PATH,
	publishedBotsHandler,
} from './agents';
import {
	CONVERSATION_CLEAR_PATH,
	CONVERSATION_CREATE_PATH,
	CONVERSATION_MESSAGES_PATH,
	CONVERSATION_RETRIEVE_PATH,
	conversationClearHandler,
	conversationCreateHandler,
	conversationMessagesHandler,
	conversationRetrieveHandler,
	CONVERSATIONS_LIST_PATH,
	conversationsListHandler,
} from './conversations';
import { cloudAuth, isStudioOpenApiPath, studioAuth, studioSession } from './auth';
import { SPEECH_PATH, speechHandler, TRANSCRIPTIONS_PATH, transcriptionsHandler, VOICES_PATH, voicesHandler } from './audio';
import {
	DATASET_IMAGES_PATH,
	DATASET_PROCESS_PATH,
	DATASETS_PATH,
	datasetsListHandler,
	IMAGE_CAPTION_PATH,
	imageCaptionHandler,
	imagesListHandler,
	processHandler,
} from './knowledge';
import {
	DOCUMENT_CREATE_PATH,
	DOCUMENT_DELETE_PATH,
	DOCUMENT_LIST_PATH,
	DOCUMENT_UPDATE_PATH,
	documentCreateHandler,
	documentDeleteHandler,
	documentListHandler,
	documentUpdateHandler,
} from './knowledgeDocuments';
import type { Reply, RequestContext } from './core';
import { CHAT_PATH, chatHandler } from './chat';
import { json } from './core';
import { cloudUploadHandler, STUDIO_STORAGE_PREFIX, studioBodyTooLarge, studioStorageHandler, studioUploadHandler, UPLOAD_PATH } from './files';
import { CLOUD_HISTORY_PATH, cloudHistoryHandler, STUDIO_HISTORY_PATH, studioHistoryHandler } from './history';
import { OAUTH_TOKEN_PATH, oauthTokenHandler } from './oauth';
import { WORKFLOWS_RESUME_PATH, workflowsResumeHandler } from './resume';
import type { Route } from './router';
import { Router } from './router';
import { RUN_PATH, runHandler } from './run';
import { STREAM_RESUME_PATH, STREAM_RUN_PATH, streamResumeHandler, streamRunHandler } from './stream';
import {
	CLOUD_WORKFLOW_INFO_PATH,
	cloudWorkflowInfoHandler,
	STUDIO_WORKFLOW_INFO_PATH,
	studioWorkflowInfoHandler,
	WORKFLOWS_LIST_PATH,
	workflowsListHandler,
} from './workflows';
import { WORKSPACES_PATH, workspacesHandler } from './workspaces';

/**
 * Agent routes both dialects serve (agentChat.ts, conversations.ts, agents.ts); Studio's exact list
 * [ST:api/router/coze/api.go]: retrieve is GET only there, and it has no submit_tool_outputs, bots list,
 * published_bots_list or files/retrieve (dispatchStudio: not on the Open-API allow-list → session 401).
 */
const AGENT_ROUTES_BOTH: Route[] = [
	{ method: 'POST', path: AGENT_CHAT_PATH, handler: agentChatHandler },
	{ method: 'GET', path: CHAT_RETRIEVE_PATH, handler: chatRetrieveHandler },
	{ method: 'GET', path: CHAT_MESSAGES_PATH, handler: chatMessagesHandler },
	{ method: 'POST', path: CHAT_CANCEL_PATH, handler: chatCancelHandler },
	{ method: 'POST', path: CONVERSATION_CREATE_PATH, handler: conversationCreateHandler },
	{ method: 'GET', path: CONVERSATION_RETRIEVE_PATH, handler: conversationRetrieveHandler },
	{ method: 'POST', path: CONVERSATION_MESSAGES_PATH, handler: conversationMessagesHandler },
	{ method: 'POST', path: CONVERSATION_CLEAR_PATH, handler: conversationClearHandler },
	{ method: 'GET', path: CONVERSATIONS_LIST_PATH, handler: conversationsListHandler },
	{ method: 'GET', path: BOT_INFO_PATH, handler: botInfoHandler },
	{ method: 'GET', path: BOT_ONLINE_INFO_PATH, handler: botOnlineInfoHandler },
];

/**
 * Knowledge routes both dialects have [ST:api/router/coze/api.go] (knowledge.ts, knowledgeDocuments.ts); Studio's
 * /open_api/… ones only past nginx with KnowledgeOptions.studioDocumentRoute `direct` (dispatchStudio).
 */
const KNOWLEDGE_ROUTES_BOTH: Route[] = [
	{ method: 'GET', path: DATASETS_PATH, handler: datasetsListHandler },
	{ method: 'POST', path: DATASET_PROCESS_PATH, handler: processHandler },
	{ method: 'GET', path: DATASET_IMAGES_PATH, handler: imagesListHandler },
	{ method: 'POST', path: DOCUMENT_CREATE_PATH, handler: documentCreateHandler },
	{ method: 'POST', path: DOCUMENT_LIST_PATH, handler: documentListHandler },
	{ method: 'POST', path: DOCUMENT_UPDATE_PATH, handler: documentUpdateHandler },
	{ method: 'POST', path: DOCUMENT_DELETE_PATH, handler: documentDeleteHandler },
];

/** nginx's own 405 page for a POST to a static location (its title says `Not Allowed`); no log id. */
const NGINX_405: Reply = {
	kind: 'raw',
	status: 405,
	body: '<html>\r\n<head><title>405 Not Allowed</title></head>\r\n<body>\r\n<center><h1>405 Not Allowed</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
	contentType: 'text/html',
	noLogId: true,
};

/** Studio lacks these cloud routes [ST:api/router/coze/api.go]: image caption PUT, every /v1/audio/* (KnowledgeOptions.studioMissingRoute). */
function isStudioMissingRoute(path: string): boolean {
	return IMAGE_CAPTION_PATH.test(path) || path.startsWith('/v1/audio/');
}

/** cloud routes answered WITHOUT the Bearer auth: the OAuth token endpoint (its Bearer is a JWT, oauth.ts). */
export const CLOUD_PUBLIC_ROUTES = new Router().add({ method: 'POST', path: OAUTH_TOKEN_PATH, handler: oauthTokenHandler });

export const CLOUD_ROUTES = new Router().add(
	{ method: 'POST', path: RUN_PATH, handler: runHandler },
	{ method: 'POST', path: STREAM_RUN_PATH, handler: streamRunHandler },
	{ method: 'POST', path: STREAM_RESUME_PATH, handler: streamResumeHandler },
	{ method: 'POST', path: WORKFLOWS_RESUME_PATH, handler: workflowsResumeHandler },
	{ method: 'POST', path: CHAT_PATH, handler: chatHandler },
	{ method: 'GET', path: CLOUD_HISTORY_PATH, handler: cloudHistoryHandler },
	{ method: 'GET', path: WORKSPACES_PATH, handler: workspacesHandler },
	{ method: 'GET', path: WORKFLOWS_LIST_PATH, handler: workflowsListHandler },
	{ method: 'GET', path: CLOUD_WORKFLOW_INFO_PATH, handler: cloudWorkflowInfoHandler },
	{ method: 'POST', path: UPLOAD_PATH, handler: cloudUploadHandler },
	...AGENT_ROUTES_BOTH,
	// cloud only: retrieve also by POST (what both SDKs send), tool outputs, listings, files/retrieve.
	{ method: 'POST', path: CHAT_RETRIEVE_PATH, handler: chatRetrieveHandler },
	{ method: 'POST', path: SUBMIT_TOOL_OUTPUTS_PATH, handler: submitToolOutputsHandler },
	{ method: 'GET', path: BOTS_LIST_PATH, handler: botsListHandler },
	{ method: 'GET', path: PUBLISHED_BOTS_PATH, handler: publishedBotsHandler },
	{ method: 'GET', path: FILE_RETRIEVE_PATH, handler: fileRetrieveHandler },
	...KNOWLEDGE_ROUTES_BOTH,
	{ method: 'PUT', path: IMAGE_CAPTION_PATH, handler: imageCaptionHandler },
	// audio: cloud only (audio.ts)
	{ method: 'POST', path: SPEECH_PATH, handler: speechHandler },
	{ method: 'POST', path: TRANSCRIPTIONS_PATH, handler: transcriptionsHandler },
	{ method: 'GET', path: VOICES_PATH, handler: voicesHandler },
);

/**
 * No /v1/workflows/resume, /v1/workflows/{id}/run_histories/…, /v1/workspaces or GET /v1/workflows
 * (list) on Studio (see dispatchStudio for what they get); GET /v1/workflows/{id} answers chatflow
 * roles only (workflows.ts).
 */
export const STUDIO_ROUTES = new Router().add(
	{ method: 'POST', path: RUN_PATH, handler: runHandler },
	{ method: 'POST', path: STREAM_RUN_PATH, handler: streamRunHandler },
	{ method: 'POST', path: STREAM_RESUME_PATH, handler: streamResumeHandler },
	{ method: 'POST', path: CHAT_PATH, handler: chatHandler },
	{ method: 'GET', path: STUDIO_HISTORY_PATH, handler: studioHistoryHandler },
	{ method: 'GET', path: STUDIO_WORKFLOW_INFO_PATH, handler: studioWorkflowInfoHandler },
	{ method: 'POST', path: UPLOAD_PATH, handler: studioUploadHandler },
	...AGENT_ROUTES_BOTH,
	...KNOWLEDGE_ROUTES_BOTH,
);

/**
 * Request paths that can start or continue a run (CozeEmulator.runRequestsOf, by workflow_id; faults.ts:
 * latency, faults, in-flight counts and the account rate limit). Agent chats are runs too: `/v3/chat`
 * (keyed by its bot_id) and `/v3/chat/submit_tool_outputs` (by the chat's bot) — agentChat.ts agentRunSubject.
 */
export const RUN_REQUEST_PATHS = new Set([RUN_PATH, STREAM_RUN_PATH, STREAM_RESUME_PATH, WORKFLOWS_RESUME_PATH, CHAT_PATH, AGENT_CHAT_PATH, SUBMIT_TOOL_OUTPUTS_PATH]);

/**
 * cloud: unknown path or method → 404 (the path is matched exactly as sent: `//v1/…` is unknown). ASSUMPTION: api.coze.cn's 404 body is undocumented; a
 * plain-text `404 page not found` (with the log-id header) stands in. Known paths authenticate first,
 * except CLOUD_PUBLIC_ROUTES (`POST /api/permission/oauth2/token`; other methods on it → 404).
 * Studio has no such route: its `/api/…` paths need a session cookie (see dispatchStudio).
 */
export async function dispatchCloud(ctx: RequestContext): Promise<Reply> {
	const pub = CLOUD_PUBLIC_ROUTES.match(ctx.recorded.method, ctx.recorded.path);
	if (pub) return pub.route.handler(ctx);
	const m = CLOUD_ROUTES.match(ctx.recorded.method, ctx.recorded.path);
	if (!m) return { kind: 'raw', status: 404, body: '404 page not found', contentType: 'text/plain; charset=utf-8' };
	const denied = cloudAuth(ctx);
	if (denied) return denied;
	ctx.params = m.params;
	return m.route.handler(ctx);
}

const STUDIO_INDEX_HTML =
	'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Coze Studio</title></head>' +
	'<body><div id="root"></div></body></html>';

/**
 * studio, as deployed by its docker compose (nginx in front of the Hertz server):
 * 0. Repeated slashes are collapsed (nginx location matching and Hertz's normalized URI path).
 * 1. nginx proxies only `^/(api|v[1-3]|admin)(/|$)` to the server and `/local_storage/…` to MinIO
 *    (uploaded files, files.ts); any other path gets the web app's index.html with HTTP 200
 *    (try_files … /index.html) — no X-Log-ID, the server never saw it.
 * 1b. Hertz refuses a request body over its MAX_REQUEST_BODY_SIZE (`uploadLimits.maxBytes`) with
 *    HTTP 413 before any middleware (files.ts).
 * 2. Hertz runs its global middlewares for every request, unknown routes included: Open-API
 *    paths authenticate by API key, all other paths need a session cookie (→ 401 without one).
 *    So `GET /v1/workspaces` with only a Bearer key answers HTTP 401
 *    `{"code":401,"msg":"missing session_key in cookie"}` (not a 404).
 * 3. No route: NoRoute answers `/api/`, `/v1/`, `/v3/` paths with HTTP 404 `{"code":404,"msg":"not found"}`
 *    and everything else with index.html. Method mismatches are NoRoute too (Hertz default).
 * 1c. `/open_api/…` (the knowledge document routes) is not proxied by that nginx: a POST to its static
 *    `location /` gets nginx's 405 page [ISS:coze-dev/coze-studio#2355], a GET index.html — unless
 *    KnowledgeOptions.studioDocumentRoute is `direct` (the client reaches coze-server itself: normal pipeline).
 * 2b. Routes Studio lacks (image caption PUT, /v1/audio/*) get step 2's 401; with KnowledgeOptions.studioMissingRoute
 *    `notFound404`, NoRoute's 404 instead (sources leave open whether the session middleware runs first).
 * [ST:docker/nginx/conf.d/default.conf, backend/main.go, backend/api/router/register.go]
 */
export async function dispatchStudio(ctx: RequestContext): Promise<Reply> {
	const path = ctx.recorded.path.replace(/\/{2,}/g, '/'); // nginx (merge_slashes) and Hertz (URI().Path() normalization) both collapse //
	if (path.startsWith(STUDIO_STORAGE_PREFIX)) return studioStorageHandler(ctx, path);
	const direct = ctx.state.knowledge.options.studioDocumentRoute === 'direct' && path.startsWith('/open_api/');
	if (!direct && path.startsWith('/open_api/') && ctx.recorded.method !== 'GET' && ctx.recorded.method !== 'HEAD') return NGINX_405;
	if (!direct && !/^\/(api|v[1-3]|admin)(\/|$)/.test(path)) {
		return { kind: 'raw', status: 200, body: STUDIO_INDEX_HTML, contentType: 'text/html', noLogId: true };
	}
	const tooLarge = studioBodyTooLarge(ctx);
	if (tooLarge) return tooLarge;
	if (ctx.state.knowledge.options.studioMissingRoute === 'notFound404' && isStudioMissingRoute(path)) return json(404, { code: 404, msg: 'not found' });
	const denied = isStudioOpenApiPath(path) ? studioAuth(ctx) : studioSession(ctx);
	if (denied) return denied;
	const m = STUDIO_ROUTES.match(ctx.recorded.method, path);
	if (!m) {
		if (/^\/(api|v1|v3)\//.test(path)) return json(404, { code: 404, msg: 'not found' });
		return { kind: 'raw', status: 200, body: STUDIO_INDEX_HTML, contentType: 'text/html; charset=utf-8' };
	}
	ctx.params = m.params;
	return m.route.handler(ctx);
}
