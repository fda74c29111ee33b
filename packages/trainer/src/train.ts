import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs-core';
import { InputError, RESOLVED_CONFIG_FILE, RESULT_FILE, Rng, toConfigFile, type SelfKdConfig } from '@selfkd/core';
import type { Dataset } from '@selfkd/data';
import { fileLoadHandler, modelCost, type ClassifierModel, type ModelCost } from '@selfkd/models';
import type { ContainerModule } from 'inversify';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { selectBackend } from './backend.js';
import { describeAdapter, type WebGpuAdapter } from './webgpu-backend.js';
import type { BestValidation } from './best-epoch.js';
import { removeBestModel, writeBestModel } from './best-model.js';
import { openCheckpoint } from './checkpoint.js';
import { DivergenceError } from './divergence-error.js';
import { checkRunFolder } from './run-folder-check.js';
import type { EpochRecord, TrainingReporter } from './reporter.js';
import { appendMetrics, metricsUpTo, writeJsonAtomic } from './run-files.js';
import { Trainer } from './trainer.js';
import { TRAINER_TOKENS, type CheckpointStore } from './trainer-tokens.js';
import { isMadeByTraining, trainingContainer } from './training-container.js';
import { describeMachine, type MachineDescription } from './machine.js';
import { packageVersions } from './versions.js';

export interface TrainOptions {
  /** Run folder: metrics.jsonl, result.json, config.resolved.json, checkpoints/. */
  outDir: string;
  /**
   * Continue from the run folder's latest intact checkpoint (from scratch if it has none yet). The
   * config must equal the one the run started with.
   */
  resume?: boolean;
  /** Start a new run from the weights of this run folder's latest checkpoint (or of a checkpoint folder). */
  initFrom?: string;
  /**
   * Plugin modules to load (every regularizer, model, dataset and reporter the config names must be
   * built in or among them), and the caller's own: a module may `rebind` any TRAINER_TOKENS entry,
   * e.g. the model or the dataset, and checkpoints and metrics are still written.
   */
  modules: readonly ContainerModule[];
  reporter?: TrainingReporter;
  dataDir?: string;
  /** Runs after the last epoch on the trained model (e.g. the evaluation suite); stored under `eval`. */
  afterTraining?: (trained: { model: ClassifierModel; dataset: Dataset }) => Promise<unknown>;
  /** Further packages whose versions belong in the record (plugins, the CLI). */
  recordVersionsOf?: readonly string[];
}

export interface RunEnvironment {
  backend: string;
  provider: string;
  /** On webgpu: the adapter the run used (vendor, architecture, device; `software` for a CPU driver). */
  adapter?: WebGpuAdapter;
  seed: number;
  versions: Record<string, string>;
  node: string;
  platform: string;
  machine: MachineDescription;
  dataSource: string;
  /** Images in each split the run used; `validation` only when it held some out (`data.validation`). */
  splits: { train: number; validation?: number; test: number };
}

export interface TrainResult {
  /** Test metrics of the last epoch. */
  metrics: { top1: number; nll: number };
  /**
   * The epoch selected on the validation split (`train.selectBy`) and its validation and test
   * metrics; its weights are in the run folder's `best/`. Only with `data.validation`.
   */
  bestValidation?: BestValidation;
  /** The validated config (result.json stores its file form, see toConfigFile). */
  config: SelfKdConfig;
  env: RunEnvironment;
  history: EpochRecord[];
  eval?: unknown;
  /** Wall time of this process's part of the run (since its start or resume). */
  seconds: number;
  /**
   * What the run cost: the model's trainable parameters and FLOPs per image (counted from its dense
   * and convolution layers), and the CPU seconds of this process (all its threads, user and
   * system), which, unlike the wall time, other processes competing for the cores do not inflate.
   */
  cost: ModelCost & { cpuSeconds: number };
}

/**
 * Trains a validated config end to end and writes the run folder. With `resume`, a run killed at
 * any point continues from its last checkpoint and ends with the same metrics as an uninterrupted
 * run on the same backend.
 */
export async function train(config: SelfKdConfig, options: TrainOptions): Promise<TrainResult> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const reporter = options.reporter ?? {};
  // The caller's reporter until the container adds the config's reporters to it.
  let runReporter = reporter;
  const { outDir } = options;
  try {
    // Everything that can refuse the run is checked before a file is written or a dataset read.
    const resumeFrom = await checkRunFolder(config, outDir, options.resume ?? false);
    const initFrom = options.initFrom === undefined || resumeFrom ? undefined : await openCheckpoint(options.initFrom);
    const backend = await selectBackend(config.backend);
    reporter.message?.(`backend: ${backend.name} (${backend.provider}${backend.adapter ? `, adapter ${describeAdapter(backend.adapter)}` : ''})`);
    const container = trainingContainer(config, { outDir, dataDir: options.dataDir, backend, reporter, modules: options.modules });
    const trainer = await container.getAsync(Trainer);
    const model = container.get<ClassifierModel>(TRAINER_TOKENS.Model);
    const dataset = container.get<Dataset>(TRAINER_TOKENS.Dataset);
    const checkpoints = await container.getAsync<CheckpointStore>(TRAINER_TOKENS.CheckpointStore);
    runReporter = container.get<TrainingReporter>(TRAINER_TOKENS.Reporter);
    try {
      await trainer.prepareRun();
      if (initFrom) {
        await restoreWeights(model, initFrom.dir);
        runReporter.message?.(`initial weights from ${initFrom.dir}`);
      }
      await mkdir(outDir, { recursive: true });
      // A resumed run's config file is already there and, as checked above, equal to this config.
      if (!resumeFrom) await writeJsonAtomic(join(outDir, RESOLVED_CONFIG_FILE), toConfigFile(config));
      let startEpoch = 0;
      let history: EpochRecord[] = [];
      let checkpointEpoch: number | undefined;
      if (resumeFrom) {
        if (resumeFrom.replacedDamaged) runReporter.message?.(`the latest checkpoint is damaged (${resumeFrom.replacedDamaged}); resuming from ${resumeFrom.dir} instead`);
        assertSameRun(resumeFrom.state.seed, config.seed, resumeFrom.state.nextOrderRng, resumeFrom.state.epoch);
        await restoreWeights(model, resumeFrom.dir);
        startEpoch = trainer.restore(resumeFrom.state);
        checkpointEpoch = startEpoch;
        await restoreBestModel(trainer, model, outDir);
        history = await metricsUpTo(outDir, startEpoch);
        runReporter.message?.(`resuming from ${resumeFrom.dir} after epoch ${startEpoch}`);
      } else {
        await metricsUpTo(outDir, 0);
        await removeBestModel(outDir);
      }
      try {
        history.push(
          ...(await trainer.run(startEpoch, async (record, state) => {
            await appendMetrics(outDir, record);
            const best = trainer.bestValidation;
            // Before the checkpoint: a kill in between reruns this epoch, which selects it again.
            if (best?.epoch === record.epoch) await writeBestModel(outDir, model, best);
            await checkpoints.save(state);
            checkpointEpoch = state.epoch;
          })),
        );
      } catch (err) {
        if (err instanceof DivergenceError) err.describeCheckpoint(outDir, checkpointEpoch);
        throw err;
      }
      const last = history[history.length - 1];
      const metrics = last ? last.test : { top1: Number.NaN, nll: Number.NaN };
      const evalReport = options.afterTraining ? await options.afterTraining({ model, dataset }) : undefined;
      if (evalReport !== undefined) runReporter.evaluationEnd?.(evalReport);
      const bestValidation = trainer.bestValidation;
      const result: TrainResult = {
        metrics,
        ...(bestValidation ? { bestValidation } : {}),
        config,
        env: {
          backend: backend.name,
          provider: backend.provider,
          ...(backend.adapter ? { adapter: backend.adapter } : {}),
          seed: config.seed,
          versions: packageVersions(options.recordVersionsOf),
          node: process.version,
          platform: `${process.platform}-${process.arch}`,
          machine: describeMachine(),
          dataSource: dataset.source,
          splits: { train: dataset.train.size, ...(dataset.validation ? { validation: dataset.validation.size } : {}), test: dataset.test.size },
        },
        history,
        ...(evalReport === undefined ? {} : { eval: evalReport }),
        seconds: (performance.now() - started) / 1000,
        cost: { ...modelCost(model.layersModel), cpuSeconds: cpuSeconds(process.cpuUsage(cpuStarted)) },
      };
      const { history: _history, ...stored } = result;
      await writeJsonAtomic(join(outDir, RESULT_FILE), { ...stored, config: toConfigFile(config) });
      return result;
    } finally {
      trainer.dispose();
      if (isMadeByTraining(model)) model.dispose();
    }
  } finally {
    runReporter.close?.();
  }
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

/**
 * Writes `best/` again from the checkpoint's copy of the best epoch's weights: a kill may have left
 * it half written, or holding an epoch after the checkpoint. Removes it when no epoch was selected yet.
 */
async function restoreBestModel(trainer: Trainer, model: ClassifierModel, outDir: string): Promise<void> {
  const best = trainer.bestValidation;
  if (best) await trainer.withBestWeights(() => writeBestModel(outDir, model, best));
  else await removeBestModel(outDir);
}

async function restoreWeights(model: ClassifierModel, dir: string): Promise<void> {
  const artifacts = await fileLoadHandler(dir).load!();
  const named = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  try {
    model.layersModel.loadWeights(named, true);
  } catch (err) {
    throw new InputError(`the weights in ${dir} do not fit the model of this config: ${(err as Error).message}`);
  } finally {
    tf.dispose(Object.values(named));
  }
}

function assertSameRun(savedSeed: unknown, seed: number, savedRng: unknown, epoch: number): void {
  if (savedSeed !== seed) throw new InputError(`the checkpoint was made with seed ${String(savedSeed)}, the config asks for seed ${seed}`);
  const expected = Rng.derive(seed, 'order', epoch).state();
  if (JSON.stringify(savedRng) !== JSON.stringify(expected)) {
    throw new InputError('the checkpoint was written by a selfkd version with another data-order scheme; it cannot be resumed exactly');
  }
}
