import type { BenchResults, CombinationResult, RunResult } from '../../src/index.js';
import { summarize } from '../../src/index.js';

/** A combination of in-memory results: its regularizers, grid membership and each seed's metrics. */
export interface FakeCombination {
  name: string;
  regularizers: { type: string; name?: string }[];
  group?: string;
  gridValues?: Record<string, string | number | boolean>;
  /** metric → value per seed (index = seed); null where that seed did not finish. */
  values: Record<string, (number | null)[]>;
}

const DIRECTIONS: Record<string, 'higher' | 'lower'> = { top1: 'higher', nll: 'lower', ece: 'lower' };

/**
 * BenchResults as aggregate() would make them from these runs, without a database: enough for the
 * report's tables and charts (no curves, reliability, provenance or timings).
 */
export function fakeResults(combinations: FakeCombination[], baseline: string | null = 'baseline'): BenchResults {
  const metricNames = [...new Set(combinations.flatMap((c) => Object.keys(c.values)))];
  const seeds = [...new Set(combinations.flatMap((c) => Object.values(c.values).flatMap((v) => v.map((_, seed) => seed))))];
  const runs: RunResult[] = combinations.flatMap((c) =>
    seeds.flatMap((seed) => {
      const metrics = Object.fromEntries(Object.entries(c.values).flatMap(([m, v]) => (v[seed] === null || v[seed] === undefined ? [] : [[m, v[seed]]])));
      if (Object.keys(metrics).length === 0) return [];
      return [{ combination: c.name, group: c.group ?? null, seed, status: 'done' as const, attempts: 1, configHash: 'h', backend: 'cpu', versions: null, seconds: 1, cpuSeconds: 1, error: null, metrics }];
    }),
  );
  const results: CombinationResult[] = combinations.map((c) => ({
    name: c.name,
    regularizers: c.regularizers,
    group: c.group ?? null,
    gridValues: c.gridValues ?? null,
    seeds: runs.filter((r) => r.combination === c.name).map((r) => r.seed),
    failed: 0,
    metrics: Object.fromEntries(Object.entries(c.values).map(([m, v]) => [m, summarize(v.filter((x): x is number => x !== null))])),
    seconds: null,
    cpuSeconds: null,
    curves: { testTop1: [], lr: [], train: {} },
    reliability: null,
  }));
  return {
    method: { confidence: 0.95, interval: 'mean ± t·s/√n', test: 'paired t-test by seed' },
    provenance: { datasets: [], models: [], epochs: [], backends: [], selfkd: [], tfjs: [], node: [], machines: [], startedAt: null, finishedAt: null, wallSeconds: null, trainingSeconds: 0, cpuSeconds: null },
    baseline,
    seeds,
    metrics: metricNames.map((name) => ({ name, direction: DIRECTIONS[name] ?? 'higher' })),
    combinations: results,
    comparisons: [],
    best: [],
    runs,
  };
}
