import type { CompletedRun } from '../database/bench-database.js';
import type { EpochPoint } from '../results/run-outcome.js';

/** One epoch of a per-epoch series over a combination's seeds: the mean and the seeds' range. */
export interface EpochBand {
  epoch: number;
  /** Seeds that recorded this epoch. */
  n: number;
  mean: number;
  min: number;
  max: number;
}

/** Per-epoch series of a combination from each run's metrics.jsonl, each over seeds. */
export interface LearningCurves {
  testTop1: EpochBand[];
  lr: EpochBand[];
  /** Epoch mean of each loss term (`total`, `task`, one per regularizer), by term. */
  train: Record<string, EpochBand[]>;
}

export function learningCurves(runs: readonly CompletedRun[]): LearningCurves {
  const terms = [...new Set(runs.flatMap((run) => run.epochs.flatMap((e) => Object.keys(e.train))))];
  return {
    testTop1: bands(runs, (e) => e.testTop1),
    lr: bands(runs, (e) => e.lr),
    train: Object.fromEntries(terms.map((term) => [term, bands(runs, (e) => e.train[term] ?? null)])),
  };
}

function bands(runs: readonly CompletedRun[], value: (epoch: EpochPoint) => number | null): EpochBand[] {
  const byEpoch = new Map<number, number[]>();
  for (const run of runs) {
    for (const point of run.epochs) {
      const v = value(point);
      if (v !== null) byEpoch.set(point.epoch, [...(byEpoch.get(point.epoch) ?? []), v]);
    }
  }
  return [...byEpoch]
    .sort((a, b) => a[0] - b[0])
    .map(([epoch, values]) => ({ epoch, n: values.length, mean: values.reduce((s, v) => s + v, 0) / values.length, min: Math.min(...values), max: Math.max(...values) }));
}
