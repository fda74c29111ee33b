import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { applyOverrides, readConfigFile, RESOLVED_CONFIG_FILE, writeFileAtomic } from '@selfkd/core';
import { loadDataset } from '@selfkd/data';
import { formatEvalReport, runEvaluation, type EvalConfig } from '@selfkd/eval';
import { loadModel } from '@selfkd/models';
import { describeAdapter, openBestModel, openCheckpoint, selectBackend } from '@selfkd/trainer';
import { assertDataDir } from '../data-dir.js';
import { progressLine } from '../evaluation.js';
import { resolveRawConfig } from '../resolve-config.js';

export interface EvalArgs {
  checkpoint: string;
  weights: 'last' | 'best';
  suite: string;
  set: string[];
  out?: string;
  backend?: string;
  'data-dir'?: string;
}

export function evalCommand(yargs: Argv): Argv<EvalArgs> {
  return yargs
    .option('checkpoint', { type: 'string', demandOption: true, describe: 'a run folder (its latest checkpoint) or a checkpoint folder inside one' })
    .option('weights', {
      type: 'string',
      choices: ['last', 'best'],
      default: 'last',
      describe: "last: the checkpoint's weights; best: the run folder's best-validation epoch (best/, needs data.validation)",
    })
    .option('suite', {
      type: 'string',
      default: 'all',
      describe: 'which suites to run: all, basic (classification), or a suite name (calibration, adversarial, ood, shift, or one a plugin of the run adds)',
    })
    .option('set', { type: 'string', array: true, default: [] as string[], describe: 'override a config value, e.g. eval.fgsm.eps=[0.05]' })
    .option('out', { alias: 'o', type: 'string', describe: 'folder for eval.json (default: the run folder)' })
    .option('backend', { type: 'string', choices: ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'], describe: 'compute backend' })
    .option('data-dir', { type: 'string', describe: 'folder holding dataset files' }) as unknown as Argv<EvalArgs>;
}

export async function runEval(args: EvalArgs): Promise<void> {
  assertDataDir(args['data-dir']);
  const { runDir, dir: modelDir, epoch } = await openWeights(args.checkpoint, args.weights);
  const overrides = [`eval.suite=${args.suite}`, ...args.set, ...(args.backend ? [`backend=${args.backend}`] : [])];
  const raw = applyOverrides(readConfigFile(join(runDir, RESOLVED_CONFIG_FILE)), overrides);
  const { config, evalSuites } = await resolveRawConfig(raw, join(runDir, RESOLVED_CONFIG_FILE));
  const backend = await selectBackend(config.backend);
  process.stderr.write(`backend: ${backend.name} (${backend.provider}${backend.adapter ? `, adapter ${describeAdapter(backend.adapter)}` : ''})\n`);
  const dataset = await loadDataset(config.data, { dataDir: args['data-dir'], seed: config.seed });
  const model = await loadModel(modelDir);
  try {
    const report = await runEvaluation(model, dataset, config.eval as EvalConfig, { seed: config.seed, onProgress: progressLine(), suites: evalSuites });
    process.stdout.write(formatEvalReport(report, evalSuites) + '\n');
    const outDir = args.out ?? runDir;
    await mkdir(outDir, { recursive: true });
    const path = join(outDir, 'eval.json');
    await writeFileAtomic(path, JSON.stringify({ ...report, checkpoint: resolve(modelDir), weights: args.weights, epoch, backend: backend.name, ...(backend.adapter ? { adapter: backend.adapter } : {}), seed: config.seed }, null, 2) + '\n');
    process.stdout.write(`wrote ${path}\n`);
  } finally {
    model.dispose();
  }
}

/** The model folder `--weights` names: the checkpoint's (a run folder's latest, or a checkpoint folder), or the run folder's best/. */
async function openWeights(path: string, weights: EvalArgs['weights']): Promise<{ runDir: string; dir: string; epoch: number }> {
  if (weights === 'best') {
    const { dir, best } = await openBestModel(path);
    return { runDir: path, dir, epoch: best.epoch };
  }
  const { runDir, dir, state } = await openCheckpoint(path);
  return { runDir, dir, epoch: state.epoch };
}
