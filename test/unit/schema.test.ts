import type { INode } from 'n8n-workflow';

import type { InputSpec } from '../../nodes/shared/decoding/schema';
import { checkInputsAgainstSpecs, isFileArraySpec, isFileSpec, mapperFields } from '../../nodes/shared/decoding/schema';

const node = { name: 'Coze Workflow' } as INode;

const specs: Record<string, InputSpec> = {
	city: { type: 'string', required: true, description: 'City name' },
	days: { type: 'integer', required: false },
	ratio: { type: 'number' },
	metric: { type: 'boolean' },
	filters: { type: 'object', properties: { min: { type: 'number' } } },
	tags: { type: 'array', items: { type: 'string' } },
	photo: { type: 'image' },
	photos: { type: 'array', items: { type: 'file' } },
};

describe('schema helpers', () => {
	it('recognises file inputs by type name or assist type', () => {
		expect(isFileSpec({ type: 'image' })).toBe(true);
		expect(isFileSpec({ type: 'string', assist_type: 2 })).toBe(true);
		expect(isFileSpec({ type: 'string' })).toBe(false);
		expect(isFileArraySpec({ type: 'array', items: { type: 'file' } })).toBe(true);
		expect(isFileArraySpec({ type: 'array', items: { type: 'string' } })).toBe(false);
	});

	it('turns the Start node inputs into resource-mapper fields', () => {
		const fields = mapperFields(specs);
		expect(fields.map((f) => [f.id, f.displayName, f.type, f.required])).toEqual([
			['city', 'city (string)', 'string', true],
			['days', 'days (integer)', 'number', false],
			['ratio', 'ratio (number)', 'number', false],
			['metric', 'metric (boolean)', 'boolean', false],
			['filters', 'filters (object)', 'object', false],
			['tags', 'tags (array of string)', 'array', false],
			['photo', 'photo (file)', 'string', false],
			['photos', 'photos (files)', 'string', false],
		]);
	});

	it('converts form text to the declared types and drops empty optional inputs', () => {
		expect(
			checkInputsAgainstSpecs(
				node,
				{ city: '杭州', days: '3', ratio: '0.5', metric: 'true', filters: '{"min":1}', tags: '["a"]', photo: '', extra: 'x' },
				specs,
				0,
			),
		).toEqual({ city: '杭州', days: 3, ratio: 0.5, metric: true, filters: { min: 1 }, tags: ['a'], extra: 'x' });
	});

	it('names a missing required input and a value of the wrong type', () => {
		expect(() => checkInputsAgainstSpecs(node, { days: 1 }, specs, 2)).toThrow('The workflow input "city" is required');
		expect(() => checkInputsAgainstSpecs(node, { city: 'x', days: 1.5 }, specs, 0)).toThrow(
			'The workflow input "days" must be a whole number',
		);
		expect(() => checkInputsAgainstSpecs(node, { city: 'x', tags: 'nope' }, specs, 0)).toThrow(
			'The workflow input "tags" must be an array',
		);
		expect(() => checkInputsAgainstSpecs(node, { city: { a: 1 } }, specs, 0)).toThrow('The workflow input "city" must be text');
	});
});
