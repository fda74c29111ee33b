import { ConfigError, InputError } from '@selfkd/core';
import type { EvalSuite } from '@selfkd/eval';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { aggregate } from './aggregate/aggregate.js';
import type { BenchConfig } from './config/bench-config.js';
import type { PlainObject } from './config/deep-merge.js';
import { BenchDatabase } from './database/bench-database.js';
import { expandRuns, type RunSpec } from './expand-runs.js';
import { writeReports, type ReportFiles } from './report/write-reports.js';
import { acquireBenchLock } from './runner/bench-lock.js';
import type { BenchProgress } from './runner/progress.js';
import { existingRunConfigHash } from './runner/run-config-file.js';
import { Sweep } from './runner/sweep.js';
import type { TrainCommandBuilder } from './runner/training-process.js';

/** The SQLite file in the bench output folder. */
export const DATABASE_FILE = 'bench.sqlite';

/** What a local and a queued bench are both given. */
export interface BenchOptions {
  /** Output folder: bench.sqlite, runs/<combination>/seed-<s>/, the reports. */
  out: string;
  /** Validates one run's training config (throws on a bad one); every run is checked before any starts. */
  validateRun?: (config: PlainObject) => unknown;
  onProgress?: (progress: BenchProgress) => void;
  signal?: AbortSignal;
  /**
   * The evaluation suites that flatten each run's report into metrics and say which way each is
   * better (default: the built-ins). The CLI passes every suite the bench's `plugins:` load, so a
   * third-party suite's metrics reach the tables.
   */
  evalSuites?: readonly EvalSuite[];
}

export interface RunBenchOptions extends BenchOptions {
  /** Builds the command line of one training (the CLI passes `selfkd train …`). */
  trainCommand: TrainCommandBuilder;
  /** Trainings at once; default the config's `workers`, else the number of CPU cores. */
  workers?: number;
  /** Aborting stops the running trainings (they resume next time) and starts no more. */
  signal?: AbortSignal;
}

export interface BenchOutcome {
  total: number;
  done: number;
  failed: number;
  /** The signal stopped the sweep before every run ended. */
  interrupted: boolean;
  database: string;
  reports: ReportFiles;
}

/**
 * Runs a benchmark: every combination × seed as a separate training process, recorded in
 * `<out>/bench.sqlite`, then the reports. Rerunning it with the same config and folder skips
 * finished runs, resumes interrupted ones from their checkpoints and ends with the same tables.
 */
export async function runBench(config: BenchConfig, options: RunBenchOptions): Promise<BenchOutcome> {
  const workers = options.workers ?? config.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a whole number ≥ 1, got ${workers}`);
  return withBenchDatabase(config, options, (db, runs, outDir) =>
    new Sweep(db, runs, {
      outDir,
      workers,
      trainCommand: options.trainCommand,
      onProgress: options.onProgress,
      signal: options.signal,
      evalSuites: options.evalSuites,
    }).run(),
  );
}

/**
 * What a local and a queued bench share: every run config validated before anything starts, the
 * output folder locked, the database opened and checked against the configs, and the reports
 * written from it at the end, whoever trained the runs.
 */
export async function withBenchDatabase(
  config: BenchConfig,
  options: BenchOptions,
  sweep: (db: BenchDatabase, runs: readonly RunSpec[], outDir: string) => Promise<{ done: number; failed: number; interrupted: boolean }>,
): Promise<BenchOutcome> {
  const runs = expandRuns(config);
  if (options.validateRun) validateRuns(runs, options.validateRun);
  const outDir = resolve(options.out);
  mkdirSync(outDir, { recursive: true });
  const release = acquireBenchLock(outDir);
  try {
    const database = join(outDir, DATABASE_FILE);
    const db = BenchDatabase.open(database);
    try {
      assertSameConfigs(db, runs, outDir);
      db.recordBenchmark(config, runs);
      const { done, failed, interrupted } = await sweep(db, runs, outDir);
      const reports = writeReports(outDir, aggregate(db, options.evalSuites));
      return { total: runs.length, done, failed, interrupted, database, reports };
    } finally {
      db.close();
    }
  } finally {
    release();
  }
}

/** Checks every run config, and reports all problems at once (a ConfigError), grouped when seeds share them. */
export function validateRuns(runs: readonly RunSpec[], validateRun: (config: PlainObject) => unknown): void {
  const problems = new Map<string, { combination: string; seeds: number[] }>();
  for (const run of runs) {
    try {
      validateRun(run.config);
    } catch (err) {
      const key = `${run.combination}\n${(err as Error).message}`;
      const entry = problems.get(key) ?? { combination: run.combination, seeds: [] };
      entry.seeds.push(run.seed);
      problems.set(key, entry);
    }
  }
  if (problems.size === 0) return;
  const order = [...new Set(runs.map((run) => run.combination))];
  const sorted = [...problems].sort(([, a], [, b]) => order.indexOf(a.combination) - order.indexOf(b.combination) || a.seeds[0]! - b.seeds[0]!);
  const lines = sorted.map(([key, { combination, seeds }]) => {
    const message = key.slice(key.indexOf('\n') + 1).replace(/\n/g, '\n    ');
    return `  ${combination} (seed${seeds.length > 1 ? 's' : ''} ${seeds.join(', ')}): ${message}`;
  });
  throw new InvalidRunConfigsError(lines);
}

/**
 * A run already recorded (or a run folder already written) under another config would mix two
 * experiments in one table; a finished result is never overwritten, so the bench refuses instead,
 * before anything runs (bad input: exit status 2 in the CLI).
 */
function assertSameConfigs(db: BenchDatabase, runs: readonly RunSpec[], outDir: string): void {
  const changed = runs.flatMap((run) => {
    const recorded = db.run(run.combination, run.seed)?.configHash ?? existingRunConfigHash(join(outDir, run.dir));
    return recorded !== null && recorded !== run.hash ? [`${run.key} (was ${recorded}, now ${run.hash})`] : [];
  });
  if (changed.length) {
    throw new InputError(
      `the training configs of ${changed.length} run(s) in ${outDir} differ from this bench config: ${changed.join(', ')}. ` +
        'Finished results are never overwritten: use another output folder for the new config, or delete this one to start over.',
    );
  }
}

/** Bad input found before anything ran: a ConfigError, so the CLI reports it as such (exit status 2). */
class InvalidRunConfigsError extends ConfigError {
  constructor(lines: readonly string[]) {
    super(lines.map((line) => ({ path: 'combinations', value: undefined, message: line.trim() })), 'run configs');
    this.message = `invalid run config, nothing was started:\n${lines.join('\n')}`;
  }
}
