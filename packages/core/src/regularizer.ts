import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from './rng.js';
import type { BatchSampler, SamplerRequest } from './sampler.js';
import type { SerializedState } from './state.js';

/** What a forward pass of the classifier returns: penultimate features, logits and the model's taps. */
export interface ForwardOutput {
  features: tf.Tensor2D;
  logits: tf.Tensor2D;
  /** Every named intermediate output ("tap") the model exposes, e.g. `stage1`…`stage4` of a ResNet. */
  taps: Readonly<Record<string, tf.Tensor>>;
}

/** What a regularizer may know about the model before training: shapes, not weights. */
export interface ModelDescription {
  /** Per sample, `[H, W, C]`. */
  inputShape: readonly number[];
  numClasses: number;
  /** Width C of the penultimate features. */
  featureDim: number;
  /** Per-sample shape of each tap, by name. */
  tapShapes: Readonly<Record<string, readonly number[]>>;
}

/** Seen once, before the first step of a run (fresh or resumed), before the optimizer is built. */
export interface SetupContext {
  model: ModelDescription;
  totalEpochs: number;
  numTrainSamples: number;
  /** A generator for this regularizer's setup only (e.g. to initialise its own weights). */
  rng: Rng;
}

/** Rows of the batch after the anchors (e.g. CS-KD's same-class pairs). */
export interface ExtraRows {
  x: tf.Tensor;
  labels: Int32Array;
  indices: Int32Array;
}

/** Facts about the run that every hook can see. */
export interface RunInfo {
  epoch: number;
  totalEpochs: number;
  /** Global optimizer step, from 0. */
  step: number;
  numClasses: number;
  /** Size of the training set (rows of a per-sample memory). */
  numTrainSamples: number;
}

/**
 * Seen before the gradient is taken. Tensors made here are outside the gradient tape, so they
 * are constants for the step (this is how a regularizer detaches a target cheaply). The trainer
 * disposes everything made here at the end of the step.
 */
export interface PrepareContext extends RunInfo {
  /** Anchor inputs (the rows the task loss is computed on). */
  x: tf.Tensor;
  labels: Int32Array;
  indices: Int32Array;
  extra?: ExtraRows;
  /** Runs the model; `training` selects batch statistics (true) or running statistics (false). */
  forward(x: tf.Tensor, training: boolean): ForwardOutput;
  rng: Rng;
}

/** Seen inside the gradient closure. */
export interface StepContext extends RunInfo {
  /** Clean logits `z` of the anchors, `[B, K]`, from the one training forward pass. */
  logits: tf.Tensor2D;
  /** Penultimate features `f`, `[B, C]`. */
  features: tf.Tensor2D;
  /** The anchors' taps from the same forward pass (gradients flow through them). */
  taps: Readonly<Record<string, tf.Tensor>>;
  /** Runs the model inside the tape, e.g. on extra augmented views whose gradient must count. */
  forward(x: tf.Tensor, training: boolean): ForwardOutput;
  /** The model's last layer, shared: `head(f) = z`. */
  head(features: tf.Tensor2D): tf.Tensor2D;
  labels: Int32Array;
  /** `onehot(labels)`, float `[B, K]`. */
  oneHot: tf.Tensor2D;
  indices: Int32Array;
  extra?: ExtraRows;
  /** A generator for this regularizer and this step only: same seed, same step → same draws. */
  rng: Rng;
}

/** Seen after the optimizer step. */
export interface AfterStepContext extends RunInfo {
  /** The logits of this step's training forward pass (computed before the update). */
  logits: tf.Tensor2D;
  labels: Int32Array;
  indices: Int32Array;
}

/**
 * The contract every regularizer implements; every member is optional. The trainer calls `setup`
 * once before training, then per step: `prepare` (outside the tape) → `transformInput` (in config
 * order) → one training forward pass → `transformTarget` (in config order) → `loss` (weighted,
 * summed with the weighted task loss) → optimizer update of the model's and every regularizer's
 * `trainableVariables` → `afterStep`.
 */
export interface Regularizer<Prepared = unknown> {
  /** The config `type` of the plugin that made it. */
  readonly type: string;
  /** Name under which its loss term is logged (defaults to `type`). */
  readonly name: string;
  /** Multiplier of `loss` in the total (ignored when there is no `loss`). */
  readonly weight: number;

  /**
   * Runs once before the first step, awaited (e.g. to read a teacher checkpoint or to create
   * variables sized by the model's taps). On resume it runs before the checkpoint is restored.
   */
  setup?(ctx: SetupContext): void | Promise<void>;
  /**
   * Weights the regularizer owns (auxiliary heads, bottlenecks, a teacher), in a stable order. They
   * get gradients and optimizer updates like the model's and are saved in every checkpoint, but are
   * not part of the exported model. Asked for after `setup`.
   */
  trainableVariables?(): readonly tf.Variable[];
  /** Replaces the default sampler. At most one regularizer in a config may have one. */
  createSampler?(request: SamplerRequest): BatchSampler;
  prepare?(ctx: PrepareContext): Prepared;
  /**
   * Maps the anchor inputs to the ones the forward pass sees (mixing, another augmentation); the
   * matching change of the target belongs in `transformTarget`, which receives the same `prepared`.
   * Runs outside the tape and must keep the shape.
   */
  transformInput?(x: tf.Tensor, ctx: PrepareContext, prepared: Prepared): tf.Tensor;
  /** Maps the current target rows `[B, K]` to new ones. Must not depend on trainable weights. */
  transformTarget?(target: tf.Tensor2D, ctx: StepContext, prepared: Prepared): tf.Tensor2D;
  /** Unweighted scalar loss term; the trainer multiplies it by `weight`. */
  loss?(ctx: StepContext, prepared: Prepared): tf.Scalar;
  /**
   * After the update. A regularizer that needs the logits' values awaits `ctx.logits.data()`: GPU
   * backends (webgpu) have no synchronous read, so `dataSync()` fails there.
   */
  afterStep?(ctx: AfterStepContext): void | Promise<void>;
  onEpochStart?(info: RunInfo): void;
  onEpochEnd?(info: RunInfo): void;
  /** Everything needed to resume exactly; saved in every checkpoint. */
  state?(): SerializedState;
  loadState?(state: SerializedState): void;
  /** Releases tensors and variables the regularizer holds. */
  dispose?(): void;
}
