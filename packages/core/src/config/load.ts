import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError } from './errors.js';
import { forbiddenKeyIssues, forbiddenKeyMessage, isForbiddenKey } from './safe-keys.js';

/** Reads a YAML or JSON config file (JSON is read by the YAML parser too). */
export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([{ path: '', value: path, message: `cannot read config file: ${(err as Error).message}` }], path);
  }
  try {
    return parseYaml(text);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
    throw new ConfigError([{ path: '', value: undefined, message: `not valid YAML/JSON${where}: ${(err as Error).message.split('\n')[0]}` }], path);
  }
}

/**
 * Applies `path=value` overrides (`train.epochs=3`, `regularizers.0.weight=0.5`,
 * `regularizers=[]`). Values are parsed as YAML, so numbers, booleans, lists and maps work.
 * The result still goes through `validateConfig`. Each problem names the override it is in.
 */
export function applyOverrides(config: unknown, overrides: readonly string[]): unknown {
  const root = structuredClone(config ?? {}) as Record<string, unknown>;
  for (const override of overrides) {
    const fail = (path: string, value: unknown, message: string): never => {
      throw new ConfigError([{ path, value, message }], `--set ${override}`);
    };
    const eq = override.indexOf('=');
    if (eq <= 0) fail('', override, 'an override must look like path.to.key=value');
    const keys = override.slice(0, eq).split('.');
    keys.forEach((key, i) => {
      if (key === '') fail(override.slice(0, eq), override.slice(0, eq), 'a path segment is empty; write path.to.key=value');
      if (isForbiddenKey(key)) fail(keys.slice(0, i + 1).join('.'), key, forbiddenKeyMessage());
    });
    let value: unknown;
    try {
      value = parseYaml(override.slice(eq + 1));
    } catch (err) {
      fail(keys.join('.'), override.slice(eq + 1), `the value is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    }
    const inValue = forbiddenKeyIssues(value, keys);
    if (inValue.length) throw new ConfigError(inValue, `--set ${override}`);
    let node: Record<string, unknown> = root;
    keys.slice(0, -1).forEach((key, i) => {
      const next = Object.hasOwn(node, key) ? node[key] : undefined;
      if (next === undefined || next === null) {
        node[key] = /^\d+$/.test(keys[i + 1]!) ? [] : {};
      } else if (typeof next !== 'object') {
        fail(keys.slice(0, i + 1).join('.'), next, `cannot set "${keys.slice(i + 1).join('.')}" inside a non-object`);
      }
      node = node[key] as Record<string, unknown>;
    });
    node[keys[keys.length - 1]!] = value;
  }
  return root;
}
