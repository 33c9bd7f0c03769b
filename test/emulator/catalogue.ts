/**
 * Default data of the catalogue endpoints (workspaces.ts, workflows.ts): the account's workspaces,
 * the workflows of the Personal workspace and the input schema of SCHEMA_WORKFLOW_ID. Everything
 * here is returned as fresh copies, so tests may mutate what they get.
 *
 * Default catalogue (DEFAULT_WORKFLOW_CATALOGUE): 75 workflows in the Personal workspace, ids
 * 7563000000000000001…075, newest first (updated_at descending — ASSUMPTION: the order of the
 * real list is undocumented; the emulator answers in catalogue order):
 * - #1 SCHEMA_WORKFLOW_ID "All input types 全类型输入", whose inputs cover every Coze type;
 * - #2…#75 named after 13 topics in English and Chinese ("Translate text 1", "翻译文档 1", …,
 *   "Invoice OCR 发票识别 6"), so a client-side name search has hits on several pages;
 * - chatflows: the "Customer support" and "客服问答" topics (CHATFLOW_ID is #8 "Customer support 1");
 * - never published: every 10th (#10, #20, … #70; DRAFT_WORKFLOW_ID is #10) → 68 published,
 *   i.e. 3 pages at page_size 30 with the default `publish_status=published_online`;
 * - bound to APP_ID: the "Invoice OCR 发票识别" topic (app_id `'0'` otherwise).
 */
import { SPACE_ID, USER_ID, WORKFLOW_BASE } from './ids';
import type { CatalogueWorkflow, Dialect, UploadLimits, Workspace, WorkflowOutput, WorkflowParameter } from './types';

/** The Personal workspace; also the `space_id` of every debug URL (ids.ts SPACE_ID). */
export const PERSONAL_WORKSPACE_ID = SPACE_ID;
export const TEAM_WORKSPACE_ID = '7561000000000000002';
/** The app the "Invoice OCR 发票识别" workflows belong to. */
export const APP_ID = '7566000000000000001';

/**
 * Exactly the workspace `GET /v1/workspaces` has always answered (test/emulator.test.ts pins its
 * keys and `total_count: 1` for the credential test).
 */
export const PERSONAL_WORKSPACE: Readonly<Workspace> = Object.freeze({
	id: PERSONAL_WORKSPACE_ID,
	name: 'Personal',
	icon_url: '',
	role_type: 'owner',
	workspace_type: 'personal',
	enterprise_id: '',
	joined_status: 'joined',
});

/** A team workspace with a Chinese name and the optional keys of [DOC:list_workspace]. */
export const TEAM_WORKSPACE: Readonly<Workspace> = Object.freeze({
	id: TEAM_WORKSPACE_ID,
	name: 'Team 团队',
	icon_url: 'https://coze-emulator.invalid/icon/team.png',
	role_type: 'admin',
	workspace_type: 'team',
	enterprise_id: '',
	joined_status: 'joined',
	owner_uid: '7562000000000000002',
	admin_uids: [USER_ID],
	description: '团队工作空间 (emulator)',
});

/**
 * The default list: the Personal workspace only. Kept at one workspace because
 * test/emulator.test.ts asserts `total_count: 1` for the credential test's request; use
 * `setWorkspaces(WORKSPACES_WITH_TEAM)` for two (Personal + "Team 团队").
 */
export const DEFAULT_WORKSPACES: readonly Workspace[] = Object.freeze([PERSONAL_WORKSPACE]);
export const WORKSPACES_WITH_TEAM: readonly Workspace[] = Object.freeze([PERSONAL_WORKSPACE, TEAM_WORKSPACE]);

const wfId = (n: number): string => (WORKFLOW_BASE + BigInt(n)).toString();

export const SCHEMA_WORKFLOW_ID = wfId(1);
export const DEFAULT_CATALOGUE_SIZE = 75;

/**
 * Inputs of SCHEMA_WORKFLOW_ID: every Coze type once, with required flags, descriptions and
 * default values (default_value is a string for every type, [DOC:get_workflow_info]). File kinds
 * are the sub-type in `type` (see types.ts WorkflowParameter).
 */
export const SCHEMA_WORKFLOW_INPUT: Readonly<Record<string, WorkflowParameter>> = deepFreeze({
	text: { type: 'string', required: true, description: '要处理的文本 Text to process', default_value: '' },
	count: { type: 'integer', required: false, description: 'How many results 结果数量', default_value: '3' },
	temperature: { type: 'number', required: false, description: 'Sampling temperature', default_value: '0.7' },
	verbose: { type: 'boolean', required: false, description: 'Explain the steps', default_value: 'false' },
	options: {
		type: 'object',
		required: false,
		description: 'Options 选项',
		default_value: '{"lang":"zh","max_tokens":256}',
		properties: {
			lang: { type: 'string', required: true, description: 'Target language' },
			max_tokens: { type: 'integer', required: false, description: 'Token budget' },
		},
	},
	tags: { type: 'array', required: false, description: 'Tags 标签', default_value: '["n8n","coze"]', items: { type: 'string' } },
	people: {
		type: 'array',
		required: false,
		description: 'People with a score',
		default_value: '',
		items: {
			type: 'object',
			properties: {
				name: { type: 'string', required: true },
				score: { type: 'number', required: false },
			},
		},
	},
	image: { type: 'image', required: true, description: '待识别的图片 Image to read', default_value: '' },
	document: { type: 'doc', required: false, description: 'A Word or PDF document', default_value: '' },
	attachment: { type: 'file', required: false, description: 'Any file', default_value: '' },
	photos: { type: 'array', required: false, description: 'Several images 多张图片', default_value: '', items: { type: 'image' } },
});

const DEFAULT_OUTPUT: WorkflowOutput = {
	parameters: { output: { type: 'string' } },
	terminate_plan: 'return_variables',
	// ASSUMPTION: [DOC:get_workflow_info] says `content` is returned only for use_answer_content; the
	// emulator always sends the key (empty otherwise), so a client must not rely on its absence.
	content: '',
};

const TOPICS: Array<{ name: string; chatflow?: boolean; app?: boolean; description: string }> = [
	{ name: 'Translate text', description: 'Translates text between languages' },
	{ name: '翻译文档', description: '把文档翻译成英文' },
	{ name: 'Summarize article', description: 'Summarizes a web article' },
	{ name: '文章摘要', description: '生成文章摘要' },
	{ name: 'Weekly report', description: 'Drafts the weekly report' },
	{ name: '周报生成', description: '根据日报生成周报' },
	{ name: 'Customer support', chatflow: true, description: 'Answers customer questions' },
	{ name: '客服问答', chatflow: true, description: '回答客户的问题' },
	{ name: 'Image caption', description: 'Describes an image' },
	{ name: '图片描述', description: '为图片生成描述' },
	{ name: 'Data cleaning', description: 'Cleans a CSV file' },
	{ name: '数据清洗', description: '清洗表格数据' },
	{ name: 'Invoice OCR 发票识别', app: true, description: 'Reads invoices 识别发票' },
];

const LATEST_UPDATE = 1752060827; // the doc example's updated_at

function defaultCatalogue(): CatalogueWorkflow[] {
	const out: CatalogueWorkflow[] = [];
	for (let n = 1; n <= DEFAULT_CATALOGUE_SIZE; n++) {
		const updated = LATEST_UPDATE - n * 3600;
		const base = { workflow_id: wfId(n), created_at: updated - 7 * 86400, updated_at: updated, creator: { id: USER_ID, name: '测试用户 Tester' } };
		if (n === 1) {
			out.push({
				...base,
				workflow_name: 'All input types 全类型输入',
				description: 'Every Start-node input type 每种输入类型',
				icon_url: 'https://coze-emulator.invalid/icon/workflow.png',
				app_id: '0',
				mode: 'workflow',
				published: true,
				input: clone(SCHEMA_WORKFLOW_INPUT),
			});
			continue;
		}
		const topic = TOPICS[(n - 2) % TOPICS.length];
		out.push({
			...base,
			workflow_name: `${topic.name} ${Math.floor((n - 2) / TOPICS.length) + 1}`,
			description: topic.description,
			icon_url: `https://coze-emulator.invalid/icon/${topic.chatflow ? 'chatflow' : 'workflow'}.png`,
			app_id: topic.app ? APP_ID : '0',
			mode: topic.chatflow ? 'chatflow' : 'workflow',
			published: n % 10 !== 0,
		});
	}
	return out;
}

/** A fresh copy of the default catalogue (exported frozen as DEFAULT_WORKFLOW_CATALOGUE). */
export function newDefaultCatalogue(): CatalogueWorkflow[] {
	return defaultCatalogue();
}

export const DEFAULT_WORKFLOW_CATALOGUE: readonly CatalogueWorkflow[] = deepFreeze(defaultCatalogue());
/** The first (published) chatflow of the default catalogue: #8 "Customer support 1". */
export const CHATFLOW_ID = wfId(8);
/** The first never-published workflow of the default catalogue: #10 (every 10th is a draft). */
export const DRAFT_WORKFLOW_ID = wfId(10);

/** Start-node inputs of a catalogue workflow that has none set. */
export function defaultInput(mode: 'workflow' | 'chatflow'): Record<string, WorkflowParameter> {
	if (mode === 'chatflow') {
		// As the [DOC:get_workflow_info] example of a chatflow.
		return {
			CONVERSATION_NAME: { required: false, description: '', default_value: '', type: 'string' },
			USER_INPUT: { type: 'string', required: false },
		};
	}
	return { input: { type: 'string', required: true, description: 'The input text 输入', default_value: '' } };
}

export function defaultOutput(): WorkflowOutput {
	return clone(DEFAULT_OUTPUT);
}

/** cloud 512 MiB per file (§3); studio 1 GiB per request body (Studio's docker .env MAX_REQUEST_BODY_SIZE). */
export const CLOUD_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
export const STUDIO_MAX_BODY_BYTES = 1024 * 1024 * 1024;

/**
 * Default upload limits. cloud refuses `.exe` (and application/x-msdownload) by default so the 4303
 * path works out of the box — ASSUMPTION: §3 lists the supported formats, but whether (and how: by
 * extension or by content) the server enforces that list is undocumented, so the emulator refuses
 * only what is listed here. Studio's UploadFileOpen checks no type at all, so it refuses nothing.
 */
export function defaultUploadLimits(dialect: Dialect): UploadLimits {
	return dialect === 'cloud'
		? { maxBytes: CLOUD_MAX_UPLOAD_BYTES, refusedExtensions: ['exe'], refusedMimeTypes: ['application/x-msdownload'] }
		: { maxBytes: STUDIO_MAX_BODY_BYTES, refusedExtensions: [], refusedMimeTypes: [] };
}

export function clone<T>(v: T): T {
	return structuredClone(v);
}

function deepFreeze<T>(v: T): T {
	if (typeof v === 'object' && v !== null) {
		for (const child of Object.values(v as Record<string, unknown>)) deepFreeze(child);
		Object.freeze(v);
	}
	return v;
}
