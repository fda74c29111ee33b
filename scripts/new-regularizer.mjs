#!/usr/bin/env node
// `pnpm new:regularizer NAME [--root DIR]`: writes packages/NAME, a working regularizer plugin
// package with a placeholder loss, and registers it in the workspace and the CLI's built-ins.
// Exit status: 0 written; 2 a bad NAME or argument (nothing written); 1 a file it cannot edit
// (nothing written either).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NAME_RULE, NameError, checkName, namesOf } from './new-regularizer/names.mjs';
import { RegistrationError, registrationEdits } from './new-regularizer/registration.mjs';
import { packageFiles } from './new-regularizer/templates.mjs';

const USAGE = `usage: pnpm new:regularizer NAME [--root DIR]
  NAME        the package folder, the package @selfkd/NAME and the config type; ${NAME_RULE}
  --root DIR  the repository to write into (default: this repository)`;

function fail(status, message) {
  process.stderr.write(`new-regularizer: ${message}\n`);
  process.exit(status);
}

let args;
try {
  args = parseArgs({ allowPositionals: true, options: { root: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
} catch (err) {
  fail(2, `${err.message}\n${USAGE}`);
}
if (args.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (args.positionals.length !== 1) fail(2, `expected exactly one NAME, got ${args.positionals.length} (${args.positionals.map((p) => JSON.stringify(p)).join(', ') || 'none'})\n${USAGE}`);

const root = resolve(args.values.root ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
if (!existsSync(join(root, 'packages/cli/src/builtin-plugins.ts'))) {
  fail(2, `--root must be a selfkd checkout (with packages/cli/src/builtin-plugins.ts), and ${root} is not (got ${JSON.stringify(args.values.root ?? root)})`);
}
const [name] = args.positionals;
let edits;
try {
  checkName(name, root);
  edits = registrationEdits(root, namesOf(name));
} catch (err) {
  if (err instanceof NameError) fail(2, err.message);
  if (err instanceof RegistrationError) fail(1, err.message);
  throw err;
}

const packageDir = join(root, 'packages', name);
const written = [];
for (const [path, text] of Object.entries(packageFiles(namesOf(name)))) {
  mkdirSync(dirname(join(packageDir, path)), { recursive: true });
  writeFileSync(join(packageDir, path), text);
  written.push(`packages/${name}/${path}`);
}
for (const { path, text } of edits) writeFileSync(join(root, path), text);

const where = relative(process.cwd(), root) || '.';
process.stdout.write(`wrote ${written.join(', ')}
registered @selfkd/${name} in ${edits.map((e) => e.path).join(', ')}
next (in ${where}):
  npx -y pnpm@12.4.2 install         # links the new package into the workspace
  npx -y pnpm@12.4.2 build
  npx vitest run packages/${name}     # its tests; then replace the placeholder loss in packages/${name}/src/${name}-loss.ts
  npx vitest run test/conformance/regularizer-conformance.test.ts -t ${name}
`);
