import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Coze editor URLs carry the id as ?workflow_id=…; app (project) editors put it in the path. */
export const WORKFLOW_URL_REGEX = '(?:[?&#]workflow_id=|/workflow/)(\\d{6,})';
export const WORKFLOW_ID_REGEX = '^\\s*\\d{6,}\\s*$';

interface LocatorValue {
	mode?: string;
	value?: unknown;
}

/**
 * Reads the Workflow resource locator. Ids stay strings end to end: they have 19 digits and a
 * JavaScript number would round them.
 */
export function workflowIdFromLocator(node: INode, locator: unknown, itemIndex: number): string {
	const { mode, value } = (typeof locator === 'object' && locator !== null
		? locator
		: { mode: 'id', value: locator }) as LocatorValue;
	if (typeof value === 'number') {
		throw new NodeOperationError(node, 'The workflow ID arrived as a number, which cannot hold all its digits', {
			itemIndex,
			description: 'Pass the workflow ID as text, e.g. {{ String($json.workflowId) }}, or paste it into the field.',
		});
	}
	const text = String(value ?? '').trim();
	if (text === '') {
		throw new NodeOperationError(node, 'No workflow is set', {
			itemIndex,
			description: 'Enter the workflow ID, or paste the URL of the workflow from the Coze editor.',
		});
	}
	if (mode === 'url') {
		const match = new RegExp(WORKFLOW_URL_REGEX).exec(text);
		if (!match) {
			throw new NodeOperationError(node, `The URL "${text}" does not contain a Coze workflow ID`, {
				itemIndex,
				description:
					'Open the workflow in the Coze editor and copy the address from the browser; it contains workflow_id=…',
			});
		}
		return match[1];
	}
	if (!new RegExp(WORKFLOW_ID_REGEX).test(text)) {
		throw new NodeOperationError(node, `"${text}" is not a Coze workflow ID`, {
			itemIndex,
			description:
				'A workflow ID is a long number, e.g. 7398123456789012345. It is the workflow_id=… part of the address of the workflow in the Coze editor.',
		});
	}
	return text;
}
