import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { hasCheckpoint, RESULT_FILE } from '@selfkd/core';
import type { EvalSuite } from '@selfkd/eval';
import type { BenchDatabase } from '../database/bench-database.js';
import type { RunSpec } from '../expand-runs.js';
import { readRunOutcome, type RunOutcome } from '../results/run-outcome.js';
import { stopLeftoverTraining } from './leftover-training.js';
import { EtaEstimator, type BenchProgress, type RunEvent } from './progress.js';
import { writeRunConfig } from './run-config-file.js';
import { describeFailure, startTraining, type TrainCommandBuilder, type TrainingProcess } from './training-process.js';

/** Each run folder's training output. */
export const TRAIN_LOG_FILE = 'train.log';

export interface SweepOptions {
  outDir: string;
  workers: number;
  trainCommand: TrainCommandBuilder;
  onProgress?: (progress: BenchProgress) => void;
  signal?: AbortSignal;
  /** Flatten each run's evaluation report (default: the built-in suites). */
  evalSuites?: readonly EvalSuite[];
}

/**
 * Drives the runs of one bench invocation: first settles what a previous, killed bench left
 * (stops its trainings, records results that were written but not recorded), then trains every
 * unfinished run with at most `workers` processes at once. Every state change goes to the database
 * before the next step, so killing the bench at any moment loses at most the running epochs.
 */
export class Sweep {
  readonly #running = new Map<string, { training: TrainingProcess; started: number }>();
  readonly #eta: EtaEstimator;
  #done = 0;
  #failed = 0;
  #pending: RunSpec[] = [];

  constructor(
    private readonly db: BenchDatabase,
    private readonly runs: readonly RunSpec[],
    private readonly options: SweepOptions,
  ) {
    this.#eta = new EtaEstimator(options.workers);
  }

  async run(): Promise<{ done: number; failed: number; interrupted: boolean }> {
    this.#pending = this.runs.filter((run) => this.db.run(run.combination, run.seed)?.status !== 'done');
    this.#done = this.runs.length - this.#pending.length;
    await this.#recoverLeftovers();
    const abort = (): void => this.#running.forEach(({ training }) => training.stop());
    this.options.signal?.addEventListener('abort', abort);
    try {
      const workers = Array.from({ length: Math.min(this.options.workers, this.#pending.length) }, () => this.#worker());
      await Promise.all(workers);
    } finally {
      this.options.signal?.removeEventListener('abort', abort);
    }
    return { done: this.#done, failed: this.#failed, interrupted: this.#aborted() };
  }

  async #worker(): Promise<void> {
    for (let run = this.#pending.shift(); run && !this.#aborted(); run = this.#pending.shift()) await this.#train(run);
  }

  async #train(run: RunSpec): Promise<void> {
    const dir = join(this.options.outDir, run.dir);
    mkdirSync(dir, { recursive: true });
    const configFile = writeRunConfig(dir, run.config);
    const resume = hasCheckpoint(dir);
    const attempt = (this.db.run(run.combination, run.seed)?.attempts ?? 0) + 1;
    const logFile = join(dir, TRAIN_LOG_FILE);
    const training = startTraining(this.options.trainCommand(configFile, dir, resume), logFile, `${run.key}, attempt ${attempt}, ${new Date().toISOString()}`);
    // No await between the start and this record: a bench killed later always knows the process.
    this.db.markRunning(run.combination, run.seed, training.pid);
    const started = performance.now();
    this.#running.set(run.key, { training, started });
    this.#emit({ kind: resume ? 'resumed' : 'started', run: run.key });

    const exit = await training.exited;
    this.#running.delete(run.key);
    if (exit.code === 0) {
      try {
        this.#record(run, readRunOutcome(dir, this.options.evalSuites), 'done');
        this.#eta.recordDuration((performance.now() - started) / 1000);
      } catch (err) {
        this.#fail(run, `training exited with code 0 but its result cannot be recorded: ${(err as Error).message}`);
      }
    } else if (this.#aborted()) {
      this.db.markPending(run.combination, run.seed);
      this.#emit({ kind: 'stopped', run: run.key });
    } else {
      this.#fail(run, describeFailure(exit, logFile));
    }
  }

  #record(run: RunSpec, outcome: RunOutcome, kind: 'done' | 'recovered'): void {
    this.db.markDone(run.combination, run.seed, outcome);
    this.#done++;
    const top1 = outcome.metrics.find((m) => m.name === 'top1');
    this.#emit({ kind, run: run.key, ...(top1 ? { detail: `top1 ${top1.value.toFixed(4)}` } : {}) });
  }

  #fail(run: RunSpec, error: string): void {
    this.db.markFailed(run.combination, run.seed, error);
    this.#failed++;
    this.#emit({ kind: 'failed', run: run.key, detail: error.split('\n').slice(-1)[0] });
  }

  /**
   * A bench killed mid-sweep may have left trainings running (stop them: this bench resumes them
   * from their checkpoints) and trainings that finished after it died (record their results).
   */
  async #recoverLeftovers(): Promise<void> {
    for (const run of [...this.#pending]) {
      const record = this.db.run(run.combination, run.seed);
      const dir = join(this.options.outDir, run.dir);
      if (record?.status === 'running' && record.pid !== null) await stopLeftoverTraining(record.pid, dir);
      if (!existsSync(join(dir, RESULT_FILE))) continue;
      let outcome: RunOutcome;
      try {
        outcome = readRunOutcome(dir, this.options.evalSuites);
      } catch {
        continue; // an unreadable result: the run is trained again (resumed from its checkpoint)
      }
      this.#pending.splice(this.#pending.indexOf(run), 1);
      this.#record(run, outcome, 'recovered');
    }
  }

  #aborted(): boolean {
    return this.options.signal?.aborted ?? false;
  }

  #emit(event: RunEvent): void {
    const now = performance.now();
    const elapsed = [...this.#running.values()].map((r) => (now - r.started) / 1000);
    this.options.onProgress?.({
      total: this.runs.length,
      done: this.#done,
      running: this.#running.size,
      failed: this.#failed,
      pending: this.#pending.length,
      etaSeconds: this.#eta.etaSeconds(this.#pending.length, elapsed),
      event,
    });
  }
}
