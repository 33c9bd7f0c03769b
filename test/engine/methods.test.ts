/**
 * What the editor asks the node for: the workflow picker (listSearch), the workspaces
 * (loadOptions) and a workflow's inputs as fields (resourceMapping), called through n8n-core's
 * LoadOptionsContext as the editor calls them, against the emulator over real HTTP.
 */
import type { INodeListSearchResult, INodeParameters, INodePropertyOptions, ResourceMapperFields } from 'n8n-workflow';

import type { Dialect } from '../emulator';
import { CHATFLOW_ID, DRAFT_WORKFLOW_ID, SCHEMA_WORKFLOW_ID, TEAM_WORKSPACE_ID, WORKSPACES_WITH_TEAM } from '../emulator';
import { callNodeMethod } from '../harness/engine';
import { useNodeRuns } from '../harness/nodeRuns';

describe('the editor', () => {
	const TOKEN = 'pat_catalog_secret_token_0123456789';
	const { emulators, credentialsFor: credentials } = useNodeRuns(TOKEN);

	const search = (parameters: INodeParameters, filter?: string, token?: string, dialect: Dialect = 'cloud') =>
		callNodeMethod<INodeListSearchResult>('listSearch', 'searchWorkflows', parameters, credentials(dialect), [filter, token]);

	describe('Workflow From List', () => {
		it('pages through the published workflows of every workspace', async () => {
			emulators.cloud.setWorkspaces(WORKSPACES_WITH_TEAM.map((w) => ({ ...w })));
			const seen: string[] = [];
			let token: string | undefined;
			let calls = 0;
			do {
				const page = await search({ operation: 'run' }, undefined, token);
				seen.push(...page.results.map((r) => String(r.value)));
				token = page.paginationToken;
				calls++;
			} while (token && calls < 20);
			expect(calls).toBeGreaterThan(1);
			expect(new Set(seen).size).toBe(seen.length);
			expect(seen).toContain(SCHEMA_WORKFLOW_ID);
			expect(seen).not.toContain(CHATFLOW_ID);
			expect(seen).not.toContain(DRAFT_WORKFLOW_ID);
			const listCalls = emulators.cloud.requests.filter((r) => r.path === '/v1/workflows');
			expect(listCalls.every((r) => r.query.publish_status === 'published_online' && r.query.workflow_mode === 'workflow')).toBe(true);
			expect(new Set(listCalls.map((r) => r.query.workspace_id)).size).toBe(2);
		});

		it('filters by name, shows chatflows only for Chat, and narrows to the chosen workspace', async () => {
			const found = await search({ operation: 'run' }, '翻译');
			expect(found.results.length).toBeGreaterThan(0);
			expect(found.results.every((r) => r.name.includes('翻译'))).toBe(true);

			const chatflows = await search({ operation: 'chat' });
			expect(chatflows.results.map((r) => r.value)).toContain(CHATFLOW_ID);
			expect(chatflows.results.map((r) => r.value)).not.toContain(SCHEMA_WORKFLOW_ID);

			emulators.cloud.reset();
			emulators.cloud.setWorkspaces(WORKSPACES_WITH_TEAM.map((w) => ({ ...w })));
			await search({ operation: 'run', workspaceId: TEAM_WORKSPACE_ID });
			expect(emulators.cloud.requests.filter((r) => r.path === '/v1/workspaces')).toHaveLength(0);
			expect(emulators.cloud.requests.find((r) => r.path === '/v1/workflows')?.query.workspace_id).toBe(TEAM_WORKSPACE_ID);
		});

		it('lists the workspaces for the Workspace field', async () => {
			emulators.cloud.setWorkspaces(WORKSPACES_WITH_TEAM.map((w) => ({ ...w })));
			const options = await callNodeMethod<INodePropertyOptions[]>('loadOptions', 'getWorkspaces', { operation: 'run' }, credentials('cloud'));
			expect(options.map((o) => o.value)).toEqual(['', ...WORKSPACES_WITH_TEAM.map((w) => w.id)]);
		});

		it('says that Coze Studio has no list, while By ID still works', async () => {
			await expect(search({ operation: 'run' }, undefined, undefined, 'studio')).rejects.toThrow('Coze Studio has no API to list workflows');
			const options = await callNodeMethod<INodePropertyOptions[]>('loadOptions', 'getWorkspaces', { operation: 'run' }, credentials('studio'));
			expect(options[0].name).toContain('Coze Studio Has No Workspace List');
		});
	});

	describe('Map Each Input', () => {
		it("loads the workflow's inputs as fields, with types and required flags", async () => {
			const fields = await callNodeMethod<ResourceMapperFields>(
				'resourceMapping',
				'getWorkflowInputs',
				{ operation: 'run', workflowId: { __rl: true, mode: 'id', value: SCHEMA_WORKFLOW_ID } },
				credentials('cloud'),
			);
			const byId = Object.fromEntries(fields.fields.map((f) => [f.id, f]));
			expect(byId.text).toMatchObject({ displayName: 'text (string)', type: 'string', required: true, removed: false });
			// Optional inputs start under "Add field": the mapper would send a shown boolean as false
			// (seen in the editor, #15), overriding the workflow's default.
			expect(byId.count).toMatchObject({ type: 'number', required: false, removed: true });
			expect(byId.verbose).toMatchObject({ required: false, removed: true });
			expect(byId.verbose.type).toBe('boolean');
			expect(byId.options.type).toBe('object');
			expect(byId.tags).toMatchObject({ type: 'array', displayName: 'tags (array of string)' });
			expect(byId.image).toMatchObject({ displayName: 'image (file)', required: true });
			expect(byId.photos.displayName).toBe('photos (files)');
			const studio = await callNodeMethod<ResourceMapperFields>(
				'resourceMapping',
				'getWorkflowInputs',
				{ operation: 'run', workflowId: { __rl: true, mode: 'id', value: SCHEMA_WORKFLOW_ID } },
				credentials('studio'),
			);
			expect(studio.fields).toEqual([]);
			expect(studio.emptyFieldsNotice).toContain('Coze Studio has no API');
		});

		it('says in its notice why no inputs could be loaded, instead of an error the editor hides', async () => {
			const notice = async (workflowId: INodeParameters['workflowId'], accessToken?: string) => {
				const result = await callNodeMethod<ResourceMapperFields>(
					'resourceMapping',
					'getWorkflowInputs',
					{ operation: 'run', workflowId },
					{ ...credentials('cloud'), ...(accessToken ? { accessToken } : {}) },
				);
				expect(result.fields).toEqual([]);
				return result.emptyFieldsNotice;
			};
			expect(await notice({ __rl: true, mode: 'id', value: '' })).toBe(
				'No workflow is set. Enter the workflow ID, or paste the URL of the workflow from the Coze editor.',
			);
			expect(await notice({ __rl: true, mode: 'id', value: '7398000000000000999' })).toMatch(/^Coze could not find the workflow, or it is not published \(Coze code 4200\)\. \S/);
			expect(await notice({ __rl: true, mode: 'id', value: SCHEMA_WORKFLOW_ID }, 'pat_wrong_token_0123456789')).toMatch(/\(Coze code 4100\)\. /);
		});
	});
});
