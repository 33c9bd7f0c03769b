// `npm run scan`: what n8n's community-package scanner checks that can be checked offline.
// It packs the package as npm would publish it, extracts the tarball, and lints its compiled
// JavaScript and package.json with the scanner's rule set (the community-nodes preset and
// no-console, inline disables ignored), then checks the tarball's contents and runtime
// dependencies. The source leg of the scanner is `npm run lint` (eslint.config.mjs).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const dir = mkdtempSync(join(tmpdir(), 'n8n-nodes-coze-scan-'));
let failed = false;
try {
	const [pack] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { encoding: 'utf8' }));
	const top = [...new Set(pack.files.map((file) => file.path.split('/')[0]))].sort();
	console.log(`packed ${pack.filename}: ${pack.entryCount} files, ${(pack.size / 1024).toFixed(1)} kB (${(pack.unpackedSize / 1024).toFixed(1)} kB unpacked)`);
	// npm always adds the READMEs (README.md and README.zh-CN.md), LICENSE and package.json.
	const unexpected = top.filter((entry) => !['LICENSE', 'dist', 'package.json'].includes(entry) && !/^README(\.[\w-]+)?\.md$/.test(entry));
	if (unexpected.length > 0 || !top.includes('dist')) {
		console.log(`✕ the tarball holds ${top.join(', ')}; expected only dist/, the READMEs, LICENSE and package.json`);
		failed = true;
	}
	const extracted = join(dir, 'package');
	execFileSync('tar', ['xzf', join(dir, pack.filename), '-C', dir]);
	const manifest = JSON.parse(readFileSync(join(extracted, 'package.json'), 'utf8'));
	if (Object.keys(manifest.dependencies ?? {}).length > 0) {
		console.log(`✕ runtime dependencies: ${Object.keys(manifest.dependencies).join(', ')}`);
		failed = true;
	}
	// The scanner links the package page to its repository: homepage and repository must name
	// the same GitHub repository, one named like the package.
	const repoOf = (url) => /github\.com[/:]([^/]+\/[^/#.]+)/.exec(String(url ?? ''))?.[1];
	const fromRepository = repoOf(manifest.repository?.url ?? manifest.repository);
	const fromHomepage = repoOf(manifest.homepage);
	if (!fromRepository || fromRepository !== fromHomepage || fromRepository.split('/')[1] !== manifest.name) {
		console.log(`✕ repository (${fromRepository}) and homepage (${fromHomepage}) must name the GitHub repository ${manifest.name}`);
		failed = true;
	}
	const eslint = new ESLint({
		cwd: extracted,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: [
			n8nCommunityNodesPlugin.configs.recommended,
			{ rules: { 'no-console': 'error' } },
			{ files: ['**/*.json'], languageOptions: { parser: tseslint.parser } },
		],
	});
	const results = await eslint.lintFiles(['**/*.js', 'package.json']);
	const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
	console.log(`linted ${results.length} files of the tarball with the scanner's rules: ${errors} errors`);
	if (errors > 0) {
		console.log((await eslint.loadFormatter('stylish')).format(results));
		failed = true;
	}
} finally {
	rmSync(dir, { recursive: true, force: true });
}
console.log(failed ? 'scan: failed' : 'scan: passed');
process.exit(failed ? 1 : 0);
