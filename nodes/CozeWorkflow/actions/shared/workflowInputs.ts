import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { workflowInputSpecs } from '../../../shared/api/catalog';
import type { NameValuePair } from '../../../shared/decoding/inputs';
import { assertSendableInputName, inputsFromJson, inputsFromPairs } from '../../../shared/decoding/inputs';
import { oncePerRun, itemParameter } from '../../../shared/utils/perRun';
import type { InputSpec } from '../../../shared/decoding/schema';
import { checkInputsAgainstSpecs, isFileArraySpec, isFileSpec } from '../../../shared/decoding/schema';
import { trimmedOrUndefined } from '../../../shared/utils/values';
import type { CozeConnection } from '../../../shared/transport';
import { fileInputValue } from './fileInputs';

export interface FileInputRow {
	name?: string;
	binaryProperty?: string;
	asArray?: boolean;
}

/**
 * The workflow's parameters from whichever input mode is chosen, files uploaded from the
 * item's binary data, and, when the inputs are mapped one by one, checked against the types
 * the workflow's Start node declares.
 */
export async function readWorkflowInputs(
	this: IExecuteFunctions,
	connection: CozeConnection,
	workflowId: string,
	fileRows: FileInputRow[],
	itemIndex: number,
): Promise<IDataObject> {
	const node = this.getNode();
	const inputMode = itemParameter<string>(this, 'inputMode', itemIndex);
	let inputs: IDataObject;
	if (inputMode === 'schema') {
		inputs = await inputsFromSchema.call(this, connection, workflowId, itemIndex);
	} else if (inputMode === 'json') {
		inputs = inputsFromJson(node, this.getNodeParameter('parametersJson', itemIndex, '{}'), 'Inputs (JSON)', itemIndex);
	} else {
		const rows = itemParameter<NameValuePair[]>(this, 'parameters.parameter', itemIndex, []);
		inputs = inputsFromPairs(node, rows, itemIndex);
	}
	for (const row of fileRows) {
		const name = trimmedOrUndefined(row.name);
		if (!name) {
			throw new NodeOperationError(node, 'A file input has no name', {
				itemIndex,
				description: "Enter the name of the Start node's file input, or remove the empty row under File Inputs.",
			});
		}
		assertSendableInputName(node, name, itemIndex);
		inputs[name] = await fileInputValue.call(this, connection, name, row.binaryProperty ?? 'data', row.asArray === true, itemIndex);
	}
	return inputs;
}

async function inputsFromSchema(
	this: IExecuteFunctions,
	connection: CozeConnection,
	workflowId: string,
	itemIndex: number,
): Promise<IDataObject> {
	const node = this.getNode();
	if (connection.region === 'studio') {
		throw new NodeOperationError(node, "Coze Studio has no API for a workflow's inputs", {
			itemIndex,
			description: 'Set Workflow Inputs to Key/Value or JSON.',
		});
	}
	const specs = await cachedInputSpecs.call(this, connection, workflowId, itemIndex);
	const mappingMode = itemParameter<string>(this, 'inputsSchema.mappingMode', itemIndex, 'defineBelow');
	const item = this.getInputData()[itemIndex];
	const mapped =
		mappingMode === 'autoMapInputData'
			? Object.fromEntries(Object.keys(specs).filter((name) => name in item.json).map((name) => [name, item.json[name]]))
			: ((this.getNodeParameter('inputsSchema.value', itemIndex, {}) ?? {}) as IDataObject);
	const values: IDataObject = { ...mapped };
	for (const [name, spec] of Object.entries(specs)) {
		const value = values[name];
		if (typeof value !== 'string' || value.trim() === '') continue;
		// A file input takes the name of a binary property of the item (uploaded), or a URL as is.
		if (isFileSpec(spec) || isFileArraySpec(spec)) {
			const names = value.split(',').map((entry) => entry.trim());
			if (names.every((entry) => item.binary?.[entry])) {
				values[name] = await fileInputValue.call(this, connection, name, value, isFileArraySpec(spec), itemIndex);
			}
		}
	}
	return checkInputsAgainstSpecs(node, values, specs, itemIndex);
}

/** One look-up of a workflow's inputs per run of the node, however many items there are. */
function cachedInputSpecs(
	this: IExecuteFunctions,
	connection: CozeConnection,
	workflowId: string,
	itemIndex: number,
): Promise<Record<string, InputSpec>> {
	return oncePerRun(this, `inputSpecs:${workflowId}`, async () => await workflowInputSpecs.call(this, connection, workflowId, itemIndex));
}

