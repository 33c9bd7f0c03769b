import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CozeConnection } from '../../shared/transport';

/** An operation whose endpoint Coze Studio does not have (§10.6): said before anything is sent. */
export function refuseOnStudio(context: IExecuteFunctions, connection: CozeConnection, itemIndex: number, what: string, instead: string): void {
	if (connection.region !== 'studio') return;
	throw new NodeOperationError(context.getNode(), `Coze Studio cannot ${what}`, {
		itemIndex,
		description: `Coze Studio's Open API has no endpoint for this. ${instead}`,
	});
}
