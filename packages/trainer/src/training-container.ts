import 'reflect-metadata';
import {
  PluginRegistry,
  ShuffledSampler,
  TOKENS,
  bindRegularizers,
  loggingReporters,
  pluginContainer,
  samplerOwner,
  type Regularizer,
  type SelfKdConfig,
} from '@selfkd/core';
import { module as datasetsModule, type Dataset, type LoadOptions } from '@selfkd/data';
import { module as modelsModule, type ClassifierModel, type ModelSpec } from '@selfkd/models';
import type { Container, ContainerModule } from 'inversify';
import type { SelectedBackend } from './backend.js';
import { saveCheckpoint } from './checkpoint.js';
import { createOptimizer } from './optimizers.js';
import { combineReporters } from './combined-reporter.js';
import type { ReporterRun } from './reporter-contribution.js';
import type { TrainingReporter } from './reporter.js';
import { Trainer } from './trainer.js';
import { TRAINER_TOKENS, type CheckpointStore, type OptimizerFactory } from './trainer-tokens.js';

/** Models the default binding built, which the run disposes at its end; a caller's own model stays theirs. */
const modelsMadeByTraining = new WeakSet<ClassifierModel>();

export function isMadeByTraining(model: ClassifierModel): boolean {
  return modelsMadeByTraining.has(model);
}

/** The models and datasets every training container has before the run's modules are loaded. */
export const builtinComponentModules: readonly ContainerModule[] = [modelsModule, datasetsModule];

/** What one training run is, besides its config. */
export interface TrainingRun {
  outDir: string;
  dataDir?: string;
  backend: SelectedBackend;
  /** The caller's reporter (e.g. the console); the config's `reporters:` and `logging:` trackers are added to it. */
  reporter: TrainingReporter;
  /**
   * Plugin modules (regularizers, models, datasets, reporters) and the caller's own, loaded after
   * the defaults so that they may `rebind` any TRAINER_TOKENS entry.
   */
  modules: readonly ContainerModule[];
}

/**
 * The container a run resolves its Trainer from: the built-in models and datasets, a default for
 * every collaborator of the Trainer (each made from the config on first use), then the run's
 * modules, then the config's regularizers. Model and dataset are asynchronous: resolve with
 * `getAsync(Trainer)`.
 */
export function trainingContainer(config: SelfKdConfig, run: TrainingRun): Container {
  const container = pluginContainer(builtinComponentModules);
  const registry = new PluginRegistry(container);
  container.bind(TRAINER_TOKENS.Config).toConstantValue(config);
  container.bind(TRAINER_TOKENS.Backend).toConstantValue(run.backend);
  container
    .bind<Dataset>(TRAINER_TOKENS.Dataset)
    .toDynamicValue(() => {
      const { name, ...options } = config.data;
      return registry
        .dataset<Dataset, LoadOptions>(name)
        .load(options, { dataDir: run.dataDir, seed: config.seed, onProgress: (m) => run.reporter.message?.(m) });
    })
    .inSingletonScope();
  container
    .bind<ClassifierModel>(TRAINER_TOKENS.Model)
    .toDynamicValue(async (ctx) => {
      const dataset = await ctx.getAsync<Dataset>(TRAINER_TOKENS.Dataset);
      const { name, ...options } = config.model;
      const spec = { inputShape: [...dataset.imageShape], numClasses: dataset.numClasses, seed: config.seed };
      const model = registry.model<ClassifierModel, ModelSpec>(name).create(options, spec);
      modelsMadeByTraining.add(model);
      return model;
    })
    .inSingletonScope();
  container.bind<OptimizerFactory>(TRAINER_TOKENS.OptimizerFactory).toConstantValue((variables) => createOptimizer(config.train.optimizer, variables));
  container
    .bind(TRAINER_TOKENS.Sampler)
    .toDynamicValue(async (ctx) => {
      const dataset = await ctx.getAsync<Dataset>(TRAINER_TOKENS.Dataset);
      const request = { labels: dataset.train.labels, numClasses: dataset.numClasses, batchSize: config.train.batchSize };
      return samplerOwner(ctx.get<Regularizer[]>(TOKENS.Regularizers))?.createSampler!(request) ?? new ShuffledSampler(request);
    })
    .inSingletonScope();
  container
    .bind<TrainingReporter>(TRAINER_TOKENS.Reporter)
    .toDynamicValue(() => {
      const reporterRun: ReporterRun = { outDir: run.outDir, config };
      // `logging:` keys are shorthands for the tracker reporters: one way to build every reporter.
      const entries = [...config.reporters, ...loggingReporters(config.logging)];
      const named = entries.map(({ name, ...options }) => registry.reporter<TrainingReporter, ReporterRun>(name).create(options, reporterRun));
      return named.length ? combineReporters(run.reporter, ...named) : run.reporter;
    })
    .inSingletonScope();
  container
    .bind<CheckpointStore>(TRAINER_TOKENS.CheckpointStore)
    .toDynamicValue(async (ctx) => {
      const model = await ctx.getAsync<ClassifierModel>(TRAINER_TOKENS.Model);
      return { save: async (state) => void (await saveCheckpoint(run.outDir, state, { saveModel: (dir) => model.save(dir) })) };
    })
    .inSingletonScope();
  container.bind(Trainer).toSelf().inSingletonScope();
  container.load(...run.modules);
  bindRegularizers(container, config.regularizers);
  return container;
}
