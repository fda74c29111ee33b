import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchConfig } from '../config/bench-config.js';
import { BenchDatabase } from '../database/bench-database.js';
import { expandRuns, type RunSpec } from '../expand-runs.js';
import { DATABASE_FILE } from '../run-bench.js';

/** One run of a planned bench. */
export interface PlannedRun {
  key: string;
  combination: string;
  group: string | null;
  seed: number;
  /** Already finished in the output folder under the same config: a bench would not train it again. */
  finished: boolean;
  /** Expected training seconds (null for a finished run, or when nothing measured what it costs). */
  estimateSeconds: number | null;
  /** Where the estimate comes from. */
  estimateFrom: 'recorded runs' | 'step time' | null;
}

export interface BenchPlan {
  combinations: number;
  /** Grids (groups of combinations). */
  groups: number;
  seeds: number;
  runs: PlannedRun[];
  finished: number;
  toRun: number;
  workers: number;
  /** Sum of the estimates of the runs to train, and that sum spread over the workers; null when a run has none. */
  trainingSeconds: number | null;
  wallSeconds: number | null;
}

export interface PlanBenchOptions {
  /** The bench output folder: its finished runs are counted as such, and their times reused as estimates. */
  out: string;
  workers: number;
  /** Estimated training seconds of a run nothing in the output folder has measured (from a measured step time). */
  secondsPerRun?: (run: RunSpec) => number | undefined;
}

/**
 * What `runBench` would do, without doing it: every run of the config, which of them the output
 * folder already finished, and how long the rest should take. A run's estimate is the mean
 * training time of the finished runs of its combination (other seeds of the same config) when the
 * folder has any, else `secondsPerRun`. The wall time assumes the workers stay busy.
 */
export function planBench(config: BenchConfig, options: PlanBenchOptions): BenchPlan {
  const specs = expandRuns(config);
  const databasePath = join(resolve(options.out), DATABASE_FILE);
  const db = existsSync(databasePath) ? BenchDatabase.open(databasePath) : undefined;
  try {
    const recordedSeconds = new Map<string, number[]>();
    for (const run of db?.runs() ?? []) {
      if (run.status === 'done' && run.seconds !== null) recordedSeconds.set(run.combination, [...(recordedSeconds.get(run.combination) ?? []), run.seconds]);
    }
    const groupOf = new Map(config.combinations.map((c) => [c.name, c.group ?? null]));
    const runs = specs.map((spec): PlannedRun => {
      const recorded = db?.run(spec.combination, spec.seed);
      const finished = recorded?.status === 'done' && recorded.configHash === spec.hash;
      const measured = recordedSeconds.get(spec.combination);
      const fromStepTime = finished || measured ? undefined : options.secondsPerRun?.(spec);
      const estimateSeconds = finished ? null : measured ? mean(measured) : (fromStepTime ?? null);
      return {
        key: spec.key,
        combination: spec.combination,
        group: groupOf.get(spec.combination) ?? null,
        seed: spec.seed,
        finished,
        estimateSeconds,
        estimateFrom: estimateSeconds === null ? null : measured ? 'recorded runs' : 'step time',
      };
    });
    const pending = runs.filter((run) => !run.finished);
    const trainingSeconds = pending.every((run) => run.estimateSeconds !== null) ? pending.reduce((sum, run) => sum + run.estimateSeconds!, 0) : null;
    return {
      combinations: config.combinations.length,
      groups: new Set(config.combinations.flatMap((c) => (c.group === undefined ? [] : [c.group]))).size,
      seeds: config.seeds.length,
      runs,
      finished: runs.length - pending.length,
      toRun: pending.length,
      workers: options.workers,
      trainingSeconds,
      wallSeconds: trainingSeconds === null ? null : trainingSeconds / Math.min(options.workers, Math.max(pending.length, 1)),
    };
  } finally {
    db?.close();
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
