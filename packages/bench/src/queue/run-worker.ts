import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { Job } from 'bullmq';
import { hasCheckpoint, METRICS_FILE, RESULT_FILE } from '@selfkd/core';
import { isPlainObject, type PlainObject } from '../config/deep-merge.js';
import { existingRunConfigHash, writeRunConfig } from '../runner/run-config-file.js';
import { TRAIN_LOG_FILE } from '../runner/sweep.js';
import { describeFailure, startTraining, type TrainCommand, type TrainCommandBuilder, type TrainingProcess } from '../runner/training-process.js';
import { connectionOptions, loadBullmq } from './bullmq.js';
import { parseQueueUrl } from './queue-url.js';
import { acquireRunFolderLock } from './run-folder-lock.js';
import { parseRunJobData, QUEUE_NAME, type RunJobData, type RunJobProgress, type RunJobResult } from './run-job.js';

export interface RunWorkerOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`. */
  queue: string;
  /** Where run folders (config, log, checkpoints, result) go: `<runsDir>/<combination>/seed-<s>-<hash>/`. */
  runsDir: string;
  /** Builds the command line of one training (the CLI passes `selfkd train …`), as for a local bench. */
  trainCommand: TrainCommandBuilder;
  /** Trainings at once on this worker (default 1). */
  concurrency?: number;
  /** Validates a job's training config before anything runs; a config it rejects fails its job for good. */
  validateRun?: (config: PlainObject) => unknown;
  /**
   * Seconds without a sign of life before a worker's job counts as stalled and goes to another
   * worker (BullMQ's lock duration); default 30.
   */
  lockSeconds?: number;
  /** Shown by the coordinator as where a run trains; default `<host>#<pid>`. */
  name?: string;
  log?: (line: string) => void;
  /** Aborting stops the running trainings (their checkpoints stay) and hands their jobs back to the queue. */
  signal?: AbortSignal;
}

const DEFAULT_LOCK_SECONDS = 30;

/** How often a job may stall (its worker died) before BullMQ gives up on it. */
const MAX_STALLS = 3;

/**
 * A bench worker: takes run jobs from the queue, trains each with the same training command as a
 * local bench, in a run folder under `runsDir`, and returns its result.json and metrics.jsonl. A run
 * folder that already holds a checkpoint (a shared runs folder, an earlier attempt here) is resumed.
 * Resolves when the signal aborts and every job it held is handed back.
 */
export async function runWorker(options: RunWorkerOptions): Promise<void> {
  const address = parseQueueUrl(options.queue);
  const { Worker, UnrecoverableError, WaitingError } = await loadBullmq();
  const name = options.name ?? `${hostname()}#${process.pid}`;
  const lockMs = (options.lockSeconds ?? DEFAULT_LOCK_SECONDS) * 1000;
  const runsDir = resolve(options.runsDir);
  const log = options.log ?? ((line: string) => process.stderr.write(`worker: ${line}\n`));
  const signal = options.signal;
  const trainings = new Set<TrainingProcess>();

  const trainRun = async (job: Job, data: RunJobData): Promise<RunJobResult | 'stopped'> => {
    const dir = join(runsDir, data.combination, `seed-${data.seed}-${data.hash}`);
    mkdirSync(dir, { recursive: true });
    const lock = await acquireRunFolderLock(dir, name, lockMs, signal);
    try {
      if (existsSync(join(dir, RESULT_FILE)) && existingRunConfigHash(dir) === data.hash) return collectResult(dir, name, false, 0);
      const configFile = writeRunConfig(dir, data.config);
      const resume = hasCheckpoint(dir);
      await job.updateProgress({ worker: name, resumed: resume } satisfies RunJobProgress);
      const logFile = join(dir, TRAIN_LOG_FILE);
      const header = `${data.combination}/seed-${data.seed}, job attempt ${job.attemptsMade + 1} on ${name}, ${new Date().toISOString()}`;
      const training = startTraining(dieWithParent(options.trainCommand(configFile, dir, resume)), logFile, header);
      trainings.add(training);
      const started = performance.now();
      const exit = await training.exited;
      trainings.delete(training);
      if (exit.code === 0) return collectResult(dir, name, resume, (performance.now() - started) / 1000);
      if (signal?.aborted) return 'stopped';
      throw new Error(describeFailure(exit, logFile));
    } finally {
      lock.release();
    }
  };

  const processor = async (job: Job, token?: string): Promise<RunJobResult> => {
    let data: RunJobData;
    try {
      data = parseRunJobData(job.data);
      await options.validateRun?.(data.config);
    } catch (err) {
      // A payload this worker cannot trust or run fails at once: retrying would not change it.
      throw new UnrecoverableError(`worker ${name} refuses this run: ${(err as Error).message}`);
    }
    const outcome = signal?.aborted ? 'stopped' : await trainRun(job, data).catch((err: unknown) => (signal?.aborted && (err as Error).name === 'AbortError' ? 'stopped' : Promise.reject(err)));
    if (outcome !== 'stopped') return outcome;
    // Handed back without counting as a failed attempt; the next worker resumes from the checkpoint.
    await job.moveToWait(token);
    throw new WaitingError();
  };

  const worker = new Worker(QUEUE_NAME, processor, {
    connection: connectionOptions(address),
    concurrency: options.concurrency ?? 1,
    name,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    maxStalledCount: MAX_STALLS,
    autorun: false,
  });
  let lastError = '';
  worker.on('error', (err) => {
    if (err.message !== lastError) log(`Redis at ${address.display}: ${err.message} (retrying)`);
    lastError = err.message;
  });
  worker.on('ready', () => {
    lastError = '';
    log(`${name} takes runs from ${address.display}, ${options.concurrency ?? 1} at a time, run folders in ${runsDir}`);
  });
  worker.on('completed', (job) => log(`${runKey(job)}: done`));
  worker.on('failed', (job, err) => {
    if (job && err.name !== 'WaitingError') log(`${runKey(job)}: attempt ${job.attemptsMade} failed: ${err.message.split('\n')[0]}`);
  });

  const stop = (): void => {
    log(`stopping: ${trainings.size} training(s) stop and their runs go back to the queue`);
    for (const training of trainings) training.stop();
    void worker.close();
  };
  if (signal?.aborted) return;
  signal?.addEventListener('abort', stop, { once: true });
  try {
    await worker.run();
  } finally {
    signal?.removeEventListener('abort', stop);
    await worker.close();
  }
}

function runKey(job: Job): string {
  const data = job.data as Partial<RunJobData>;
  return `${String(data.combination)}/seed-${String(data.seed)}`;
}

function collectResult(dir: string, worker: string, resumed: boolean, trainingSeconds: number): RunJobResult {
  const resultJson = readFileSync(join(dir, RESULT_FILE), 'utf8');
  if (!isPlainObject(JSON.parse(resultJson))) throw new Error(`${join(dir, RESULT_FILE)} does not hold a JSON object`);
  const metricsFile = join(dir, METRICS_FILE);
  return { worker, resumed, trainingSeconds, resultJson, metricsJsonl: existsSync(metricsFile) ? readFileSync(metricsFile, 'utf8') : '' };
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * On Linux, the training gets SIGTERM when this worker dies (even by `kill -9`), so a killed
 * worker leaves no training behind that would go on writing a run folder another worker resumes.
 */
function dieWithParent(command: TrainCommand): TrainCommand {
  if (process.platform !== 'linux' || !existsSync(SETPRIV)) return command;
  return { command: SETPRIV, args: ['--pdeathsig', 'TERM', '--', command.command, ...command.args] };
}
