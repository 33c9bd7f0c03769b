import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { byId } from './parameters';

/** 19 digits: a Coze id as the node must keep it. */
export const COZE_ID = /^\d{19}$/;

/** The Coze node's Agent → Chat, user `customer-42`; `options` are the node's Options. */
export function chatParameters(agentId: string, message: string, options: IDataObject = {}, extra: INodeParameters = {}): INodeParameters {
	return { resource: 'agent', operation: 'chat', agentId: byId(agentId), userId: 'customer-42', message, options: { retryWait: 0.02, ...options }, ...extra };
}

/** Any other operation of the Coze node. */
export function cozeParameters(resource: string, operation: string, fields: INodeParameters = {}, options: IDataObject = {}): INodeParameters {
	return { resource, operation, ...fields, options: { retryWait: 0.02, ...options } };
}
