import * as tf from '@tensorflow/tfjs-core';
import { inject, injectable } from 'inversify';
import {
  InputError,
  Rng,
  TOKENS,
  composeLoss,
  oneHotFloat,
  type BatchSampler,
  type PrepareContext,
  type Regularizer,
  type RunInfo,
  type SampledBatch,
  type SelfKdConfig,
  type SerializedState,
} from '@selfkd/core';
import { makeBatch, type Dataset } from '@selfkd/data';
import type { ClassifierModel } from '@selfkd/models';
import { BestEpoch, type BestValidation } from './best-epoch.js';
import { DivergenceError } from './divergence-error.js';
import { evaluateSplit } from './evaluate.js';
import type { SelectedBackend } from './backend.js';
import type { Optimizer } from './optimizers.js';
import type { EpochRecord, TrainingReporter } from './reporter.js';
import { learningRateAt } from './schedule.js';
import type { TrainingState } from './checkpoint.js';
import { TRAINER_TOKENS, type OptimizerFactory } from './trainer-tokens.js';
import { loadVariables, saveVariables } from './variable-state.js';

/**
 * Decides what to do after each epoch (write metrics, the best model, checkpoint); `train`
 * supplies it. The epoch is the new best-validation epoch when `state.best.epoch` is its number.
 */
export type EpochSink = (record: EpochRecord, state: TrainingState) => Promise<void>;

/**
 * The custom training loop: one step is sample → prepare and input transforms (outside the tape)
 * → one training forward → composed loss → gradients of the model's and the regularizers' own
 * variables → optimizer update → afterStep. It receives its regularizers from the container and
 * knows no concrete regularizer.
 */
@injectable()
export class Trainer {
  /** Made by `prepareRun`, once the regularizers' own variables exist. */
  private trainables?: { variables: tf.Variable[]; optimizer: Optimizer };
  private step = 0;
  private readonly maxLoss: number;
  /** Present when the dataset holds out a validation split. */
  private readonly bestEpoch?: BestEpoch;

  constructor(
    @inject(TRAINER_TOKENS.Config) private readonly config: SelfKdConfig,
    @inject(TRAINER_TOKENS.Backend) private readonly backend: SelectedBackend,
    @inject(TRAINER_TOKENS.Dataset) private readonly dataset: Dataset,
    @inject(TRAINER_TOKENS.Model) private readonly model: ClassifierModel,
    @inject(TOKENS.Regularizers) private readonly regularizers: Regularizer[],
    @inject(TRAINER_TOKENS.Sampler) private readonly sampler: BatchSampler,
    @inject(TRAINER_TOKENS.OptimizerFactory) private readonly createOptimizer: OptimizerFactory,
    @inject(TRAINER_TOKENS.Reporter) private readonly reporter: TrainingReporter,
  ) {
    const { maxLoss } = config.train;
    this.maxLoss = maxLoss === 'auto' ? 100 * Math.log(dataset.numClasses) : maxLoss;
    if (dataset.validation) this.bestEpoch = new BestEpoch(config.train.selectBy ?? 'val-top1');
    else if (config.train.selectBy) throw new InputError(`train.selectBy is ${config.train.selectBy}, but dataset ${dataset.name} has no validation split`);
  }

  /** The best-validation epoch so far; undefined without a validation split or before the first epoch. */
  get bestValidation(): BestValidation | undefined {
    return this.bestEpoch?.current;
  }

  /** Runs `use` with the best-validation epoch's weights in the model, then restores the model's own. */
  withBestWeights<T>(use: () => Promise<T>): Promise<T> {
    if (!this.bestEpoch) throw new Error(`dataset ${this.dataset.name} has no validation split, so no epoch is selected`);
    return this.bestEpoch.withBestWeights(this.model, use);
  }

  /**
   * Awaits every regularizer's `setup` (in config order), then builds the optimizer over the
   * model's variables followed by each regularizer's own. Call once, before `restore` and `run`.
   */
  async prepareRun(): Promise<void> {
    if (this.trainables) throw new Error('prepareRun was already called for this trainer');
    const { config, model, dataset } = this;
    const description = { inputShape: model.inputShape, numClasses: model.numClasses, featureDim: model.featureDim, tapShapes: model.tapShapes };
    for (const r of this.regularizers) {
      await r.setup?.({ model: description, totalEpochs: config.train.epochs, numTrainSamples: dataset.train.size, rng: Rng.derive(config.seed, 'setup', r.name) });
    }
    const variables = [...model.trainableVariables, ...this.regularizers.flatMap((r) => r.trainableVariables?.() ?? [])];
    this.trainables = { variables, optimizer: this.createOptimizer(variables) };
  }

  private get prepared(): { variables: tf.Variable[]; optimizer: Optimizer } {
    if (!this.trainables) throw new Error('call prepareRun() before restoring or running the trainer');
    return this.trainables;
  }

  get stepsPerEpoch(): number {
    return this.sampler.batchesPerEpoch();
  }

  /** Restores optimizer and regularizer state from a checkpoint (model weights are restored by the caller). */
  restore(state: TrainingState): number {
    this.prepared.optimizer.loadState(decodeOptimizerState(state.optimizer));
    for (const r of this.regularizers) {
      const variables = r.trainableVariables?.() ?? [];
      if (variables.length) loadVariables(variables, state.regularizerVariables?.[r.name], r.name);
      const saved = state.regularizers[r.name];
      if (r.loadState) {
        if (!saved) throw new Error(`the checkpoint has no state for regularizer "${r.name}"`);
        r.loadState(saved);
      }
    }
    this.bestEpoch?.load(state.best ?? undefined);
    this.step = state.step;
    return state.epoch;
  }

  async run(startEpoch: number, onEpoch: EpochSink): Promise<EpochRecord[]> {
    const { config, dataset, reporter } = this;
    const totalEpochs = config.train.epochs;
    reporter.runStart?.({
      backend: this.backend.name,
      provider: this.backend.provider,
      seed: config.seed,
      totalEpochs,
      startEpoch,
      stepsPerEpoch: this.stepsPerEpoch,
      trainSamples: dataset.train.size,
      regularizers: this.regularizers.map((r) => r.name),
    });
    const records: EpochRecord[] = [];
    for (let epoch = startEpoch; epoch < totalEpochs; epoch++) {
      const record = await this.runEpoch(epoch);
      records.push(record);
      await onEpoch(record, await this.snapshot(epoch + 1));
      reporter.epochEnd?.(record);
    }
    return records;
  }

  private async runEpoch(epoch: number): Promise<EpochRecord> {
    const { config, dataset, model, reporter } = this;
    const started = performance.now();
    const lr = learningRateAt(config.train.schedule, config.train.optimizer.lr, epoch, config.train.epochs);
    const info = (): RunInfo => ({
      epoch,
      totalEpochs: config.train.epochs,
      step: this.step,
      numClasses: dataset.numClasses,
      numTrainSamples: dataset.train.size,
    });
    for (const r of this.regularizers) r.onEpochStart?.(info());
    reporter.epochStart?.(epoch, config.train.epochs, this.stepsPerEpoch);

    const sums: Record<string, number> = {};
    let batches = 0;
    let samples = 0;
    const augmentRng = Rng.derive(config.seed, 'augment', epoch);
    for (const batch of this.sampler.epoch(Rng.derive(config.seed, 'order', epoch))) {
      const losses = await this.trainStep(batch, augmentRng, info(), lr);
      for (const [name, value] of Object.entries(losses)) sums[name] = (sums[name] ?? 0) + value;
      batches++;
      samples += batch.indices.length;
      this.step++;
      reporter.step?.({
        epoch,
        stepInEpoch: batches,
        stepsPerEpoch: this.stepsPerEpoch,
        samplesPerSecond: samples / ((performance.now() - started) / 1000),
        losses: Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / batches])),
      });
    }
    for (const r of this.regularizers) r.onEpochEnd?.(info());
    const test = await evaluateSplit(model, dataset, 'test', config.train.evalBatchSize);
    const validation = dataset.validation ? await evaluateSplit(model, dataset, 'validation', config.train.evalBatchSize) : undefined;
    const record: EpochRecord = {
      epoch: epoch + 1,
      lr,
      train: Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / Math.max(1, batches)])),
      ...(validation ? { validation } : {}),
      test,
      seconds: (performance.now() - started) / 1000,
    };
    await this.bestEpoch?.consider(record, model);
    return record;
  }

  /**
   * One optimizer step; returns the loss values (`total`, `task`, each term). The loss values are
   * the step's one read from the backend, awaited (a GPU backend has no synchronous read) and
   * checked for divergence before the update.
   */
  private async trainStep(batch: SampledBatch, augmentRng: Rng, info: RunInfo, lr: number): Promise<Record<string, number>> {
    const { config, dataset, model } = this;
    const { variables, optimizer } = this.prepared;
    const anchors = batch.anchors;
    const labelsAll = batch.indices.map((i) => dataset.train.labels[i]!);
    let keptLogits: tf.Tensor2D | undefined;
    let keptTerms: tf.Tensor1D | undefined;
    let keptGrads: tf.Tensor[] = [];
    let termNames: string[] = [];
    try {
      tf.tidy(() => {
        const xAll = makeBatch(dataset, 'train', batch.indices, augmentRng);
        const hasExtra = batch.indices.length > anchors;
        const x = hasExtra ? sliceRows(xAll, 0, anchors) : xAll;
        const labels = labelsAll.subarray(0, anchors);
        const indices = batch.indices.subarray(0, anchors);
        const extra = hasExtra
          ? { x: sliceRows(xAll, anchors, batch.indices.length - anchors), labels: labelsAll.subarray(anchors), indices: batch.indices.subarray(anchors) }
          : undefined;
        const forward = (input: tf.Tensor, training: boolean) => model.forward(input, training);
        const contexts = this.regularizers.map(
          (r): PrepareContext => ({ ...info, x, labels, indices, extra, forward, rng: Rng.derive(config.seed, 'prepare', r.name, info.step) }),
        );
        const prepared = this.regularizers.map((r, i) => r.prepare?.(contexts[i]!));
        const input = this.regularizers.reduce<tf.Tensor>((current, r, i) => r.transformInput?.(current, contexts[i]!, prepared[i]) ?? current, x);
        const oneHot = oneHotFloat(labels, dataset.numClasses);
        const { value, grads } = tf.variableGrads(() => {
          const { features, logits, taps } = model.forward(input, true);
          const { total, terms } = composeLoss(
            this.regularizers,
            { ...info, logits, features, taps, forward, head: (f) => model.head(f), labels, oneHot, indices, extra },
            (r) => Rng.derive(config.seed, 'regularizer', r.name, info.step),
            prepared,
            config.task.weight,
          );
          termNames = ['total', ...Object.keys(terms)];
          keptTerms = tf.keep(tf.stack([total, ...Object.values(terms)]) as tf.Tensor1D);
          keptLogits = tf.keep(logits);
          return total;
        }, variables);
        keptGrads = variables.map((v) => {
          const g = grads[v.name];
          if (!g) throw new Error(`no gradient reached variable ${v.name}`);
          return tf.keep(g);
        });
        value.dispose();
      });
      const values = await keptTerms!.data();
      this.assertNotDiverged(termNames, values, info);
      tf.tidy(() => optimizer.apply(keptGrads, lr));
      for (const r of this.regularizers) await r.afterStep?.({ ...info, logits: keptLogits!, labels: labelsAll.subarray(0, anchors), indices: batch.indices.subarray(0, anchors) });
      return Object.fromEntries(termNames.map((n, i) => [n, values[i]!]));
    } finally {
      keptLogits?.dispose();
      keptTerms?.dispose();
      tf.dispose(keptGrads);
    }
  }

  /** Throws before the update when a term is not finite or the total loss (first value) is past train.maxLoss. */
  private assertNotDiverged(termNames: readonly string[], values: Float32Array | Int32Array | Uint8Array, info: RunInfo): void {
    const bad = termNames.findIndex((_, i) => !Number.isFinite(values[i]!));
    if (bad >= 0) {
      const offending = termNames.find((n, i) => n !== 'total' && !Number.isFinite(values[i]!)) ?? termNames[bad]!;
      throw new DivergenceError(info.epoch + 1, info.step, offending, values[termNames.indexOf(offending)]!);
    }
    if (values[0]! > this.maxLoss) throw new DivergenceError(info.epoch + 1, info.step, 'total', values[0]!, this.maxLoss);
  }

  private async snapshot(epochsDone: number): Promise<TrainingState> {
    const optimizer = await this.prepared.optimizer.state();
    const regularizers: Record<string, SerializedState> = {};
    for (const r of this.regularizers) if (r.state) regularizers[r.name] = r.state();
    const regularizerVariables: Record<string, SerializedState> = {};

    for (const r of this.regularizers) {
      const variables = r.trainableVariables?.() ?? [];
      if (variables.length) regularizerVariables[r.name] = await saveVariables(variables);
    }
    return {
      epoch: epochsDone,
      step: this.step,
      seed: this.config.seed,
      // Data order and augmentation are drawn from generators derived from (seed, epoch); saving the next
      // epoch's order-generator state lets resume verify that it reproduces the same stream.
      nextOrderRng: Rng.derive(this.config.seed, 'order', epochsDone).state(),
      optimizer: {
        step: optimizer.step,
        slots: optimizer.slots.map((s) => ({ name: s.name, shape: s.shape, data: s.data })),
      },
      regularizers,
      regularizerVariables,
      best: this.bestEpoch?.state() ?? null,
    };
  }

  dispose(): void {
    this.trainables?.optimizer.dispose();
    for (const r of this.regularizers) r.dispose?.();
  }
}

function sliceRows(x: tf.Tensor4D, start: number, count: number): tf.Tensor4D {
  return tf.slice(x, [start, 0, 0, 0], [count, -1, -1, -1]);
}

function decodeOptimizerState(saved: SerializedState) {
  const slots = saved.slots as { name: string; shape: number[]; data: Float32Array }[];
  return { step: saved.step as number, slots };
}
