/**
 * `POST /v3/chat` request parsing of both dialects (coze-api.md §10.1, §10.6). Errors come in two
 * levels: `bind` (Studio: HTTP 400 `{code:400,msg}` before the handler runs, stream or not) and
 * `app` (Studio: errno folded into msg — stream → HTTP 200 `event:error` {code:103100001,msg},
 * non-stream → HTTP 400 {code:400,msg} [ST:api/handler/coze/agent_run_service.go ChatV3]).
 * cloud answers both levels with HTTP 200 JSON `{code,msg,detail}` (stream requests too: the SDK
 * reads a JSON content type as an error envelope [JS:core.ts]).
 *
 * cloud ASSUMPTIONS (the docs give fields, not error codes): every malformed field → 4000 "Request
 * parameter error" (bot_id / user_id missing, additional_messages not an array or over 100, a
 * message that is not an object, role not user|assistant, content not a string, content_type not
 * text|object_string|card, object_string content that is not a JSON array of objects, an image/file
 * item with neither file_id nor file_url); a JSON-number file_id is accepted; stream defaults to false.
 * Studio [ST:application/conversation/openapi_agent_run.go parseAdditionalMessages, ST:api/model/conversation/run/run.go]:
 * bot_id `,string,required` (missing / "0" / a number → bind 400; message texts ASSUMPTION), user_id
 * required (bind 400), stream default true, role / type checks → app 103000000 (ASSUMPTION: which
 * errno), text with empty content skipped, `card` dropped, invalid object_string JSON skipped,
 * a JSON-number file_id drops the message (int64 `,string`), audio items ignored, object_string
 * with type answer → app 103000000; other content_type → app 103000000 (ASSUMPTION).
 * Both: only the QUERY's conversation_id is read (a body conversation_id is ignored → new conversation).
 */
import type { UserTurn } from './agentModel';
import { STUDIO_CONV_ERR } from './agentModel';
import type { RequestContext } from './core';
import { isJsonObject } from './json';

export interface EnterMessage {
	role: 'user' | 'assistant';
	type: string;
	content: string;
	contentType: string;
	metaData: Record<string, string>;
}

export interface ParsedChat {
	botId: string;
	userId: string;
	stream: boolean;
	messages: EnterMessage[];
	turn: UserTurn;
	metaData?: Record<string, string>;
	/** The query's conversation_id, if any. */
	conversationId?: string;
}

export interface ChatError {
	level: 'bind' | 'app';
	cloudCode: number;
	errno: number;
	msg: string;
}

const bad = (msg: string, level: ChatError['level'] = 'bind', errno: number = STUDIO_CONV_ERR.invalidParam): { error: ChatError } => ({
	error: { level, cloudCode: 4000, errno, msg },
});

const strMap = (v: unknown): Record<string, string> | undefined => {
	if (!isJsonObject(v)) return undefined;
	const out: Record<string, string> = {};
	for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
	return out;
};

/** object_string items → text + attachments; undefined = invalid (cloud error / Studio skip), 'drop' = Studio drops the message. */
function objectItems(content: string, studio: boolean): { text: string; attachments: string[] } | undefined | 'drop' {
	let items: unknown;
	try {
		items = JSON.parse(content);
	} catch {
		return undefined;
	}
	if (!Array.isArray(items)) return undefined;
	const texts: string[] = [];
	const attachments: string[] = [];
	for (const it of items) {
		if (!isJsonObject(it)) return undefined;
		if (it.type === 'text') {
			if (typeof it.text === 'string') texts.push(it.text);
			continue;
		}
		if (it.type !== 'image' && it.type !== 'file') {
			if (studio) continue; // audio and unknown types ignored [ST:…/openapi_agent_run.go parseQueryContent]
			if (it.type === 'audio') continue;
			return undefined;
		}
		if (typeof it.file_id === 'number') {
			if (studio) return 'drop'; // int64 `json:"file_id,string"`: a bare number fails to unmarshal the content [ST:api/model/conversation/run/run.go]
		}
		const fid = typeof it.file_id === 'string' || typeof it.file_id === 'number' ? String(it.file_id) : '';
		const ref = fid !== '' ? fid : typeof it.file_url === 'string' ? it.file_url : '';
		if (ref === '') return undefined;
		attachments.push(`${it.type}:${ref}`);
	}
	return { text: texts.join(' '), attachments };
}

export function parseChatRequest(ctx: RequestContext): { req: ParsedChat } | { error: ChatError } {
	const studio = ctx.state.dialect === 'studio';
	const b = ctx.recorded.body;
	if (!isJsonObject(b)) return bad(studio ? 'failed to unmarshal request body' : 'Request parameter error');
	const botId = b.bot_id;
	if (studio) {
		if (botId !== undefined && typeof botId !== 'string') return bad(`json: cannot unmarshal ${typeof botId} into Go struct field ChatV3Request.bot_id of type string`);
		if (typeof botId === 'string' && botId !== '' && !/^\d+$/.test(botId)) return bad(`strconv.ParseInt: parsing ${JSON.stringify(botId)}: invalid syntax`);
		if (typeof botId !== 'string' || /^0*$/.test(botId)) return bad('bot_id is required');
		if (typeof b.parameters === 'string') return bad('parameters field should be an object, not a string'); // [ST:…/agent_run_service.go preprocessChatV3Parameters]
	} else if (typeof botId !== 'string' || botId === '') return bad('Request parameter error');
	const userId = b.user_id;
	if (typeof userId !== 'string' || userId === '') return bad(studio ? 'user_id is required' : 'Request parameter error');
	if (b.stream !== undefined && b.stream !== null && typeof b.stream !== 'boolean') return bad(studio ? 'failed to unmarshal request body: stream' : 'Request parameter error');
	const stream = typeof b.stream === 'boolean' ? b.stream : studio; // Studio: omitted → SSE [ST:…/agent_run_service.go ChatV3]; cloud ASSUMPTION false
	const raw = b.additional_messages;
	if (raw !== undefined && raw !== null && !Array.isArray(raw)) return bad(studio ? 'failed to unmarshal request body: additional_messages' : 'Request parameter error');
	const list: unknown[] = Array.isArray(raw) ? raw : [];
	if (!studio && list.length > 100) return bad('Request parameter error');
	const messages: EnterMessage[] = [];
	let turn: UserTurn = { text: '', attachments: [] };
	for (const m of list) {
		if (!isJsonObject(m)) return bad(studio ? 'failed to unmarshal request body: additional_messages' : 'Request parameter error');
		const role = m.role;
		const content = m.content ?? '';
		const ct = m.content_type ?? (content === '' ? 'text' : undefined);
		if (typeof content !== 'string') return bad(studio ? 'failed to unmarshal request body: content' : 'Request parameter error');
		if (role !== 'user' && role !== 'assistant') return bad(`invalid role: ${String(role)}`, 'app');
		if (m.type !== undefined && m.type !== null && m.type !== 'question' && m.type !== 'answer') {
			if (studio || typeof m.type !== 'string') return bad(`invalid message type: ${String(m.type)}`, 'app');
		}
		const type = typeof m.type === 'string' ? m.type : role === 'user' ? 'question' : 'answer';
		let parsedTurn: UserTurn | undefined;
		if (ct === 'text') {
			if (studio && content === '') continue;
			parsedTurn = { text: content, attachments: [] };
		} else if (ct === 'object_string') {
			if (studio && type === 'answer') return bad('object_string content is not allowed for answer messages', 'app');
			const items = objectItems(content, studio);
			if (items === 'drop') continue;
			if (items === undefined) {
				if (studio) continue; // invalid object_string JSON → silently skipped
				return bad('Request parameter error');
			}
			parsedTurn = { text: items.text, attachments: items.attachments };
		} else if (ct === 'card') {
			if (studio) continue; // card content is not parsed: dropped
			parsedTurn = { text: content, attachments: [] };
		} else {
			return bad(studio ? `invalid content type: ${String(ct)}` : 'Request parameter error', 'app');
		}
		messages.push({ role, type, content, contentType: ct, metaData: strMap(m.meta_data) ?? {} });
		if (role === 'user') turn = parsedTurn;
	}
	const cv = b.custom_variables;
	if (cv !== undefined && cv !== null && !isJsonObject(cv)) return bad(studio ? 'failed to unmarshal request body: custom_variables' : 'Request parameter error');
	const vars = strMap(cv);
	if (vars && Object.keys(vars).length > 0) turn = { ...turn, customVariables: vars };
	const q = ctx.recorded.query.conversation_id;
	return {
		req: {
			botId,
			userId,
			stream,
			messages,
			turn,
			metaData: strMap(b.meta_data),
			conversationId: q !== undefined && q !== '' ? q : undefined,
		},
	};
}
