import { pathToString } from './errors.js';

/** One place where two configs differ: the path, and the value in each (undefined where absent). */
export interface ConfigDifference {
  path: string;
  before: unknown;
  after: unknown;
}

/**
 * Every leaf where `after` differs from `before`, in dotted/indexed notation (`train.optimizer.lr`,
 * `regularizers[1]`). Objects are compared key by key; arrays of different length differ as a
 * whole, otherwise element by element.
 */
export function diffConfigs(before: unknown, after: unknown): ConfigDifference[] {
  const differences: ConfigDifference[] = [];
  const walk = (a: unknown, b: unknown, path: PropertyKey[]): void => {
    if (Object.is(a, b)) return;
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((item, i) => walk(item, b[i], [...path, i]));
      return;
    }
    if (isObject(a) && isObject(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[key], b[key], [...path, key]);
      return;
    }
    differences.push({ path: pathToString(path), before: a, after: b });
  };
  walk(before, after, []);
  return differences;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
