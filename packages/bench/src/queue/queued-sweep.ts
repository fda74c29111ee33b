import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job, Queue } from 'bullmq';
import type { EvalSuite } from '@selfkd/eval';
import { METRICS_FILE, RESULT_FILE, writeFileAtomicSync } from '@selfkd/core';
import type { BenchDatabase } from '../database/bench-database.js';
import type { RunSpec } from '../expand-runs.js';
import { readRunOutcome, type RunOutcome } from '../results/run-outcome.js';
import { EtaEstimator, type BenchProgress, type RunEvent } from '../runner/progress.js';
import { writeRunConfig } from '../runner/run-config-file.js';
import { connectionOptions, loadBullmq } from './bullmq.js';
import type { QueueAddress } from './queue-url.js';
import { QUEUE_NAME, RUN_JOB_NAME, runJobData, runJobId, type RunJobProgress, type RunJobResult } from './run-job.js';

export interface QueuedSweepOptions {
  outDir: string;
  address: QueueAddress;
  /** Attempts per run before it counts as failed (a worker that dies or stops does not use one up). */
  attempts: number;
  pollMs: number;
  log: (line: string) => void;
  onProgress?: (progress: BenchProgress) => void;
  signal?: AbortSignal;
  /** Flatten each run's evaluation report (default: the built-in suites). */
  evalSuites?: readonly EvalSuite[];
}

/** Keeps the coordinator's marker key alive between polls; it goes by itself after a coordinator is killed. */
const SENTINEL_TTL_SECONDS = 24 * 3600;

/** The waiting states of a BullMQ job (it is queued, not running). */
const QUEUED_STATES = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

/**
 * The coordinator's side of a queued bench: enqueues every unfinished run as a job whose id is its
 * config hash (so a restarted coordinator finds its jobs again instead of adding more), then polls
 * the jobs and records each result in the database as it arrives, exactly as a local sweep records
 * its own. A marker key tells it when Redis lost its data (restarted without persistence): what
 * was not finished is enqueued again.
 */
export class QueuedSweep {
  readonly #outstanding = new Map<string, RunSpec>();
  readonly #running = new Map<string, { worker: string; attempt: number; failures: number; since: number }>();
  readonly #eta = new EtaEstimator(1);
  readonly #sentinel = `selfkd:coordinator:${randomUUID()}`;
  #done = 0;
  #failed = 0;
  #peakRunning = 1;

  constructor(
    private readonly db: BenchDatabase,
    private readonly runs: readonly RunSpec[],
    private readonly options: QueuedSweepOptions,
  ) {}

  async run(): Promise<{ done: number; failed: number; interrupted: boolean }> {
    const { Queue } = await loadBullmq();
    const { address, log, signal } = this.options;
    const queue = new Queue(QUEUE_NAME, { connection: connectionOptions(address) });
    let unreachable = false;
    queue.on('error', (err) => {
      if (!unreachable) log(`cannot reach Redis at ${address.display} (${err.message}); waiting for it`);
      unreachable = true;
    });
    try {
      await this.#start(queue);
      while (this.#outstanding.size > 0 && !signal?.aborted) {
        try {
          await this.#poll(queue);
          if (unreachable) log(`Redis at ${address.display} is reachable again`);
          unreachable = false;
        } catch (err) {
          if (!unreachable) log(`cannot reach Redis at ${address.display} (${(err as Error).message}); waiting for it`);
          unreachable = true;
        }
        await sleep(this.options.pollMs, undefined, { signal }).catch(() => undefined);
      }
      await (await queue.client).del(this.#sentinel).catch(() => undefined);
    } finally {
      await queue.close();
    }
    return { done: this.#done, failed: this.#failed, interrupted: this.#outstanding.size > 0 };
  }

  /**
   * Jobs of runs this database already settled are removed (their results are recorded; a failed
   * run is tried again, as a local bench does); every other run is enqueued, which changes nothing
   * for a run whose job exists.
   */
  async #start(queue: Queue): Promise<void> {
    for (const run of this.runs) {
      const status = this.db.run(run.combination, run.seed)?.status;
      // A job still locked by a worker cannot be removed; it is then simply attached to again.
      if (status === 'done' || status === 'failed') await queue.remove(runJobId(run.hash)).catch(() => 0);
      if (status === 'done') this.#done++;
      else this.#outstanding.set(run.key, run);
    }
    await this.#enqueue(queue, [...this.#outstanding.values()]);
    await this.#markAlive(queue);
    this.options.log(`${this.#outstanding.size} of ${this.runs.length} runs queued on ${this.options.address.display}; waiting for workers (selfkd worker --queue …)`);
  }

  async #enqueue(queue: Queue, runs: readonly RunSpec[]): Promise<void> {
    if (runs.length === 0) return;
    await queue.addBulk(
      runs.map((run) => ({
        name: RUN_JOB_NAME,
        data: runJobData(run),
        opts: { jobId: runJobId(run.hash), attempts: this.options.attempts, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: false, removeOnFail: false },
      })),
    );
  }

  async #poll(queue: Queue): Promise<void> {
    if ((await (await queue.client).get(this.#sentinel)) === null) {
      this.options.log(
        `Redis at ${this.options.address.display} lost its data (restarted without persistence, or flushed): ` +
          `the ${this.#outstanding.size} unfinished run(s) are queued again`,
      );
      await this.#enqueue(queue, [...this.#outstanding.values()]);
      await this.#markAlive(queue);
      return;
    }
    await this.#markAlive(queue);
    const runs = [...this.#outstanding.values()];
    const jobs = await Promise.all(
      runs.map(async (run) => {
        // The state first: a job read before its state could be a finished job without its result.
        const state = await queue.getJobState(runJobId(run.hash));
        const job = state === 'unknown' ? undefined : ((await queue.getJob(runJobId(run.hash))) as Job | undefined);
        return { run, job, state };
      }),
    );
    const vanished: RunSpec[] = [];
    for (const { run, job, state } of jobs) {
      if (!job || state === 'unknown') vanished.push(run);
      else if (state === 'completed') await this.#complete(queue, run, job);
      else if (state === 'failed') await this.#fail(queue, run, job);
      else if (state === 'active') this.#active(run, job);
      else if (QUEUED_STATES.has(state)) this.#queued(run, job);
    }
    if (vanished.length > 0) {
      this.options.log(`${vanished.length} job(s) vanished from the queue (${vanished.map((r) => r.key).join(', ')}); queued again`);
      await this.#enqueue(queue, vanished);
    }
  }

  /** The marker key whose disappearance means that Redis lost its data. */
  async #markAlive(queue: Queue): Promise<void> {
    await (await queue.client).set(this.#sentinel, this.options.outDir, { EX: SENTINEL_TTL_SECONDS });
  }

  async #complete(queue: Queue, run: RunSpec, job: Job): Promise<void> {
    const result = job.returnvalue as Partial<RunJobResult> | null;
    const dir = join(this.options.outDir, run.dir);
    let outcome: RunOutcome;
    try {
      if (typeof result?.resultJson !== 'string' || typeof result.metricsJsonl !== 'string') throw new Error('the worker returned no result.json');
      mkdirSync(dir, { recursive: true });
      writeRunConfig(dir, run.config);
      writeFileAtomicSync(join(dir, METRICS_FILE), result.metricsJsonl);
      writeFileAtomicSync(join(dir, RESULT_FILE), result.resultJson);
      outcome = readRunOutcome(dir, this.options.evalSuites);
      this.db.addAttempts(run.combination, run.seed, job.attemptsStarted);
      this.db.markDone(run.combination, run.seed, outcome);
    } catch (err) {
      await this.#fail(queue, run, job, `the result of ${run.key} cannot be recorded: ${(err as Error).message}`);
      return;
    }
    if (job.processedOn && job.finishedOn) this.#eta.recordDuration((job.finishedOn - job.processedOn) / 1000);
    this.#settle(run);
    await queue.remove(job.id!).catch(() => 0);
    this.#done++;
    const top1 = outcome.metrics.find((m) => m.name === 'top1');
    this.#emit({ kind: 'done', run: run.key, detail: [`on ${String(result?.worker)}`, ...(top1 ? [`top1 ${top1.value.toFixed(4)}`] : [])].join(', ') });
  }

  async #fail(queue: Queue, run: RunSpec, job: Job, reason?: string): Promise<void> {
    const where = job.processedBy ? `, the last on ${job.processedBy}` : '';
    const error = reason ?? `failed after ${job.attemptsMade} attempt(s)${where}: ${job.failedReason}`;
    this.db.addAttempts(run.combination, run.seed, job.attemptsStarted);
    this.db.markFailed(run.combination, run.seed, error);
    this.#settle(run);
    await queue.remove(job.id!).catch(() => 0);
    this.#failed++;
    this.#emit({ kind: 'failed', run: run.key, detail: error.split('\n').slice(-1)[0] });
  }

  #active(run: RunSpec, job: Job): void {
    const progress = job.progress as Partial<RunJobProgress> | number;
    const worker = job.processedBy ?? (typeof progress === 'object' ? progress.worker : undefined) ?? 'a worker';
    const seen = this.#running.get(run.key);
    if (seen && seen.worker === worker && seen.attempt === job.attemptsStarted) return;
    // Between two polls the job may have gone back to the queue and been taken by another worker:
    // report the hand-back the poll did not see before the new start.
    if (seen) this.#queued(run, job);
    this.#running.set(run.key, { worker, attempt: job.attemptsStarted, failures: job.attemptsMade, since: performance.now() });
    this.#peakRunning = Math.max(this.#peakRunning, this.#running.size);
    this.db.markRunning(run.combination, run.seed, null, false);
    this.#emit({ kind: 'started', run: run.key, detail: `on ${worker}` });
  }

  /** A run that was running is queued again: its attempt failed and it waits to be retried, or its worker stopped or died. */
  #queued(run: RunSpec, job: Job): void {
    const seen = this.#running.get(run.key);
    if (!seen) return;
    this.#running.delete(run.key);
    this.db.markPending(run.combination, run.seed);
    const why =
      job.attemptsMade > seen.failures
        ? `attempt ${job.attemptsMade} on ${seen.worker} failed (${String(job.failedReason).split('\n')[0]}); queued again`
        : `back in the queue (${seen.worker} stopped or died)`;
    this.#emit({ kind: 'stopped', run: run.key, detail: why });
  }

  #settle(run: RunSpec): void {
    this.#outstanding.delete(run.key);
    this.#running.delete(run.key);
  }

  #emit(event: RunEvent): void {
    const now = performance.now();
    const running = [...this.#running.values()];
    const runningOn: Record<string, number> = {};
    for (const { worker } of running) runningOn[worker] = (runningOn[worker] ?? 0) + 1;
    const pending = this.#outstanding.size - running.length;
    this.options.onProgress?.({
      total: this.runs.length,
      done: this.#done,
      running: running.length,
      failed: this.#failed,
      pending,
      runningOn,
      etaSeconds: this.#eta.etaSeconds(pending, running.map((r) => (now - r.since) / 1000), this.#peakRunning),
      event,
    });
  }
}
