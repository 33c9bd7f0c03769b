import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listVoicesPage } from '../../../shared/api/audio';
import { concurrencyAndRetryOptions } from '../../../shared/descriptions/options';
import { getCozeConnection } from '../../../shared/transport';
import { returnAllAndLimit } from '../descriptions';
import { collectPages } from '../pages';
import { itemParameter, readLimit } from '../parameters';
import { refuseOnStudio } from '../studioLimits';

/** Coze's largest voice page (§12.3). */
export const VOICES_PAGE_SIZE = 100;
const MAX_PAGES = 100;
const LIST_TIMEOUT_MS = 30_000;

const properties: INodeProperties[] = [
	...returnAllAndLimit(100),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Own Voices Only',
				name: 'ownVoicesOnly',
				type: 'boolean',
				default: false,
				description: "Whether to leave out Coze's system voices and list only the voices cloned in this account",
			},
			{
				displayName: 'Model Type',
				name: 'modelType',
				type: 'options',
				options: [
					{ name: 'All', value: '' },
					{ name: 'Big Model', value: 'big' },
					{ name: 'Small Model', value: 'small' },
				],
				default: '',
				description: 'Which voice models to list',
			},
			...concurrencyAndRetryOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['audio'], operation: ['listVoices'] } }, properties);

/** GET /v1/audio/voices, page after page: one output item per voice (Coze cloud only, §12.3). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const limit = readLimit(this, itemIndex);
	const options = itemParameter(this, 'options', itemIndex, {}) as { ownVoicesOnly?: boolean; modelType?: string };
	const connection = await getCozeConnection.call(this, itemIndex);
	refuseOnStudio(this, connection, itemIndex, 'list voices', 'Coze Studio has no speech endpoints; use Coze cloud for Text to Speech.');
	return await collectPages({ limit, pageSize: VOICES_PAGE_SIZE, maxPages: MAX_PAGES }, async (page) => {
		const query = { page, pageSize: VOICES_PAGE_SIZE, filterSystemVoice: options.ownVoicesOnly, modelType: options.modelType };
		const { voices, hasMore } = await listVoicesPage.call(this, connection, query, { itemIndex, timeoutMs: LIST_TIMEOUT_MS });
		return { entries: voices, hasMore };
	});
}
