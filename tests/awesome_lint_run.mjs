// Runs awesome-lint's own lint() (the CLI's code path, same rule set) on each given file
// in one Node process and prints one JSON document: for each file, its messages.
// Usage: node awesome_lint_run.mjs <awesome-lint package dir> <file>...
// Used by tests/awesome_lint.py; no network: the caller runs it with GIT_DIR pointing at
// nothing, so the awesome-github rule never finds a remote to ask GitHub about.
import path from 'node:path';
import process from 'node:process';
import {pathToFileURL} from 'node:url';

const [packageDir, ...files] = process.argv.slice(2);
const {default: lint} = await import(pathToFileURL(path.join(packageDir, 'index.js')).href);

const results = [];
for (const file of files) {
	const vfiles = await lint({filename: file});
	const messages = [];
	for (const vfile of vfiles) {
		for (const message of vfile.messages) {
			messages.push({
				file: path.basename(vfile.path),
				line: message.line ?? 0,
				column: message.column ?? 0,
				rule: message.ruleId ?? '',
				source: message.source ?? '',
				fatal: message.fatal ?? null,
				message: message.reason,
			});
		}
	}

	results.push({file, messages});
}

process.stdout.write(JSON.stringify(results));
