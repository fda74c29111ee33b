import type { EvalSuite } from '@selfkd/eval';
import type { BenchDatabase, CompletedRun } from '../database/bench-database.js';
import { isPlainObject } from '../config/deep-merge.js';
import { pairedTTest } from '../stats/paired-t-test.js';
import { benchMetricDirection } from '../results/best-validation-metrics.js';
import { CONFIDENCE, summarize, type Summary } from '../stats/summary.js';
import { cpuSecondsOf } from './cpu-seconds.js';
import { learningCurves } from './learning-curves.js';
import { provenance } from './provenance.js';
import type { BenchResults, BestCombination, CombinationResult, Comparison, PooledReliabilityBin, RunResult } from './bench-results.js';

/**
 * The statistics of a benchmark, from its database: per combination the mean, standard deviation
 * and t-based 95 % interval of every metric over seeds; per combination and metric the paired
 * t-test against the baseline over the seeds both finished; the best combination per metric.
 */
export function aggregate(db: BenchDatabase, evalSuites?: readonly EvalSuite[]): BenchResults {
  const benchmark = db.benchmark();
  const completed = db.completedRuns();
  const metricNames = [...new Set(completed.flatMap((run) => run.metrics.map((m) => m.name)))];
  const directions = metricNames.map((name) => ({ name, direction: benchMetricDirection(name, evalSuites) }));
  const bySeed = metricsBySeed(completed);
  const valuesOf = (combination: string, metric: string): Map<number, number> => bySeed.get(combination)?.get(metric) ?? new Map();
  const recorded = db.runs().filter((r) => benchmark.seeds.includes(r.seed) && benchmark.combinations.some((c) => c.name === r.combination));

  const groupOf = new Map(benchmark.combinations.map((c) => [c.name, c.group ?? null]));
  const combinations: CombinationResult[] = benchmark.combinations.map(({ name, regularizers, gridValues }) => {
    const runs = completed.filter((run) => run.combination === name);
    const metrics: Record<string, Summary> = {};
    for (const metric of metricNames) {
      const values = [...valuesOf(name, metric).values()];
      if (values.length) metrics[metric] = summarize(values);
    }
    const seconds = runs.flatMap((run) => (run.seconds === null ? [] : [run.seconds]));
    const cpuSeconds = runs.flatMap((run) => cpuSecondsOf(run.result) ?? []);
    return {
      name,
      regularizers,
      group: groupOf.get(name) ?? null,
      gridValues: gridValues ?? null,
      seeds: runs.map((run) => run.seed),
      failed: recorded.filter((r) => r.combination === name && r.status === 'failed').length,
      metrics,
      seconds: seconds.length ? summarize(seconds) : null,
      cpuSeconds: cpuSeconds.length ? summarize(cpuSeconds) : null,
      curves: learningCurves(runs),
      reliability: pooledReliability(runs),
    };
  });

  const comparisons: Comparison[] = [];
  if (benchmark.baseline !== null) {
    for (const { name } of benchmark.combinations.filter((c) => c.name !== benchmark.baseline)) {
      for (const metric of metricNames) {
        const control = valuesOf(benchmark.baseline, metric);
        const treatment = valuesOf(name, metric);
        const seeds = [...treatment.keys()].filter((seed) => control.has(seed));
        if (seeds.length === 0) continue;
        const test = pairedTTest(
          seeds.map((s) => treatment.get(s)!),
          seeds.map((s) => control.get(s)!),
        );
        comparisons.push({ combination: name, metric, ...test });
      }
    }
  }

  const completedByKey = new Map(completed.map((run) => [`${run.combination}\n${run.seed}`, run]));
  const runs: RunResult[] = recorded.map((r) => ({
    combination: r.combination,
    group: groupOf.get(r.combination) ?? null,
    seed: r.seed,
    status: r.status,
    attempts: r.attempts,
    configHash: r.configHash,
    backend: r.backend,
    versions: r.versions,
    seconds: r.seconds,
    cpuSeconds: cpuSecondsOf(completedByKey.get(`${r.combination}\n${r.seed}`)?.result ?? {}),
    error: r.error,
    metrics: Object.fromEntries((completedByKey.get(`${r.combination}\n${r.seed}`)?.metrics ?? []).map((m) => [m.name, m.value])),
  }));

  return {
    method: {
      confidence: CONFIDENCE,
      interval: `mean ± t(${(1 + CONFIDENCE) / 2}, n−1) · s/√n over seeds (Student t interval; s the sample standard deviation)`,
      test: 'paired t-test by seed against the baseline (two-sided, n−1 degrees of freedom, n the seeds both finished)',
    },
    provenance: provenance(completed),
    baseline: benchmark.baseline,
    seeds: benchmark.seeds,
    metrics: directions,
    combinations,
    comparisons,
    best: bestPerMetric(directions, combinations),
    runs,
  };
}

/** combination → metric → seed → value. */
function metricsBySeed(runs: readonly CompletedRun[]): Map<string, Map<string, Map<number, number>>> {
  const table = new Map<string, Map<string, Map<number, number>>>();
  for (const run of runs) {
    const metrics = table.get(run.combination) ?? new Map<string, Map<number, number>>();
    table.set(run.combination, metrics);
    for (const { name, value } of run.metrics) {
      const seeds = metrics.get(name) ?? new Map<number, number>();
      metrics.set(name, seeds.set(run.seed, value));
    }
  }
  return table;
}

function bestPerMetric(metrics: BenchResults['metrics'], combinations: readonly CombinationResult[]): BestCombination[] {
  return metrics.flatMap(({ name: metric, direction }) => {
    let best: BestCombination | null = null;
    for (const c of combinations) {
      const mean = c.metrics[metric]?.mean;
      if (mean === undefined) continue;
      if (best === null || (direction === 'higher' ? mean > best.mean : mean < best.mean)) best = { metric, direction, combination: c.name, mean };
    }
    return best ? [best] : [];
  });
}

/** Sums the reliability bins of every run that has the same binning as the first. */
function pooledReliability(runs: readonly CompletedRun[]): PooledReliabilityBin[] | null {
  const diagrams = runs.map((run) => reliabilityOf(run.result)).filter((d): d is PooledReliabilityBin[] => d !== null);
  if (diagrams.length === 0) return null;
  const first = diagrams[0]!;
  const same = diagrams.filter((d) => d.length === first.length && d.every((bin, i) => bin.lower === first[i]!.lower && bin.upper === first[i]!.upper));
  return first.map((bin, i) => {
    const bins = same.map((d) => d[i]!).filter((b) => b.count > 0);
    const count = bins.reduce((s, b) => s + b.count, 0);
    const weighted = (key: 'confidence' | 'accuracy'): number | null => (count === 0 ? null : bins.reduce((s, b) => s + b.count * (b[key] ?? 0), 0) / count);
    return { lower: bin.lower, upper: bin.upper, count, confidence: weighted('confidence'), accuracy: weighted('accuracy') };
  });
}

function reliabilityOf(result: Record<string, unknown>): PooledReliabilityBin[] | null {
  const evalReport = isPlainObject(result.eval) ? result.eval : {};
  const calibration = isPlainObject(evalReport.calibration) ? evalReport.calibration : {};
  if (!Array.isArray(calibration.reliability)) return null;
  const bins = calibration.reliability.filter(isPlainObject);
  const valid = bins.every((b) => typeof b.lower === 'number' && typeof b.upper === 'number' && typeof b.count === 'number');
  if (!valid || bins.length === 0) return null;
  const numberOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return bins.map((b) => ({
    lower: b.lower as number,
    upper: b.upper as number,
    count: b.count as number,
    confidence: numberOrNull(b.confidence),
    accuracy: numberOrNull(b.accuracy),
  }));
}
