import type { ExpandedCombination, GenerateSpec } from './bench-config.js';

/** How a regularizer entry is called in names and grid paths: its `name` when it has one, else its `type`. */
export function regularizerLabel(entry: { type: string; name?: unknown }): string {
  return typeof entry.name === 'string' ? entry.name : entry.type;
}

/**
 * Every subset of the listed regularizers with 1 to `maxSize` members (and the empty one, named
 * "baseline", unless turned off), smallest first. A subset keeps the list's order, in its entries
 * and in its name (`cs-kd+sd-dropout`), so adding a regularizer at the end of the list leaves every
 * existing combination, and its finished runs, as it was. No weight is set: each plugin's default
 * weight for the company it is in applies, as in a hand-written config.
 */
export function generateCombinations(spec: GenerateSpec): ExpandedCombination[] {
  const entries = spec.regularizers;
  const maxSize = Math.min(spec.maxSize ?? entries.length, entries.length);
  const subsets: number[][] = [];
  const extend = (subset: number[], next: number): void => {
    if (subset.length > 0) subsets.push(subset);
    if (subset.length === maxSize) return;
    for (let i = next; i < entries.length; i++) extend([...subset, i], i + 1);
  };
  extend([], 0);
  subsets.sort((a, b) => a.length - b.length);
  const generated = subsets.map((subset) => ({
    name: subset.map((i) => regularizerLabel(entries[i]!)).join('+'),
    regularizers: subset.map((i) => structuredClone(entries[i]!)),
    generated: true,
  }));
  return spec.baseline ? [{ name: 'baseline', regularizers: [], generated: true }, ...generated] : generated;
}
