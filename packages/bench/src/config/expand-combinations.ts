import { pathToString, type ConfigIssue } from '@selfkd/core';
import type { ExpandedCombination, GenerateSpec, GridSpec } from './bench-config.js';
import { canonicalJson } from './config-hash.js';
import type { PlainObject } from './deep-merge.js';
import { generateCombinations } from './generate-combinations.js';
import { gridPoints } from './grid-points.js';

export interface CombinationSpecs {
  combinations: ExpandedCombination[];
  generate?: GenerateSpec;
  grids?: GridSpec[];
}

/**
 * The combinations a bench runs, in report order: those listed, then the generated ones, with each
 * gridded combination replaced, where it stood, by its points. Problems (a grid on an unknown
 * combination or the baseline, a path that fits nothing, two combinations with one name) go to
 * `issues`, all at once.
 */
export function expandCombinations(specs: CombinationSpecs, base: PlainObject, baseline: string | undefined, issues: ConfigIssue[]): ExpandedCombination[] {
  const listed = specs.combinations;
  const generated = specs.generate === undefined ? [] : generateCombinations(specs.generate).filter((g) => !listed.some((c) => c.name === g.name && sameRegularizers(c, g)));
  let combinations = [...listed, ...generated];
  const resolvedBaseline = baseline ?? combinations.find((c) => c.regularizers.length === 0)?.name;
  (specs.grids ?? []).forEach((grid, i) => {
    const at = ['grids', i];
    const index = combinations.findIndex((c) => c.name === grid.combination);
    if (index < 0) {
      issues.push({ path: pathToString([...at, 'combination']), value: grid.combination, message: `no combination has this name; known: ${combinations.map((c) => c.name).join(', ')}` });
      return;
    }
    if (grid.combination === resolvedBaseline) {
      issues.push({
        path: pathToString([...at, 'combination']),
        value: grid.combination,
        message: 'the baseline is what every point is compared with, so it is not gridded; list a copy of it under another name and grid that',
      });
      return;
    }
    const points = gridPoints(grid, combinations[index]!, base, at, issues);
    if (points) combinations = [...combinations.slice(0, index), ...points, ...combinations.slice(index + 1)];
  });
  // Two listed combinations with one name are reported by the schema already.
  const seen = new Map<string, ExpandedCombination>();
  for (const combination of combinations) {
    const other = seen.get(combination.name);
    if (other !== undefined && !(listed.includes(other) && listed.includes(combination))) {
      issues.push({ path: 'combinations', value: combination.name, message: 'two combinations (listed, generated or grid points) have this name; rename the listed one' });
    }
    seen.set(combination.name, combination);
  }
  return combinations;
}

/** A listed combination that is exactly a generated one stands for it (the user's overrides win). */
function sameRegularizers(a: ExpandedCombination, b: ExpandedCombination): boolean {
  return canonicalJson(a.regularizers) === canonicalJson(b.regularizers);
}
