import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The edits that make a new method package part of the workspace: the root's workspace link and
 * project reference, and the CLI's built-ins (its dependency, project reference and
 * `builtinPluginPackages` entry), through which `selfkd` loads it and the conformance suite
 * (test/conformance/registered-regularizers.ts) trains it. Returns `{ path, text }` for each file,
 * computed before anything is written, so a file the generator cannot edit leaves the tree untouched.
 */
export function registrationEdits(root, { name, camel, packageName }) {
  return [
    editJson(root, 'package.json', (pkg) => ({ ...pkg, devDependencies: withSelfkdDependency(pkg.devDependencies, packageName, 'workspace:*') })),
    editJson(root, 'tsconfig.json', (config) => ({ ...config, references: withReference(config.references, `packages/${name}`) })),
    editJson(root, 'packages/cli/package.json', (pkg) => ({ ...pkg, dependencies: withSelfkdDependency(pkg.dependencies, packageName, 'workspace:^') })),
    editJson(root, 'packages/cli/tsconfig.json', (config) => ({ ...config, references: withReference(config.references, `../${name}`) })),
    editBuiltinPlugins(root, camel, packageName),
  ];
}

/** Cannot edit a file it must register the package in; the message names the file and what to add by hand. */
export class RegistrationError extends Error {}

function read(root, path) {
  const file = join(root, path);
  if (!existsSync(file)) throw new RegistrationError(`${path} is missing under ${root}; is --root the repository root?`);
  return readFileSync(file, 'utf8');
}

/** The workspace's JSON files are JSON.stringify's 2-space layout, so a parse/stringify round trip changes only the edit. */
function editJson(root, path, edit) {
  return { path, text: `${JSON.stringify(edit(JSON.parse(read(root, path))), null, 2)}\n` };
}

/** Adds `name: range`, keeping the @selfkd/* entries in alphabetical order and every other entry where it is. */
function withSelfkdDependency(dependencies = {}, name, range) {
  const entries = Object.entries(dependencies);
  const at = entries.findIndex(([dep]) => dep.startsWith('@selfkd/') && dep > name);
  const lastSelfkd = entries.findLastIndex(([dep]) => dep.startsWith('@selfkd/'));
  entries.splice(at >= 0 ? at : lastSelfkd + 1 || entries.length, 0, [name, range]);
  return Object.fromEntries(entries);
}

function withReference(references = [], path) {
  return [...references, { path }];
}

/** One `import * as camel` line after the last plugin-package import, one entry at the end of the map. */
function editBuiltinPlugins(root, camel, packageName) {
  const path = 'packages/cli/src/builtin-plugins.ts';
  const text = read(root, path);
  const imports = [...text.matchAll(/^import \* as \w+ from '@selfkd\/[a-z0-9-]+';\n/gm)];
  const map = /(export const builtinPluginPackages[^=]*= \{\n)([\s\S]*?)(\n\};)/.exec(text);
  if (imports.length === 0 || !map) {
    throw new RegistrationError(
      `${path} no longer has the shape the generator edits (plugin-package imports and \`export const builtinPluginPackages … = { … };\`); ` +
        `add \`import * as ${camel} from '${packageName}';\` and the entry \`'${packageName}': ${camel},\` by hand`,
    );
  }
  const last = imports.at(-1);
  const importEnd = last.index + last[0].length;
  const withImport = `${text.slice(0, importEnd)}import * as ${camel} from '${packageName}';\n${text.slice(importEnd)}`;
  const entry = `  '${packageName}': ${camel},`;
  return { path, text: withImport.replace(map[0], () => `${map[1]}${map[2]}\n${entry}${map[3]}`) };
}
