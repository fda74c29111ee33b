import type { BenchConfig } from '../config/bench-config.js';
import { withBenchDatabase, type BenchOptions, type BenchOutcome } from '../run-bench.js';
import { QueuedSweep } from './queued-sweep.js';
import { parseQueueUrl } from './queue-url.js';

export interface RunQueuedBenchOptions extends BenchOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). */
  queue: string;
  /** Attempts per run before it is reported as failed (default 3); a worker that dies or stops uses none up. */
  attempts?: number;
  /** What the coordinator has to say besides progress (queued runs, Redis going away); the password is never in it. */
  log?: (line: string) => void;
  /** Aborting stops waiting; the workers go on, and the same call later collects their results. */
  signal?: AbortSignal;
  /** How often the jobs are looked at, in milliseconds (default 500). */
  pollMs?: number;
}

const DEFAULT_ATTEMPTS = 3;
const DEFAULT_POLL_MS = 500;

/**
 * A bench whose runs train on `selfkd worker` processes anywhere that reach the same Redis: the
 * same validation, database, run folders and reports as `runBench`, with the trainings done by
 * the workers. Calling it again with the same config and folder re-attaches to the jobs.
 */
export async function runQueuedBench(config: BenchConfig, options: RunQueuedBenchOptions): Promise<BenchOutcome> {
  const address = parseQueueUrl(options.queue);
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be a whole number ≥ 1, got ${attempts}`);
  const log = options.log ?? ((line: string) => process.stderr.write(`bench: ${line}\n`));
  return withBenchDatabase(config, options, (db, runs, outDir) =>
    new QueuedSweep(db, runs, {
      outDir,
      address,
      attempts,
      pollMs: options.pollMs ?? DEFAULT_POLL_MS,
      log,
      onProgress: options.onProgress,
      signal: options.signal,
      evalSuites: options.evalSuites,
    }).run(),
  );
}
