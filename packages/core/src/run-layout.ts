import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The names of a run folder's files, in one place: the trainer writes them, and the benchmark and
 * the CLI read them without depending on the trainer.
 */
/** One JSON line per finished epoch. */
export const METRICS_FILE = 'metrics.jsonl';
/** Written once, when training (and its evaluation) finished. */
export const RESULT_FILE = 'result.json';
/** The validated config, defaults filled in, written when the run starts. */
export const RESOLVED_CONFIG_FILE = 'config.resolved.json';
export const CHECKPOINTS_DIR = 'checkpoints';
/** Inside CHECKPOINTS_DIR: names the newest complete checkpoint; written last, atomically. */
export const LATEST_FILE = 'latest.json';

/** True when the run folder has a complete checkpoint to resume from (its pointer exists). */
export function hasCheckpoint(runDir: string): boolean {
  return existsSync(join(runDir, CHECKPOINTS_DIR, LATEST_FILE));
}
