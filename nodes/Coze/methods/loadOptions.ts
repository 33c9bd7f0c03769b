import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { listVoicesPage } from '../../shared/api/audio';
import { workspaceOptions } from '../../shared/methods/workspaceOptions';
import { getCozeConnection } from '../../shared/transport';
import { VOICES_PAGE_SIZE } from '../actions/audio/listVoices.operation';

/** The Workspace field: narrows the agent list ("All Workspaces"), or picks the one List Agents lists. */
export async function getWorkspaces(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await workspaceOptions.call(this, {
		studioName: 'Coze Studio Has No Workspace List: Enter the Agent by ID or URL',
		withAll: this.getCurrentNodeParameter('operation') !== 'listAgents',
	});
}

/** The Voice field of Text to Speech: every voice the account may use, system voices first as Coze lists them. */
export async function getVoices(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const connection = await getCozeConnection.call(this);
	if (connection.region === 'studio') return [{ name: 'Coze Studio Has No Speech Endpoints', value: '' }];
	const options: INodePropertyOptions[] = [];
	for (let page = 1; page <= 20; page++) {
		const { voices, hasMore } = await listVoicesPage.call(this, connection, { page, pageSize: VOICES_PAGE_SIZE }, { itemIndex: 0, timeoutMs: 30_000 });
		for (const voice of voices) {
			const language = typeof voice.language_name === 'string' && voice.language_name ? ` (${voice.language_name})` : '';
			options.push({ name: `${String(voice.name ?? voice.voice_id)}${language}`, value: String(voice.voice_id ?? ''), description: voice.is_system_voice === false ? 'Cloned voice' : undefined });
		}
		if (!hasMore || voices.length === 0) break;
	}
	return options.filter((option) => option.value !== '');
}
