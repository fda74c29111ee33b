import type { BenchResults } from '../aggregate/bench-results.js';
import { regularizerLabel } from '../config/generate-combinations.js';
import { pairedTTest, type PairedTTest } from '../stats/paired-t-test.js';

/** One method's effect on one metric: alone (against the baseline) or added to another method. */
export interface MethodEffect {
  metric: string;
  /** The combination holding only this method. */
  method: string;
  /** The method it is added to (null: alone, against the baseline). */
  addedTo: string | null;
  /** `method − baseline`, or `method+other − other`, paired by seed. */
  effect: PairedTTest;
}

/** The interaction of two methods on one metric: `(A+B − B) − (A − baseline)` paired by seed. */
export interface MethodInteraction {
  metric: string;
  /** The combination holding both. */
  combination: string;
  methods: [string, string];
  interaction: PairedTTest;
}

export interface MethodEffects {
  baseline: string;
  /** Combinations of one regularizer each, in the bench's order. */
  methods: string[];
  effects: MethodEffect[];
  interactions: MethodInteraction[];
}

/**
 * Main effects and pairwise interactions of the methods a bench combines (as `generate:` makes
 * them): a method is a combination of one regularizer, a pair one of exactly two methods'
 * regularizers (matched by their labels, whatever the pair's name), grid points excluded. For A
 * and B: A alone is `A − baseline`, A added to B is `A+B − B`, and their interaction
 * `(A+B − B) − (A − baseline)`, which is the same for B added to A. Every difference is paired by
 * seed over the seeds all its terms finished, and tested with the paired t-test. Null without a
 * baseline or without a pair of methods.
 */
export function methodEffects(results: BenchResults, metrics: readonly string[]): MethodEffects | null {
  const baseline = results.baseline;
  if (baseline === null) return null;
  const labelsOf = (c: BenchResults['combinations'][number]): string[] => (c.regularizers as { type: string; name?: unknown }[]).map(regularizerLabel);
  const plain = results.combinations.filter((c) => c.group === null);
  const methods = plain.filter((c) => c.regularizers.length === 1).map((c) => ({ name: c.name, label: labelsOf(c)[0]! }));
  const pairOf = new Map<string, string>();
  for (const c of plain.filter((c) => c.regularizers.length === 2)) {
    const [a, b] = labelsOf(c).map((label) => methods.find((m) => m.label === label)?.name);
    if (a !== undefined && b !== undefined && a !== b) {
      pairOf.set(`${a}\n${b}`, c.name);
      pairOf.set(`${b}\n${a}`, c.name);
    }
  }
  if (pairOf.size === 0) return null;

  const valuesOf = seedValues(results);
  const effects: MethodEffect[] = [];
  const interactions: MethodInteraction[] = [];
  for (const metric of metrics) {
    const of = (combination: string): Map<number, number> => valuesOf.get(`${combination}\n${metric}`) ?? new Map();
    for (const { name: a } of methods) {
      const alone = paired([of(a), of(baseline)], difference);
      if (alone) effects.push({ metric, method: a, addedTo: null, effect: alone });
      for (const { name: b } of methods) {
        const both = pairOf.get(`${a}\n${b}`);
        if (both === undefined) continue;
        const added = paired([of(both), of(b)], difference);
        if (added) effects.push({ metric, method: a, addedTo: b, effect: added });
        // Each pair once, in the order the methods are listed.
        if (methods.findIndex((m) => m.name === a) > methods.findIndex((m) => m.name === b)) continue;
        const interaction = paired([of(both), of(b), of(a), of(baseline)], differenceOfDifferences);
        if (interaction) interactions.push({ metric, combination: both, methods: [a, b], interaction });
      }
    }
  }
  return { baseline, methods: methods.map((m) => m.name), effects, interactions };
}

const difference = (v: number[]): [number, number] => [v[0]!, v[1]!];
/** (A+B − B) against (A − baseline), from the values of A+B, B, A and the baseline. */
const differenceOfDifferences = (v: number[]): [number, number] => [v[0]! - v[1]!, v[2]! - v[3]!];

/** combination + metric → seed → value, from the finished runs. */
function seedValues(results: BenchResults): Map<string, Map<number, number>> {
  const table = new Map<string, Map<number, number>>();
  for (const run of results.runs.filter((r) => r.status === 'done')) {
    for (const [metric, value] of Object.entries(run.metrics)) {
      const key = `${run.combination}\n${metric}`;
      table.set(key, (table.get(key) ?? new Map<number, number>()).set(run.seed, value));
    }
  }
  return table;
}

/** The paired test of treatment − control, each made from the same seed's values of every series; null when no seed has them all. */
function paired(series: Map<number, number>[], split: (values: number[]) => [number, number]): PairedTTest | null {
  const seeds = [...series[0]!.keys()].filter((seed) => series.every((s) => s.has(seed))).sort((x, y) => x - y);
  if (seeds.length === 0) return null;
  const pairs = seeds.map((seed) => split(series.map((s) => s.get(seed)!)));
  return pairedTTest(
    pairs.map(([treatment]) => treatment),
    pairs.map(([, control]) => control),
  );
}
