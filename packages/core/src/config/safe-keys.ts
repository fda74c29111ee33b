import { ConfigError, pathToString, type ConfigIssue } from './errors.js';

/**
 * Keys that reach or replace an object's prototype when assigned with `obj[key] = …`. A config is
 * plain data, so no legitimate config uses them; refusing them everywhere closes prototype
 * pollution through `--set`, config files and bench overrides alike.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/** One issue per forbidden own key anywhere in a parsed config tree. */
export function forbiddenKeyIssues(value: unknown, prefix: readonly PropertyKey[] = []): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const walk = (node: unknown, path: PropertyKey[]): void => {
    if (node === null || typeof node !== 'object') return;
    for (const key of Object.keys(node)) {
      const at = [...path, Array.isArray(node) ? Number(key) : key];
      if (isForbiddenKey(key)) {
        issues.push({ path: pathToString(at), value: key, message: forbiddenKeyMessage() });
      } else {
        walk((node as Record<string, unknown>)[key], at);
      }
    }
  };
  walk(value, [...prefix]);
  return issues;
}

export function forbiddenKeyMessage(): string {
  return `"__proto__", "prototype" and "constructor" are not allowed as config keys`;
}

/** Throws a ConfigError naming every forbidden key in `value`. */
export function assertNoForbiddenKeys(value: unknown, source: string): void {
  const issues = forbiddenKeyIssues(value);
  if (issues.length) throw new ConfigError(issues, source);
}
