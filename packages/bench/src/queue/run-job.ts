import { configHash } from '../config/config-hash.js';
import { COMBINATION_NAME } from '../config/bench-config.js';
import { isPlainObject, type PlainObject } from '../config/deep-merge.js';
import type { RunSpec } from '../expand-runs.js';

/** The one BullMQ queue every coordinator and worker uses; jobs are told apart by their ids. */
export const QUEUE_NAME = 'selfkd-bench';

/** The BullMQ job name of a training run. */
export const RUN_JOB_NAME = 'train';

/** What a job carries: data only (a training config), never code or paths to run. */
export interface RunJobData {
  combination: string;
  seed: number;
  hash: string;
  config: PlainObject;
}

/** What a worker hands back for a finished run: the files the coordinator records, as text. */
export interface RunJobResult {
  worker: string;
  /** The run continued from a checkpoint that an earlier attempt left in a shared runs folder. */
  resumed: boolean;
  /** Wall time of the training process on the worker (0 when the result was already in the folder). */
  trainingSeconds: number;
  resultJson: string;
  metricsJsonl: string;
}

/** What a worker reports while it trains a run (BullMQ job progress). */
export interface RunJobProgress {
  worker: string;
  resumed: boolean;
}

/**
 * The job id of a run: derived from its config hash only, so enqueueing the same run again (a
 * restarted coordinator) finds the job that exists instead of adding a second one.
 */
export function runJobId(hash: string): string {
  return `run-${hash}`;
}

export function runJobData(run: RunSpec): RunJobData {
  return { combination: run.combination, seed: run.seed, hash: run.hash, config: run.config };
}

/**
 * Checks a job's payload before a worker acts on it: a payload is untrusted data, so the run folder
 * name it yields must be a plain name and the config must be the one its hash names.
 */
export function parseRunJobData(data: unknown): RunJobData {
  if (!isPlainObject(data)) throw new Error('the job carries no run (its data is not an object)');
  const { combination, seed, hash, config } = data;
  if (typeof combination !== 'string' || !COMBINATION_NAME.test(combination)) throw new Error(`the job's combination name is not a plain folder name (got ${JSON.stringify(combination)})`);
  if (!Number.isInteger(seed) || (seed as number) < 0) throw new Error(`the job's seed must be a whole number ≥ 0 (got ${JSON.stringify(seed)})`);
  if (!isPlainObject(config)) throw new Error('the job carries no training config');
  if (config.seed !== seed) throw new Error(`the job's seed ${String(seed)} is not its config's seed (${JSON.stringify(config.seed)})`);
  if (typeof hash !== 'string' || hash !== configHash(config)) throw new Error(`the job's config hash ${JSON.stringify(hash)} does not match its config (${configHash(config)})`);
  return { combination, seed: seed as number, hash, config };
}
