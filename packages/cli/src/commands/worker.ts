import { isAbsolute } from 'node:path';
import type { Argv } from 'yargs';
import { ConfigError, validateConfig } from '@selfkd/core';
import { runWorker } from '@selfkd/bench';
import { buildCatalog } from '../resolve-config.js';
import { UsageError } from '../usage-error.js';
import { queueUrlFrom } from './queue-url-option.js';
import { selfkdTrainCommand } from './selfkd-train-command.js';

export interface WorkerArgs {
  queue?: string;
  concurrency: number;
  'runs-dir': string;
  'lock-seconds': number;
  name?: string;
}

export function workerCommand(yargs: Argv): Argv<WorkerArgs> {
  return yargs
    .option('queue', { type: 'string', describe: 'redis://[user:password@]host:port[/db] or rediss://… (default: $SELFKD_QUEUE, which keeps the password out of the process list)' })
    .option('concurrency', { type: 'number', default: 1, describe: 'trainings at once on this machine' })
    .option('runs-dir', { type: 'string', default: 'runs/worker', describe: 'where run folders and checkpoints go; shared storage lets another worker resume a run this one left' })
    .option('lock-seconds', { type: 'number', default: 30, describe: 'a worker silent this long counts as dead and its runs go to other workers' })
    .option('name', { type: 'string', describe: 'how the coordinator names this worker (default host#pid)' })
    .check((argv) => {
      for (const key of ['concurrency', 'lock-seconds'] as const) {
        const value = argv[key];
        if (!(Number.isInteger(value) && value >= 1)) throw new UsageError(`--${key} must be a whole number ≥ 1, got ${value}`);
      }
      return true;
    }) as unknown as Argv<WorkerArgs>;
}

/**
 * A job's config is data from the queue: it must pass the same validation as a local run, and its
 * `plugins:` may only name packages installed here (a path would make the payload choose code to run).
 */
async function validateJobConfig(config: Record<string, unknown>): Promise<void> {
  const plugins = Array.isArray(config.plugins) ? config.plugins : [];
  plugins.forEach((name, i) => {
    if (typeof name === 'string' && (name.startsWith('.') || isAbsolute(name))) {
      throw new ConfigError([{ path: `plugins[${i}]`, value: name, message: 'a queued run may only name installed plugin packages, not paths' }], 'queued run config');
    }
  });
  const { catalog } = await buildCatalog(plugins.filter((name): name is string => typeof name === 'string'));
  validateConfig(config, catalog, 'queued run config');
}

export async function runWorkerCommand(args: WorkerArgs): Promise<void> {
  const queue = queueUrlFrom(args.queue);
  // The trainings this worker starts have no use for the queue's password.
  delete process.env.SELFKD_QUEUE;
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await runWorker({
      queue,
      runsDir: args['runs-dir'],
      concurrency: args.concurrency,
      lockSeconds: args['lock-seconds'],
      ...(args.name === undefined ? {} : { name: args.name }),
      trainCommand: selfkdTrainCommand,
      validateRun: validateJobConfig,
      signal: abort.signal,
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
