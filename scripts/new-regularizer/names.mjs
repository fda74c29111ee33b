import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the generator accepts as NAME, said the same way in every error. */
export const NAME_RULE = 'kebab-case: lower-case letters and digits in words joined by single hyphens, starting with a letter (e.g. "logit-penalty")';
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Names a regularizer entry may not take: the trainer logs the task loss and the total under them. */
const RESERVED = new Set(['task', 'total']);

/** A bad NAME: the message names the value and what is allowed; the command exits with 2. */
export class NameError extends Error {}

/** The identifiers derived from NAME: `logit-penalty` → logitPenalty, LogitPenalty. */
export function namesOf(name) {
  const words = name.split('-');
  const pascal = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return { name, camel: pascal[0].toLowerCase() + pascal.slice(1), pascal, packageName: `@selfkd/${name}` };
}

/**
 * Checks NAME against the rule, the packages already in the workspace and the regularizer types
 * their plugins (and the example plugin package) already register.
 */
export function checkName(name, root) {
  if (typeof name !== 'string' || !KEBAB.test(name)) throw new NameError(`NAME must be ${NAME_RULE} (got ${JSON.stringify(name ?? '')})`);
  if (RESERVED.has(name)) throw new NameError(`NAME may not be "task" or "total", the names of the task loss and the total in the logs (got "${name}")`);
  if (existsSync(join(root, 'packages', name))) throw new NameError(`NAME must not be an existing package: packages/${name} exists (got "${name}")`);
  const owner = registeredTypes(root).get(name);
  if (owner) throw new NameError(`NAME must not be a regularizer type already registered: ${owner} registers type "${name}" (got "${name}")`);
}

/** Every `type: '…'` in the sources of the workspace packages and the example plugin package, with its file. */
function registeredTypes(root) {
  const types = new Map();
  for (const parent of ['packages', 'examples']) {
    const parentDir = join(root, parent);
    if (!existsSync(parentDir)) continue;
    for (const pkg of readdirSync(parentDir)) {
      const src = join(parentDir, pkg, 'src');
      if (!existsSync(src)) continue;
      for (const file of readdirSync(src).filter((f) => f.endsWith('.ts'))) {
        for (const match of readFileSync(join(src, file), 'utf8').matchAll(/\btype: '([a-z0-9-]+)'/g)) {
          if (!types.has(match[1])) types.set(match[1], `${parent}/${pkg}/src/${file}`);
        }
      }
    }
  }
  return types;
}
