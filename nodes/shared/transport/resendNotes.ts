import type { CozeRequest } from './types';
import { isReadOnly } from './types';

/** A workflow run (the wording the workflow node's errors have always had). */
export function isRun(request: Pick<CozeRequest, 'sideEffect' | 'subject'>): boolean {
	return request.sideEffect === undefined && request.subject === undefined;
}

/** What a failed request that was not resent leaves behind, for a request that is not a workflow run. */
export function notResentNote(request: Pick<CozeRequest, 'readOnly' | 'method' | 'sideEffect'>): string {
	if (isReadOnly(request)) return '';
	if (request.sideEffect === 'message') {
		return ' It was not resent automatically, because the agent may have received the message; check the conversation before sending it again.';
	}
	if (request.sideEffect === 'document') {
		return ' It was not resent automatically, because Coze may have added the document; check the knowledge base (List Documents) before adding it again.';
	}
	return ' It was not resent automatically, because it may have reached Coze.';
}

