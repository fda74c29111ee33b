import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Argv } from 'yargs';
import { UsageError } from '../usage-error.js';
import { validateConfig } from '@selfkd/core';
import { createProgressPrinter, loadBenchConfig, runBench, type TrainCommandBuilder } from '@selfkd/bench';
import { buildCatalog } from '../resolve-config.js';

export interface BenchArgs {
  config: string;
  workers?: number;
  out?: string;
}

const selfkdBin = fileURLToPath(new URL('../bin.js', import.meta.url));

export function benchCommand(yargs: Argv): Argv<BenchArgs> {
  return yargs
    .option('config', { alias: 'c', type: 'string', demandOption: true, describe: 'benchmark config: base training config, combinations, seeds, eval suite' })
    .option('workers', { type: 'number', describe: 'trainings at once (default: the config, else the number of cores)' })
    .option('out', { alias: 'o', type: 'string', describe: 'output folder (default runs/bench-<config name>); rerun with the same folder to resume' })
    .check((argv) => {
      if (argv.workers !== undefined && !(Number.isInteger(argv.workers) && argv.workers >= 1)) {
        throw new UsageError(`--workers must be a whole number ≥ 1, got ${argv.workers}`);
      }
      return true;
    }) as unknown as Argv<BenchArgs>;
}

/** Each training is a `selfkd train` child process, so a crash or a kill costs one run, not the sweep. */
const trainCommand: TrainCommandBuilder = (configFile, outDir, resume) => ({
  command: process.execPath,
  args: [selfkdBin, 'train', '--config', configFile, ...(resume ? ['--resume', outDir] : ['--out', outDir])],
});

/** Exit status 0 when every run is done, 1 when runs failed or the bench was interrupted. */
export async function runBenchCommand(args: BenchArgs): Promise<number> {
  const config = loadBenchConfig(args.config);
  const out = args.out ?? join('runs', `bench-${basename(args.config, extname(args.config))}`);
  const plugins = Array.isArray(config.base.plugins) ? (config.base.plugins as string[]) : [];
  const { catalog } = await buildCatalog(plugins);
  const abort = new AbortController();
  const stop = () => {
    process.stderr.write('\nstopping: running trainings are interrupted and resume when the same command runs again\n');
    abort.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const outcome = await runBench(config, {
      out,
      workers: args.workers,
      trainCommand,
      validateRun: (run) => validateConfig(run, catalog, `${args.config} (a run config)`),
      onProgress: createProgressPrinter(),
      signal: abort.signal,
    });
    process.stdout.write(
      `${outcome.done}/${outcome.total} runs done, ${outcome.failed} failed${outcome.interrupted ? ' (interrupted: rerun to resume)' : ''}\n` +
        `report: ${outcome.reports.html}\n        ${outcome.reports.markdown}\n`,
    );
    return outcome.failed > 0 || outcome.interrupted ? 1 : 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
