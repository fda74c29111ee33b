import type { MetricDirection } from '@selfkd/core';
import type { RunStatus } from '../database/bench-database.js';
import type { Summary } from '../stats/summary.js';
import type { PairedTTest } from '../stats/paired-t-test.js';
import type { LearningCurves } from './learning-curves.js';
import type { Provenance } from './provenance.js';

/** A reliability-diagram bin pooled over a combination's seeds (null where no sample fell in it). */
export interface PooledReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  confidence: number | null;
  accuracy: number | null;
}

export interface CombinationResult {
  name: string;
  regularizers: unknown[];
  /** The grid (the combination it varies) this combination is a point of; null for the others. */
  group: string | null;
  /** For a grid point: the value of each grid path at this point (`{"sd-dropout.weight": 0.3}`); null for the others. */
  gridValues: Record<string, string | number | boolean> | null;
  /** Seeds with a finished run. */
  seeds: number[];
  failed: number;
  /** Summary over seeds of every metric the runs have, keyed by metric name. */
  metrics: Record<string, Summary>;
  /** Wall time of the training processes (not a metric: it differs between identical sweeps). */
  seconds: Summary | null;
  /** CPU time (user + system) of the training processes, where the trainer recorded it (`cost.cpuSeconds`). */
  cpuSeconds: Summary | null;
  /** Test top-1, learning rate and each loss term per epoch, mean and range over seeds (metrics.jsonl). */
  curves: LearningCurves;
  /** Pooled over seeds: every bin's count summed, confidence and accuracy count-weighted. */
  reliability: PooledReliabilityBin[] | null;
}

/** A combination against the baseline on one metric: the differences of runs with the same seed. */
export interface Comparison extends PairedTTest {
  combination: string;
  metric: string;
}

export interface BestCombination {
  metric: string;
  direction: MetricDirection;
  combination: string;
  mean: number;
}

export interface RunResult {
  combination: string;
  group: string | null;
  seed: number;
  status: RunStatus;
  attempts: number;
  configHash: string;
  backend: string | null;
  versions: Record<string, string> | null;
  seconds: number | null;
  cpuSeconds: number | null;
  error: string | null;
  metrics: Record<string, number>;
}

/** Everything the reports show; written as results.json. */
export interface BenchResults {
  /** How the statistics were computed, in words, for the reader of any report. */
  method: {
    confidence: number;
    interval: string;
    test: string;
  };
  provenance: Provenance;
  baseline: string | null;
  seeds: number[];
  /** Every metric in report order, with which way is better. */
  metrics: { name: string; direction: MetricDirection }[];
  combinations: CombinationResult[];
  comparisons: Comparison[];
  best: BestCombination[];
  runs: RunResult[];
}
