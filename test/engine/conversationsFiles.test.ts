/**
 * The Coze node's Conversation, File and Workspace resources, and its editor methods, in n8n's
 * engine against the emulator, on both dialects (and what Coze Studio lacks, said clearly).
 */
import type { IDataObject, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import type { Dialect } from '../emulator';
import { DRAFT_AGENT_ID, ECHO_AGENT_ID } from '../emulator/agentCatalogue';
import { PERSONAL_WORKSPACE_ID } from '../emulator/catalogue';
import { chatParameters, COZE_ID, cozeParameters } from '../harness/agents';
import { callNodeMethod } from '../harness/engine';
import { DIALECTS, useNodeRuns } from '../harness/nodeRuns';
import { binaryItem, byId } from '../harness/parameters';

const TOKEN = 'pat_conversations_secret_token_0123456789';

describe('Coze → Conversation, File, Workspace', () => {
	const { emulators, run, credentialsFor } = useNodeRuns(TOKEN);

	describe.each<Dialect>(DIALECTS)('%s dialect', (dialect) => {
		// Coze Studio lists only questions and answers (§10.6); cloud as the emulator is told.
		beforeEach(() => emulators.cloud.setAgentOptions({ cloudConversationListTypes: 'questionAnswer', latencyMs: 20 }));
		beforeEach(() => emulators.studio.setAgentLatency(20));

		it('creates a conversation a Chat continues, lists its messages page by page in both orders, and clears its context', async () => {
			const created = await run(dialect, cozeParameters('conversation', 'create', { agentId: byId(ECHO_AGENT_ID) }, { metadata: { value: [{ name: 'customer', value: 'c-1' }] } }));
			expect(created.error).toBeUndefined();
			const conversationId = created.output[0].json.conversation_id as string;
			expect(conversationId).toMatch(COZE_ID);
			expect(created.output[0].json.id).toBe(conversationId);
			expect(emulators[dialect].requests.at(-1)?.body).toEqual({ bot_id: ECHO_AGENT_ID, meta_data: { customer: 'c-1' } });

			for (const text of ['one', 'two', 'three']) {
				const chat = await run(dialect, chatParameters(ECHO_AGENT_ID, text, { conversationId }));
				expect(chat.output[0].json.conversation_id).toBe(conversationId);
			}
			const newest = await run(dialect, cozeParameters('conversation', 'listMessages', { conversationId, returnAll: false, limit: 3 }));
			expect(newest.output.map((item) => item.json.content)).toEqual(['Echo: three (turn 3)', 'three', 'Echo: two (turn 2)']);
			expect(newest.output.every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0)).toBe(true);
			const oldest = await run(dialect, cozeParameters('conversation', 'listMessages', { conversationId, returnAll: true }, { order: 'asc' }));
			expect(oldest.output.map((item) => item.json.content).filter((content) => !String(content).startsWith('Echo'))).toEqual(['one', 'two', 'three']);

			const cleared = await run(dialect, cozeParameters('conversation', 'clear', { conversationId }));
			expect(cleared.output[0].json).toMatchObject({ conversation_id: conversationId, section_id: expect.stringMatching(/^\d+$/) });
			const fresh = await run(dialect, chatParameters(ECHO_AGENT_ID, 'again', { conversationId }));
			expect(fresh.output[0].json.answer).toBe('Echo: again (turn 1)');
		});

		it('pages through a long conversation with after_id = last_id', async () => {
			const first = await run(dialect, chatParameters(ECHO_AGENT_ID, 'm0'));
			const conversationId = first.output[0].json.conversation_id as string;
			for (let n = 1; n < 30; n++) await run(dialect, chatParameters(ECHO_AGENT_ID, `m${n}`, { conversationId }));
			const all = await run(dialect, cozeParameters('conversation', 'listMessages', { conversationId, returnAll: true }));
			expect(all.output).toHaveLength(60);
			const questions = all.output.map((item) => item.json).filter((message) => message.type === 'question');
			expect(questions.map((message) => message.content)).toEqual(Array.from({ length: 30 }, (_, n) => `m${29 - n}`));
			const lists = emulators[dialect].requests.filter((request) => request.path === '/v1/conversation/message/list');
			expect(lists.length).toBe(2);
			expect((lists[1].body as IDataObject).after_id).toBe((all.output[49].json as IDataObject).id);
		});

		it('uploads a file from binary data', async () => {
			const outcome = await run(dialect, cozeParameters('file', 'upload', { binaryPropertyName: 'data' }), [], {
				inputItems: [binaryItem({}, { data: { name: '报告 2026.pdf', mime: 'application/pdf', bytes: Buffer.from('%PDF-1.4') } })],
			});
			expect(outcome.error).toBeUndefined();
			expect(outcome.output[0].json).toMatchObject({ file_id: expect.stringMatching(/^\d+$/), file_name: '报告 2026.pdf', bytes: 8 });
		});

		it('names a missing binary property', async () => {
			const outcome = await run(dialect, cozeParameters('file', 'upload', { binaryPropertyName: 'photo' }));
			expect(outcome.error?.message).toBe('The item has no binary property "photo"');
		});
	});

	it('on Coze cloud, gets an uploaded file, lists workspaces and the published agents of one', async () => {
		const uploaded = await run('cloud', cozeParameters('file', 'upload', { binaryPropertyName: 'data' }), [], {
			inputItems: [binaryItem({}, { data: { name: 'a.txt', mime: 'text/plain', bytes: Buffer.from('hello') } })],
		});
		const fileId = uploaded.output[0].json.file_id as string;
		const got = await run('cloud', cozeParameters('file', 'get', { fileId }));
		expect(got.output[0].json).toMatchObject({ file_id: fileId, file_name: 'a.txt', bytes: 5 });

		const workspaces = await run('cloud', cozeParameters('workspace', 'list', { returnAll: true }));
		expect(workspaces.output.map((item) => item.json.id)).toEqual([PERSONAL_WORKSPACE_ID]);
		const agents = await run('cloud', cozeParameters('workspace', 'listAgents', { workspaceId: PERSONAL_WORKSPACE_ID, returnAll: true }));
		const ids = agents.output.map((item) => item.json.id);
		expect(ids).toContain(ECHO_AGENT_ID);
		expect(ids).not.toContain(DRAFT_AGENT_ID);
		const everything = await run('cloud', cozeParameters('workspace', 'listAgents', { workspaceId: PERSONAL_WORKSPACE_ID, returnAll: false, limit: 2 }, { publishedOnly: false }));
		expect(everything.output).toHaveLength(2);
	});

	it.each([
		['file', 'get', { fileId: '7431040978805850002' }, "Coze Studio cannot look up a file's info"],
		['workspace', 'list', { returnAll: true }, 'Coze Studio cannot list workspaces'],
		['workspace', 'listAgents', { workspaceId: '7561000000000000001', returnAll: true }, 'Coze Studio cannot list agents'],
	])('on Coze Studio, %s → %s says what Studio lacks, before sending anything', async (resource, operation, fields, message) => {
		const before = emulators.studio.requests.length;
		const outcome = await run('studio', cozeParameters(resource, operation, fields));
		expect(outcome.error?.message).toBe(message);
		expect(emulators.studio.requests.length).toBe(before);
	});

	it("the editor's agent list searches published agents by name, and Studio's says to give the ID", async () => {
		const found = await callNodeMethod<INodeListSearchResult>('listSearch', 'searchAgents', { resource: 'agent', operation: 'chat' }, credentialsFor('cloud'), ['客服']);
		expect(found.results.map((result) => result.value)).toEqual([ECHO_AGENT_ID]);
		const workspaces = await callNodeMethod<INodePropertyOptions[]>('loadOptions', 'getWorkspaces', { resource: 'agent', operation: 'chat' }, credentialsFor('cloud'));
		expect(workspaces.map((option) => option.value)).toEqual(['', PERSONAL_WORKSPACE_ID]);
		await expect(callNodeMethod('listSearch', 'searchAgents', { resource: 'agent', operation: 'chat' }, credentialsFor('studio'))).rejects.toThrow('Coze Studio has no API to list agents');
	});
});
