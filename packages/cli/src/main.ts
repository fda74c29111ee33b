import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ConfigError } from '@selfkd/core';
import { runList } from './commands/list.js';
import { runTrain, trainCommand, type TrainArgs } from './commands/train.js';
import { evalCommand, runEval, type EvalArgs } from './commands/eval.js';
import { benchCommand, runBenchCommand, type BenchArgs } from './commands/bench.js';

/** Exit codes: 0 success, 1 runtime failure, 2 bad input (config, arguments). */
export async function main(argv: string[] = hideBin(process.argv)): Promise<number> {
  let verbose = argv.includes('--verbose');
  try {
    await yargs(argv)
      .scriptName('selfkd')
      .usage('$0 <command> [options]')
      .option('verbose', { type: 'boolean', default: false, describe: 'print stack traces on errors' })
      .command<TrainArgs>('train', 'train a model from a config', trainCommand, (a) => runTrain(a))
      .command<EvalArgs>('eval', 'evaluate a checkpoint: accuracy, calibration, FGSM/PGD, OOD, corruptions', evalCommand, (a) => runEval(a))
      .command<BenchArgs>('bench', 'run a combination benchmark (combinations × seeds) and write reports', benchCommand, (a) => runBenchCommand(a))
      .command(
        'list',
        'list regularizers, models, datasets and backends available here',
        (y) => y.option('plugins', { type: 'string', array: true, default: [] as string[], describe: 'also load these plugin packages' }),
        async (a) => {
          process.stdout.write((await runList(a.plugins)) + '\n');
        },
      )
      .demandCommand(1, 'name a command: train, eval, bench or list')
      .strict()
      .help()
      .fail((message, error) => {
        throw error ?? new UsageError(message);
      })
      .parseAsync();
    return 0;
  } catch (err) {
    verbose ||= process.env.SELFKD_VERBOSE === '1';
    const e = err as Error;
    process.stderr.write(`selfkd: ${e instanceof ConfigError || e instanceof UsageError ? '' : 'error: '}${e.message}\n`);
    if (verbose && e.stack) process.stderr.write(e.stack + '\n');
    if (e instanceof UsageError) process.stderr.write('run `selfkd --help` for usage\n');
    return e instanceof ConfigError || e instanceof UsageError ? 2 : 1;
  }
}

class UsageError extends Error {}
