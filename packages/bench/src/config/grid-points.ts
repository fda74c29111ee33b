import { isForbiddenKey, pathToString, type ConfigIssue } from '@selfkd/core';
import type { ExpandedCombination, GridSpec } from './bench-config.js';
import { deepMerge, isPlainObject, type PlainObject } from './deep-merge.js';
import { regularizerLabel } from './generate-combinations.js';

type GridValue = GridSpec['values'][string][number];

/** Training config sections a bench sets itself, so a grid may not vary them. */
const BENCH_OWNED = ['seed', 'regularizers', 'eval', 'logging'];

/** Where one grid path lands: an option of one of the combination's regularizers, or the training config. */
type Target = { kind: 'regularizer'; index: number; option: string[] } | { kind: 'config'; path: string[] };

/**
 * The points of a grid: the cartesian product of its values (the first path varies slowest), each a
 * copy of the combination with those values set, named `<combination>[<option>=<value>,…]` and in
 * the group `<combination>`. A regularizer path names the option without the regularizer
 * (`weight=0.3`), a config path in full (`train.optimizer.lr=0.01`). A point's settings are
 * explicit values in its config, so adding values to a grid leaves every existing point, and its
 * finished runs, as it was. Undefined (with the problems in `issues`) when a path fits nothing.
 */
export function gridPoints(
  grid: GridSpec,
  combination: ExpandedCombination,
  base: PlainObject,
  at: readonly PropertyKey[],
  issues: ConfigIssue[],
): ExpandedCombination[] | undefined {
  const dimensions = Object.entries(grid.values).map(([path, values]) => ({ path, values, target: resolveTarget(path, combination, base, [...at, 'values', path], issues) }));
  if (dimensions.some((d) => d.target === undefined)) return undefined;
  let points: { settings: { path: string; value: GridValue; target: Target }[] }[] = [{ settings: [] }];
  for (const { path, values, target } of dimensions) {
    points = points.flatMap((point) => values.map((value) => ({ settings: [...point.settings, { path, value, target: target! }] })));
  }
  return points.map(({ settings }) => {
    const regularizers = structuredClone(combination.regularizers);
    let overrides: PlainObject = combination.overrides ?? {};
    for (const { value, target } of settings) {
      if (target.kind === 'regularizer') setPath(regularizers[target.index]!, target.option, value);
      else overrides = deepMerge(overrides, nested(target.path, value));
    }
    const label = settings.map(({ value, target }) => `${(target.kind === 'regularizer' ? target.option : target.path).join('.')}=${String(value)}`).join(',');
    return {
      name: `${combination.name}[${label}]`,
      regularizers,
      ...(Object.keys(overrides).length === 0 ? {} : { overrides }),
      group: combination.group ?? combination.name,
      gridValues: Object.fromEntries(settings.map(({ path, value }) => [path, value])),
      ...(combination.generated ? { generated: true } : {}),
    };
  });
}

function resolveTarget(path: string, combination: ExpandedCombination, base: PlainObject, at: readonly PropertyKey[], issues: ConfigIssue[]): Target | undefined {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (path.split('.').some(isForbiddenKey)) {
    issues.push({ path: pathToString(at), value: path, message: 'a grid path may not name an object prototype key' });
    return undefined;
  }
  const matches = combination.regularizers.flatMap((entry, index) => (regularizerLabel(entry) === head ? [index] : []));
  if (matches.length > 1) {
    issues.push({ path: pathToString(at), value: path, message: `combination "${combination.name}" has ${matches.length} regularizers called "${head}"; give them distinct "name"s and use one` });
    return undefined;
  }
  if (matches.length === 1) return { kind: 'regularizer', index: matches[0]!, option: rest };
  if (!BENCH_OWNED.includes(head) && isPlainObject(base[head])) return { kind: 'config', path: path.split('.') };
  const regularizers = combination.regularizers.map(regularizerLabel);
  const sections = Object.keys(base).filter((key) => !BENCH_OWNED.includes(key) && isPlainObject(base[key]));
  issues.push({
    path: pathToString(at),
    value: path,
    message:
      `"${head}" is neither a regularizer of combination "${combination.name}" (${regularizers.join(', ') || 'none'}) ` +
      `nor a section of the base training config a grid may vary (${sections.join(', ') || 'none'})`,
  });
  return undefined;
}

function nested(path: readonly string[], value: unknown): PlainObject {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as PlainObject;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  path.slice(0, -1).forEach((key) => {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  });
  node[path[path.length - 1]!] = value;
}
