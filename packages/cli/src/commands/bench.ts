import { basename, extname, join } from 'node:path';
import type { Argv } from 'yargs';
import { UsageError } from '../usage-error.js';
import { validateConfig } from '@selfkd/core';
import { availableParallelism } from 'node:os';
import {
  createProgressPrinter,
  dropConflictingCombinations,
  expandRuns,
  formatPlan,
  loadBenchSuites,
  planBench,
  runBench,
  runQueuedBench,
  validateRuns,
  writeSuitesReport,
  type BenchConfig,
  type SuiteReports,
} from '@selfkd/bench';
import { measureStepTime } from './measure-step-time.js';
import { buildCatalog } from '../resolve-config.js';
import { queueUrlFrom } from './queue-url-option.js';
import { selfkdTrainCommand } from './selfkd-train-command.js';

export interface BenchArgs {
  config: string;
  workers?: number;
  out?: string;
  queue?: string;
  attempts: number;
  'dry-run': boolean;
}

export function benchCommand(yargs: Argv): Argv<BenchArgs> {
  return yargs
    .option('config', { alias: 'c', type: 'string', demandOption: true, describe: 'benchmark config: base training config, combinations, seeds, eval suite' })
    .option('workers', { type: 'number', describe: 'trainings at once (default: the config, else the number of cores)' })
    .option('out', { alias: 'o', type: 'string', describe: 'output folder (default runs/bench-<config name>); rerun with the same folder to resume' })
    .option('queue', { type: 'string', describe: 'train on `selfkd worker` processes through this Redis: redis://[user:password@]host:port[/db] or rediss://… (`--queue` alone: $SELFKD_QUEUE)' })
    .option('attempts', { type: 'number', default: 3, describe: 'with --queue: attempts per run before it is reported as failed' })
    .option('dry-run', { type: 'boolean', default: false, describe: 'print the runs (finished and to train) and an estimated time from a measured step time; train nothing' })
    .check((argv) => {
      if (argv.workers !== undefined && !(Number.isInteger(argv.workers) && argv.workers >= 1)) {
        throw new UsageError(`--workers must be a whole number ≥ 1, got ${argv.workers}`);
      }
      if (!(Number.isInteger(argv.attempts) && argv.attempts >= 1)) throw new UsageError(`--attempts must be a whole number ≥ 1, got ${argv.attempts}`);
      return true;
    }) as unknown as Argv<BenchArgs>;
}

/** One suite of the bench, ready to run: its config without conflicting combinations, and its plugins' validation and eval suites. */
interface PreparedSuite {
  name: string | null;
  out: string;
  config: BenchConfig;
  validateRun: (run: Record<string, unknown>) => ReturnType<typeof validateConfig>;
  evalSuites: Awaited<ReturnType<typeof buildCatalog>>['evalSuites'];
}

/** Every suite loaded and every run of every suite validated, before any suite trains. */
async function prepareSuites(args: BenchArgs, out: string): Promise<PreparedSuite[]> {
  const prepared: PreparedSuite[] = [];
  for (const { name, config: listed } of loadBenchSuites(args.config)) {
    const plugins = Array.isArray(listed.base.plugins) ? (listed.base.plugins as string[]) : [];
    const { catalog, evalSuites } = await buildCatalog(plugins);
    const { config, skipped } = dropConflictingCombinations(listed, catalog.plugins);
    const where = name === null ? '' : ` in suite ${name}`;
    for (const skip of skipped) process.stderr.write(`skipped generated combination ${skip.name}${where}: ${skip.reason}\n`);
    const validateRun = (run: Record<string, unknown>) => validateConfig(run, catalog, `${args.config} (a run config${where})`);
    validateRuns(expandRuns(config), validateRun);
    prepared.push({ name, out: name === null ? out : join(out, name), config, validateRun, evalSuites });
  }
  return prepared;
}

/** Exit status 0 when every run is done, 1 when runs failed or the bench was interrupted. */
export async function runBenchCommand(args: BenchArgs): Promise<number> {
  const out = args.out ?? join('runs', `bench-${basename(args.config, extname(args.config))}`);
  const suites = await prepareSuites(args, out);
  if (args['dry-run']) {
    for (const suite of suites) {
      if (suite.name !== null) process.stdout.write(`suite ${suite.name} (${suite.out}):\n`);
      await dryRun(suite, args);
    }
    return 0;
  }
  const abort = new AbortController();
  const stop = () => {
    process.stderr.write(
      args.queue === undefined
        ? '\nstopping: running trainings are interrupted and resume when the same command runs again\n'
        : '\nstopping: the workers go on with the queued runs; the same command collects their results\n',
    );
    abort.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    let status = 0;
    const finished: SuiteReports[] = [];
    for (const suite of suites) {
      if (abort.signal.aborted) break;
      if (suite.name !== null) process.stdout.write(`suite ${suite.name}\n`);
      const common = { out: suite.out, validateRun: suite.validateRun, onProgress: createProgressPrinter(), signal: abort.signal, evalSuites: suite.evalSuites };
      const outcome =
        args.queue === undefined
          ? await runBench(suite.config, { ...common, workers: args.workers, trainCommand: selfkdTrainCommand })
          : await runQueuedBench(suite.config, { ...common, queue: queueUrlFrom(args.queue), attempts: args.attempts });
      process.stdout.write(
        `${outcome.done}/${outcome.total} runs done, ${outcome.failed} failed${outcome.interrupted ? ' (interrupted: rerun to resume)' : ''}\n` +
          `report: ${outcome.reports.html}\n        ${outcome.reports.markdown}\n`,
      );
      if (outcome.failed > 0 || outcome.interrupted) status = 1;
      if (suite.name !== null) finished.push({ name: suite.name, reports: outcome.reports });
    }
    if (finished.length > 0) {
      const combined = writeSuitesReport(out, finished);
      process.stdout.write(`suites: ${combined.html}\n        ${combined.markdown}\n`);
    }
    return status;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/**
 * Prints the plan: each run's estimate is the recorded time of its combination's finished runs,
 * else the steps it will take (epochs × batches of its own config) times the step time of the
 * baseline's config measured here.
 */
async function dryRun({ config, out, validateRun }: PreparedSuite, args: BenchArgs): Promise<void> {
  const runs = expandRuns(config);
  const reference = runs.find((run) => run.combination === config.baseline) ?? runs[0]!;
  process.stderr.write(`measuring the step time of ${reference.key}…\n`);
  // A plan is still worth printing when the data cannot be read here (a coordinator without the dataset).
  const measured = await measureStepTime(reference.config, `${args.config} (${reference.key})`).catch((err: unknown) => {
    process.stderr.write(`could not measure the step time: ${(err as Error).message}\n`);
    return undefined;
  });
  const plan = planBench(config, {
    out,
    workers: args.workers ?? config.workers ?? availableParallelism(),
    secondsPerRun: (run) => {
      if (measured === undefined) return undefined;
      const { train } = validateRun(run.config);
      return train.epochs * Math.ceil(measured.trainSamples / train.batchSize) * measured.stepSeconds;
    },
  });
  if (measured !== undefined) process.stdout.write(`step time of ${reference.key}: ${(measured.stepSeconds * 1000).toFixed(1)} ms (${measured.trainSamples} training images)\n`);
  process.stdout.write(formatPlan(plan));
}
