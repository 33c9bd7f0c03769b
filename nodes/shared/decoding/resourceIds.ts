import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Coze editor URLs carry the id as ?workflow_id=…; app (project) editors put it in the path. */
export const WORKFLOW_URL_REGEX = '(?:[?&#]workflow_id=|/workflow/)(\\d{6,})';
export const WORKFLOW_ID_REGEX = '^\\s*\\d{6,}\\s*$';
/** The agent editor: https://www.coze.cn/space/<workspace>/bot/<agent> (Coze Studio too), or ?bot_id=…. */
export const AGENT_URL_REGEX = '(?:/bot/|[?&#]bot_id=)(\\d{6,})';
export const AGENT_ID_REGEX = WORKFLOW_ID_REGEX;
/** A knowledge base in the Coze editor: https://www.coze.cn/space/<workspace>/knowledge/<id>. */
export const KNOWLEDGE_URL_REGEX = '/knowledge/(\\d{6,})';
export const KNOWLEDGE_BASE_ID_REGEX = WORKFLOW_ID_REGEX;

interface LocatorValue {
	mode?: string;
	value?: unknown;
}

interface IdKind {
	noun: 'workflow' | 'agent' | 'knowledge base';
	/** The output field the ID is usually mapped from. */
	field: string;
	urlRegex: string;
	/** Where the id is, for the errors. */
	where: string;
}

const WORKFLOW: IdKind = { noun: 'workflow', field: 'workflowId', urlRegex: WORKFLOW_URL_REGEX, where: 'workflow_id=…' };
const AGENT: IdKind = { noun: 'agent', field: 'agentId', urlRegex: AGENT_URL_REGEX, where: 'bot/… (or bot_id=…)' };
const KNOWLEDGE_BASE: IdKind = { noun: 'knowledge base', field: 'knowledge_base_id', urlRegex: KNOWLEDGE_URL_REGEX, where: 'knowledge/…' };

/**
 * Reads the Workflow resource locator. Ids stay strings end to end: they have 19 digits and a
 * JavaScript number would round them.
 */
export function workflowIdFromLocator(node: INode, locator: unknown, itemIndex: number): string {
	return idFromLocator(node, locator, itemIndex, WORKFLOW);
}

/** Reads the Agent resource locator, as workflowIdFromLocator. */
export function agentIdFromLocator(node: INode, locator: unknown, itemIndex: number): string {
	return idFromLocator(node, locator, itemIndex, AGENT);
}

/** Reads the Knowledge Base resource locator, as workflowIdFromLocator. */
export function knowledgeBaseIdFromLocator(node: INode, locator: unknown, itemIndex: number): string {
	return idFromLocator(node, locator, itemIndex, KNOWLEDGE_BASE);
}

function idFromLocator(node: INode, locator: unknown, itemIndex: number, kind: IdKind): string {
	const { noun, where } = kind;
	const { mode, value } = (typeof locator === 'object' && locator !== null
		? locator
		: { mode: 'id', value: locator }) as LocatorValue;
	if (typeof value === 'number') {
		throw new NodeOperationError(node, `The ${noun} ID arrived as a number, which cannot hold all its digits`, {
			itemIndex,
			description: `Pass the ${noun} ID as text, e.g. {{ String($json.${kind.field}) }}, or paste it into the field.`,
		});
	}
	const text = String(value ?? '').trim();
	if (text === '') {
		throw new NodeOperationError(node, `No ${noun} is set`, {
			itemIndex,
			description: `Enter the ${noun} ID, or paste the URL of the ${noun} from the Coze editor.`,
		});
	}
	if (mode === 'url') {
		const match = new RegExp(kind.urlRegex).exec(text);
		if (!match) {
			throw new NodeOperationError(node, `The URL "${text}" does not contain a Coze ${noun} ID`, {
				itemIndex,
				description: `Open the ${noun} in the Coze editor and copy the address from the browser; it contains ${where}`,
			});
		}
		return match[1];
	}
	if (!new RegExp(WORKFLOW_ID_REGEX).test(text)) {
		throw new NodeOperationError(node, `"${text}" is not a Coze ${noun} ID`, {
			itemIndex,
			description: `A${noun === 'agent' ? 'n' : ''} ${noun} ID is a long number, e.g. 7398123456789012345. It is the ${where} part of the address of the ${noun} in the Coze editor.`,
		});
	}
	return text;
}
