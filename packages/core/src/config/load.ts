import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError } from './errors.js';

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
 * The result still goes through `validateConfig`.
 */
export function applyOverrides(config: unknown, overrides: readonly string[]): unknown {
  const root = structuredClone(config ?? {}) as Record<string, unknown>;
  for (const override of overrides) {
    const eq = override.indexOf('=');
    if (eq <= 0) {
      throw new ConfigError([{ path: '', value: override, message: 'an override must look like path.to.key=value' }], '--set');
    }
    const keys = override.slice(0, eq).split('.');
    const value: unknown = parseYaml(override.slice(eq + 1));
    let node: Record<string, unknown> = root;
    keys.slice(0, -1).forEach((key, i) => {
      const next = node[key];
      if (next === undefined || next === null) {
        node[key] = /^\d+$/.test(keys[i + 1]!) ? [] : {};
      } else if (typeof next !== 'object') {
        throw new ConfigError(
          [{ path: keys.slice(0, i + 1).join('.'), value: next, message: `cannot set "${keys.slice(i + 1).join('.')}" inside a non-object` }],
          '--set',
        );
      }
      node = node[key] as Record<string, unknown>;
    });
    node[keys[keys.length - 1]!] = value;
  }
  return root;
}
