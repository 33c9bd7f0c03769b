import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const english = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\r\n/g, '\n');
const chinese = readFileSync(join(ROOT, 'README.zh-CN.md'), 'utf8').replace(/\r\n/g, '\n');

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

interface Outline {
	headings: Array<{ level: number; text: string }>;
	codeBlocks: string[];
}

/** Headings (`#` to `###`) outside fenced code blocks, and the fenced code blocks themselves. */
function outline(markdown: string): Outline {
	const headings: Outline['headings'] = [];
	const codeBlocks: string[] = [];
	let fence: { marker: string; lines: string[] } | undefined;
	for (const line of markdown.split('\n')) {
		const fenceMatch = FENCE.exec(line);
		if (fence) {
			fence.lines.push(line);
			const closing = fenceMatch?.[1];
			if (
				closing !== undefined &&
				closing[0] === fence.marker[0] &&
				closing.length >= fence.marker.length &&
				line.trim() === closing
			) {
				codeBlocks.push(fence.lines.join('\n'));
				fence = undefined;
			}
			continue;
		}
		if (fenceMatch) {
			fence = { marker: fenceMatch[1], lines: [line] };
			continue;
		}
		const heading = /^(#{1,3})\s+(\S.*)$/.exec(line);
		if (heading) headings.push({ level: heading[1].length, text: heading[2].trim() });
	}
	if (fence) throw new Error(`unclosed code fence: ${fence.lines[0]}`);
	return { headings, codeBlocks };
}

/** The first non-empty line after the first `#` heading. */
function lineUnderTitle(markdown: string): string | undefined {
	const lines = markdown.split('\n');
	const title = lines.findIndex((line) => /^#\s/.test(line));
	if (title === -1) return undefined;
	return lines.slice(title + 1).find((line) => line.trim() !== '')?.trim();
}

const en = outline(english);
const zh = outline(chinese);

describe('README.zh-CN.md', () => {
	it('has the same heading structure as README.md', () => {
		const levels = (o: Outline) => o.headings.map((h) => '#'.repeat(h.level));
		expect(en.headings.length).toBeGreaterThan(0);
		expect(levels(zh)).toEqual(levels(en));
		for (const level of [1, 2, 3]) {
			expect(zh.headings.filter((h) => h.level === level)).toHaveLength(
				en.headings.filter((h) => h.level === level).length,
			);
		}
	});

	it('contains every fenced code block of README.md verbatim', () => {
		expect(en.codeBlocks.length).toBeGreaterThan(0);
		const missing = en.codeBlocks.filter((block) => !chinese.includes(block));
		expect(missing).toEqual([]);
		expect(zh.codeBlocks).toHaveLength(en.codeBlocks.length);
	});

	it('keeps the screenshot links, of both nodes', () => {
		for (const image of ['docs/coze-workflow-node.png', 'docs/coze-node.png']) {
			expect(english).toContain(`](${image})`);
			expect(chinese).toContain(`](${image})`);
		}
	});

	it('and README.md link to each other directly under the title', () => {
		expect(lineUnderTitle(english)).toBe('English | [简体中文](README.zh-CN.md)');
		expect(lineUnderTitle(chinese)).toBe('[English](README.md) | 简体中文');
	});
});
