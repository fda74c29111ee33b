import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ConfigError, InputError } from '@selfkd/core';
import { releaseBackend } from '@selfkd/trainer';
import { runList } from './commands/list.js';
import { UsageError } from './usage-error.js';
import { cliVersion } from './cli-version.js';
import { initCommand, runInit, type InitArgs } from './commands/init.js';
import { runTrain, trainCommand, type TrainArgs } from './commands/train.js';
import { evalCommand, runEval, type EvalArgs } from './commands/eval.js';
import { benchCommand, runBenchCommand, type BenchArgs } from './commands/bench.js';
import { runWorkerCommand, workerCommand, type WorkerArgs } from './commands/worker.js';

/** Exit codes: 0 success, 1 runtime failure, 2 bad input (config, arguments). */
export async function main(argv: string[] = hideBin(process.argv)): Promise<number> {
  let verbose = argv.includes('--verbose');
  // A command that finishes its work but has something to report (a bench with failed runs) sets this.
  let status = 0;
  try {
    await yargs(argv)
      .scriptName('selfkd')
      .usage('$0 <command> [options]')
      .option('verbose', { type: 'boolean', default: false, describe: 'print stack traces on errors' })
      .command<InitArgs>('init [dir]', 'write example train and bench configs (tiny, on the embedded MNIST digits) to start from', initCommand, (a) => runInit(a))
      .command<TrainArgs>('train', 'train a model from a config', trainCommand, (a) => runTrain(a))
      .command<EvalArgs>('eval', 'evaluate a checkpoint: accuracy, calibration, FGSM/PGD, OOD, corruptions', evalCommand, (a) => runEval(a))
      .command<BenchArgs>('bench', 'run a combination benchmark (combinations × seeds) and write reports', benchCommand, async (a) => {
        status = await runBenchCommand(a);
      })
      .command<WorkerArgs>('worker', 'train the runs of queued benches (selfkd bench --queue) on this machine', workerCommand, (a) => runWorkerCommand(a))
      .command(
        'list',
        'list regularizers, models, datasets and backends available here',
        (y) => y.option('plugins', { type: 'string', array: true, default: [] as string[], describe: 'also load these plugin packages' }),
        async (a) => {
          process.stdout.write((await runList(a.plugins)) + '\n');
        },
      )
      .demandCommand(1, 'name a command: init, train, eval, bench, worker or list')
      .strict()
      .help()
      .version(cliVersion)
      // A library caller's process is not ours to end: --help, --version and errors return a status too.
      .exitProcess(false)
      // yargs passes its own argument errors as a message, and errors thrown by .check or a handler as `error`.
      .fail((message, error) => {
        throw error ?? new UsageError(message);
      })
      .parseAsync();
    return status;
  } catch (err) {
    verbose ||= process.env.SELFKD_VERBOSE === '1';
    const e = err as Error;
    const badInput = e instanceof ConfigError || e instanceof InputError;
    process.stderr.write(`selfkd: ${badInput ? '' : 'error: '}${e.message}\n`);
    if (verbose && e.stack) process.stderr.write(e.stack + '\n');
    if (e instanceof UsageError) process.stderr.write('run `selfkd --help` for usage\n');
    return badInput ? 2 : 1;
  } finally {
    // A WebGPU device would keep the process alive after the command has finished.
    releaseBackend();
  }
}

