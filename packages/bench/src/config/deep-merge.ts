import { isForbiddenKey } from '@selfkd/core';

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `overrides` merged into `base`: objects merge key by key, recursively; anything else (numbers,
 * strings, lists) in `overrides` replaces what `base` had, so `train.optimizer.lr` changes one
 * value while `regularizers: [...]`-style lists are taken whole. Neither input is modified.
 */
export function deepMerge(base: PlainObject, overrides: PlainObject): PlainObject {
  const merged: PlainObject = structuredClone(base);
  for (const [key, value] of Object.entries(overrides)) {
    // Validation refuses these keys before a merge; this guard keeps deepMerge safe on its own.
    if (isForbiddenKey(key)) throw new Error(`refusing to merge the key "${key}"`);
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : structuredClone(value);
  }
  return merged;
}
