import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { idleTimeoutMsOf } from '../../nodes/CozeWorkflow/actions/common.descriptions';
import { cozeApiError, explainFailure } from '../../nodes/shared/decoding/errors';
import { rfc5987, withFileName } from '../../nodes/shared/api/multipart';
import { inputsFromJson, inputsFromPairs } from '../../nodes/shared/decoding/inputs';
import { parseJsonKeepingBigIntegers } from '../../nodes/shared/decoding/json';
import { decodeWorkflowData, executeIdFrom, interruptFrom, usageFrom, withLoneOutputUnwrapped } from '../../nodes/shared/decoding/output';
import { workflowIdFromLocator } from '../../nodes/shared/decoding/resourceIds';
import { renewAtMs } from '../../credentials/cozeJwt';
import { baseUrlOf } from '../../credentials/cozeEndpoint';
import { msToSecondsLabel } from '../../nodes/shared/utils/values';

const node = { name: 'Coze Workflow', type: 'n8n-nodes-coze.cozeWorkflow' } as INode;

describe('parseJsonKeepingBigIntegers', () => {
	it('keeps 19-digit integers exact as strings, and leaves everything else alone', () => {
		const text =
			'{"execute_id":7431040978805850001,"n":12,"neg":-7431040978805850001,"f":1.5e3,"s":"id 7431040978805850001 \\" x","a":[9007199254740993,9007199254740991]}';
		expect(parseJsonKeepingBigIntegers(text)).toEqual({
			execute_id: '7431040978805850001',
			n: 12,
			neg: '-7431040978805850001',
			f: 1500,
			s: 'id 7431040978805850001 " x',
			a: ['9007199254740993', 9007199254740991],
		});
	});

	it('throws on invalid JSON', () => {
		expect(() => parseJsonKeepingBigIntegers('{"a":')).toThrow();
	});
});

describe('decodeWorkflowData', () => {
	it('parses a JSON string', () => {
		expect(decodeWorkflowData('{"output":"北京"}', true)).toEqual({ output: '北京' });
	});

	it('keeps text that is not JSON as text', () => {
		expect(decodeWorkflowData('Beijing is at 116.4074E', true)).toBe('Beijing is at 116.4074E');
	});

	it('unwraps the text-mode wrapper only when asked', () => {
		const wrapped = '{"content_type":1,"data":"Hello George","type_for_model":2}';
		expect(decodeWorkflowData(wrapped, true)).toBe('Hello George');
		expect(decodeWorkflowData(wrapped, false)).toEqual({ content_type: 1, data: 'Hello George', type_for_model: 2 });
	});

	it('does not mistake an ordinary object with a data field for the wrapper', () => {
		expect(decodeWorkflowData('{"content_type":1,"data":"x","other":true}', true)).toEqual({
			content_type: 1,
			data: 'x',
			other: true,
		});
	});

	it('turns an absent result into null', () => {
		expect(decodeWorkflowData(null, true)).toBeNull();
		expect(decodeWorkflowData(undefined, true)).toBeNull();
	});
});

describe('response fields', () => {
	it('takes execute_id from the body, else from the debug URL', () => {
		expect(executeIdFrom({ execute_id: '7560000000000000001' })).toBe('7560000000000000001');
		expect(
			executeIdFrom({ debug_url: 'https://www.coze.cn/work_flow?execute_id=7413647890307280000&space_id=1' }),
		).toBe('7413647890307280000');
		expect(executeIdFrom({ execute_id: null, debug_url: '' })).toBeUndefined();
	});

	it('reports usage, or the legacy token count', () => {
		expect(usageFrom({ usage: { token_count: 3 } })).toEqual({ token_count: 3 });
		expect(usageFrom({ token: 7 })).toEqual({ token_count: 7 });
		expect(usageFrom({})).toBeUndefined();
	});

	it('decodes interrupt_data', () => {
		expect(
			interruptFrom({
				interrupt_data: {
					event_id: '7404831988202520614/6302059919516746633',
					type: 2,
					data: '{"question":"Which city?"}',
					required_parameters: { city: { type: 'string', required: true } },
				},
			}),
		).toEqual({
			event_id: '7404831988202520614/6302059919516746633',
			type: 2,
			data: { question: 'Which city?' },
			required_parameters: { city: { type: 'string', required: true } },
			paused_in: 'sync',
		});
		expect(interruptFrom({})).toBeUndefined();
	});
});

describe('workflowIdFromLocator', () => {
	it('accepts an ID and keeps it a string', () => {
		expect(workflowIdFromLocator(node, { mode: 'id', value: ' 7398123456789012345 ' }, 0)).toBe('7398123456789012345');
	});

	it('extracts the ID from Coze editor URLs', () => {
		expect(
			workflowIdFromLocator(
				node,
				{ mode: 'url', value: 'https://www.coze.cn/work_flow?space_id=7361424235321600000&workflow_id=7398123456789012345' },
				0,
			),
		).toBe('7398123456789012345');
		expect(
			workflowIdFromLocator(
				node,
				{ mode: 'url', value: 'https://www.coze.com/space/73/project-ide/74/workflow/7398123456789012345' },
				0,
			),
		).toBe('7398123456789012345');
	});

	it('rejects a URL without a workflow ID, naming the item', () => {
		const error = catchError(() => workflowIdFromLocator(node, { mode: 'url', value: 'https://www.coze.cn/home' }, 3));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('does not contain a Coze workflow ID');
		expect(error.context.itemIndex).toBe(3);
	});

	it('rejects a non-numeric ID, an empty one, and a number that lost digits', () => {
		expect(catchError(() => workflowIdFromLocator(node, { mode: 'id', value: 'abc' }, 0)).message).toContain(
			'is not a Coze workflow ID',
		);
		expect(catchError(() => workflowIdFromLocator(node, { mode: 'id', value: '' }, 0)).message).toBe('No workflow is set');
		expect(catchError(() => workflowIdFromLocator(node, { mode: 'id', value: 7398123456789012000 }, 0)).message).toContain(
			'arrived as a number',
		);
	});
});

describe('inputs', () => {
	it('keeps the type each value has', () => {
		expect(
			inputsFromPairs(
				node,
				[
					{ name: 'n', value: 42 },
					{ name: ' text ', value: '42' },
					{ name: 'list', value: [1, 'a'] },
					{ name: 'flag', value: false },
				],
				0,
			),
		).toEqual({ n: 42, text: '42', list: [1, 'a'], flag: false });
	});

	it('rejects an empty name and a duplicate name', () => {
		expect(catchError(() => inputsFromPairs(node, [{ name: '  ', value: 1 }], 1)).message).toBe(
			'Workflow input 1 has no name',
		);
		const duplicate = catchError(() =>
			inputsFromPairs(
				node,
				[
					{ name: 'city', value: 'a' },
					{ name: 'city', value: 'b' },
				],
				2,
			),
		);
		expect(duplicate.message).toBe('The workflow input "city" is set twice');
		expect(duplicate.context.itemIndex).toBe(2);
	});

	it.each(['__proto__', 'constructor', 'prototype'])('refuses the input name %s instead of dropping it', (name) => {
		const fromPairs = catchError(() => inputsFromPairs(node, [{ name: 'city', value: 'a' }, { name, value: 'x' }], 3));
		expect(fromPairs.message).toBe(`The workflow input name "${name}" cannot be sent`);
		expect(fromPairs.context.itemIndex).toBe(3);
		expect(catchError(() => inputsFromJson(node, `{"city":"a","${name}":{"x":1}}`, 'Inputs (JSON)', 0)).message).toBe(
			`The workflow input name "${name}" cannot be sent`,
		);
	});

	it('parses JSON objects and rejects everything else, naming the field', () => {
		expect(inputsFromJson(node, '{"city":"北京","id":7398123456789012345}', 'Inputs (JSON)', 0)).toEqual({
			city: '北京',
			id: '7398123456789012345',
		});
		expect(inputsFromJson(node, { a: 1 }, 'Inputs (JSON)', 0)).toEqual({ a: 1 });
		expect(catchError(() => inputsFromJson(node, '{"a":', 'Inputs (JSON)', 4)).message).toBe(
			'The value in the "Inputs (JSON)" field is not valid JSON',
		);
		expect(catchError(() => inputsFromJson(node, '[1,2]', 'Inputs (JSON)', 0)).message).toBe(
			'The value in the "Inputs (JSON)" field must be a JSON object',
		);
	});
});

describe('explainFailure', () => {
	it.each([
		[{ code: 4100 }, 'Coze rejected the access token'],
		[{ code: 4101 }, 'lacks the permission'],
		[{ code: 4200 }, 'not published'],
		[{ code: 6003 }, 'paid Coze plan'],
		[{ code: 6031 }, 'not published in Coze Studio'],
		[{ code: 6039 }, 'question or input node'],
		[{ code: 700012006 }, 'Coze Studio rejected the API key'],
		[{ httpStatus: 502 }, 'HTTP 502'],
		[{ code: 123456 }, 'Coze could not run the workflow'],
	])('%j', (failure, summary) => {
		expect(explainFailure(failure).summary).toContain(summary);
	});

	it('points at the other region for 4100', () => {
		expect(explainFailure({ code: 4100 }).hint).toContain('www.coze.com only with "Coze International"');
	});
});

function catchError(fn: () => unknown): NodeOperationError {
	try {
		fn();
	} catch (error) {
		return error as NodeOperationError;
	}
	throw new Error('expected an error');
}

describe('the upload and timeout rules the real servers need (coze-api.md §9)', () => {
	it('encodes a file name as RFC 5987 that Go accepts: no bare apostrophe, parenthesis or asterisk', () => {
		expect(rfc5987('report (1).pdf')).toBe("UTF-8''report%20%281%29.pdf");
		expect(rfc5987("it's *final*.txt")).toBe("UTF-8''it%27s%20%2Afinal%2A.txt");
		expect(rfc5987('报告 2025.pdf')).toBe("UTF-8''%E6%8A%A5%E5%91%8A%202025.pdf");
	});

	it('adds the file name to a Studio file URL as Studio does, keeping its signature and an existing name', () => {
		const signed = 'http://localhost:8888/local_storage/opencoze/a.pdf?X-Amz-Signature=abc';
		expect(new URL(withFileName(signed, 'report (1).pdf')).searchParams.get('x-wf-file_name')).toBe('report (1).pdf');
		expect(new URL(withFileName(signed, 'x.pdf')).searchParams.get('X-Amz-Signature')).toBe('abc');
		expect(withFileName(`${signed}&x-wf-file_name=kept.pdf`, 'other.pdf')).toContain('x-wf-file_name=kept.pdf');
		expect(withFileName('not a url', 'x.pdf')).toBe('not a url');
	});

	it('applies Idle Timeout on Coze Studio only when it is set', () => {
		expect(idleTimeoutMsOf(undefined, 'cn')).toBe(120_000);
		expect(idleTimeoutMsOf(undefined, 'studio')).toBeUndefined();
		expect(idleTimeoutMsOf(5, 'studio')).toBe(5000);
	});

	it('unwraps a lone output variable only when asked, and nothing else', () => {
		expect(withLoneOutputUnwrapped({ data: { output: 'hi' } }, true).data).toBe('hi');
		expect(withLoneOutputUnwrapped({ data: { output: 'hi' } }, false).data).toEqual({ output: 'hi' });
		expect(withLoneOutputUnwrapped({ data: { output: 'hi', more: 1 } }, true).data).toEqual({ output: 'hi', more: 1 });
		expect(withLoneOutputUnwrapped({ data: 'text' }, true).data).toBe('text');
	});
});

describe('renewAtMs', () => {
	it('renews a minute before the expiry Coze sent, or a tenth of a short lifetime before it', () => {
		const requestedAt = 1_700_000_000_000;
		// expires_in is the UNIX second of expiry, not a duration (coze-api.md §1.2).
		expect(renewAtMs(requestedAt, 3600, requestedAt / 1000 + 3600)).toBe(requestedAt + 3600_000 - 60_000);
		expect(renewAtMs(requestedAt, 2, requestedAt / 1000 + 2)).toBe(requestedAt + 2000 - 200);
		// Never later than the lifetime asked for, whatever Coze claims.
		expect(renewAtMs(requestedAt, 600, requestedAt / 1000 + 86_400)).toBe(requestedAt + 600_000 - 60_000);
		// A token already expired is due at once.
		expect(renewAtMs(requestedAt, 900, requestedAt / 1000 - 5)).toBe(requestedAt - 5000);
	});
});

describe('msToSecondsLabel', () => {
	it('says the seconds a user typed, whole or not', () => {
		expect(msToSecondsLabel(3000)).toBe('3 s');
		expect(msToSecondsLabel(500)).toBe('0.5 s');
		expect(msToSecondsLabel(120_000)).toBe('120 s');
		expect(msToSecondsLabel(0)).toBe('0 s');
	});
});

describe('baseUrlOf', () => {
	it("is the region's address, or the Base URL without trailing slashes and with http:// when it names no scheme", () => {
		expect(baseUrlOf({ region: 'cn', baseUrl: 'http://ignored' })).toBe('https://api.coze.cn');
		expect(baseUrlOf({ region: 'com' })).toBe('https://api.coze.com');
		expect(baseUrlOf({ region: 'studio', baseUrl: ' localhost:8888// ' })).toBe('http://localhost:8888');
		expect(baseUrlOf({ region: 'studio', baseUrl: '10.0.0.5:8888/coze' })).toBe('http://10.0.0.5:8888/coze');
		expect(baseUrlOf({ region: 'custom', baseUrl: 'https://coze-proxy.example/' })).toBe('https://coze-proxy.example');
		// A scheme of its own stays, for the node to refuse with a message that names it.
		expect(baseUrlOf({ region: 'studio', baseUrl: 'ftp://127.0.0.1:8888' })).toBe('ftp://127.0.0.1:8888');
		expect(baseUrlOf({ region: 'studio', baseUrl: '' })).toBe('');
	});
});

describe('cozeApiError', () => {
	it("ends Coze's message as a sentence, which the editor shows run into the hint otherwise", () => {
		const description = (msg: string) => cozeApiError(node, { code: 4100, msg }, 0).description ?? '';
		expect(description('authentication is invalid')).toMatch(/^Coze says: authentication is invalid\.\nThe token is wrong/);
		expect(description('The requested resource does not exist.')).toMatch(/^Coze says: The requested resource does not exist\.\n/);
		expect(description('参数错误。')).toMatch(/^Coze says: 参数错误。\n/);
	});
});
