import { basename, extname, join } from 'node:path';
import type { Argv } from 'yargs';
import { UsageError } from '../usage-error.js';
import { readConfigFile } from '@selfkd/core';
import { evaluateAfterTraining } from '../evaluation.js';
import { resolveRawConfig } from '../resolve-config.js';
import { applyOverrides } from '@selfkd/core';
import { createConsoleReporter, resumableConfigFile, train } from '@selfkd/trainer';
import { assertDataDir } from '../data-dir.js';
import { builtinPluginPackages } from '../builtin-plugins.js';
import { applyLoggingFlags } from '../logging-flags.js';

export interface TrainArgs {
  config?: string;
  set: string[];
  backend?: string;
  out?: string;
  resume?: string;
  'init-from'?: string;
  'data-dir'?: string;
  tensorboard?: string;
  mlflow?: string;
  wandb?: string;
}

export function trainCommand(yargs: Argv): Argv<TrainArgs> {
  return yargs
    .option('config', { alias: 'c', type: 'string', describe: 'YAML or JSON training config (optional with --resume)' })
    .option('set', { type: 'string', array: true, default: [] as string[], describe: 'override a config value: path.to.key=value (repeatable)' })
    .option('backend', { type: 'string', choices: ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'], describe: 'compute backend (overrides the config)' })
    .option('out', { alias: 'o', type: 'string', describe: 'run folder (default runs/<config name>)' })
    .option('resume', { type: 'string', describe: 'continue the run in this folder from its last checkpoint' })
    .option('init-from', { type: 'string', describe: "start a new run from the weights of this run's latest checkpoint (or of a checkpoint folder)" })
    .conflicts('init-from', 'resume')
    .option('data-dir', { type: 'string', describe: 'folder holding dataset files (IDX, CIFAR binary)' })
    .option('tensorboard', { type: 'string', describe: 'also write TensorBoard event files into this folder (config: logging.tensorboard)' })
    .option('mlflow', { type: 'string', describe: 'also record the run in this MLflow file store, e.g. mlruns (config: logging.mlflow)' })
    .option('wandb', { type: 'string', describe: 'also record the run as an offline W&B run in this folder, e.g. wandb; upload it later with wandb sync (config: logging.wandb)' })
    .check((argv) => {
      if (!argv.config && !argv.resume) throw new UsageError('give --config FILE, or --resume DIR to continue a run');
      return true;
    }) as unknown as Argv<TrainArgs>;
}

export async function runTrain(args: TrainArgs): Promise<void> {
  const outDir = args.resume ?? args.out ?? join('runs', basename(args.config!, extname(args.config!)));
  const source = args.config ?? resumableConfigFile(outDir);
  assertDataDir(args['data-dir']);
  const overrides = [...args.set, ...(args.backend ? [`backend=${args.backend}`] : [])];
  const raw = applyLoggingFlags(applyOverrides(readConfigFile(source), overrides), { tensorboard: args.tensorboard, mlflow: args.mlflow, wandb: args.wandb });
  const { config, modules, evalSuites } = await resolveRawConfig(raw, source);
  const result = await train(config, {
    outDir,
    resume: args.resume !== undefined,
    initFrom: args['init-from'],
    modules,
    // Progress on the console; the trackers of `logging:` and `reporters:` are added by the trainer.
    reporter: createConsoleReporter(),
    dataDir: args['data-dir'],
    recordVersionsOf: ['@selfkd/cli', ...Object.keys(builtinPluginPackages), ...config.plugins],
    afterTraining: config.eval === undefined ? undefined : (trained) => evaluateAfterTraining(trained, config, evalSuites),
  });
  process.stdout.write(
    `done: test top1 ${(result.metrics.top1 * 100).toFixed(2)}%, nll ${result.metrics.nll.toFixed(4)} ` +
      `(backend ${result.env.backend}, seed ${result.env.seed}, ${result.seconds.toFixed(0)}s)\nresults: ${join(outDir, 'result.json')}\n`,
  );
}
