import * as tf from '@tensorflow/tfjs-core';
import type { AfterStepContext, PrepareContext, Regularizer, SerializedState, StepContext } from '@selfkd/core';
import { PredictionMemory } from './prediction-memory.js';
import { psKdAlpha } from './ps-kd-alpha.js';
import { psKdTargets } from './ps-kd-targets.js';

/** What `prepare` hands to `transformTarget` within one step. */
export interface PsKdStepInput {
  /** The batch's memory rows `[B, K]`. */
  rows: tf.Tensor2D;
  alpha: number;
}

/**
 * PS-KD as a target transform: before the step it reads the batch's rows of past predictions
 * (setting them to `onehot(y)` in epoch 0, as the reference does), maps the target to
 * `(1 − α_t)·target + α_t·memory[idx]`, and after the optimizer step stores `σ(z)` of that step's
 * training forward pass under the same indices.
 */
export class PsKdRegularizer implements Regularizer<PsKdStepInput> {
  readonly type = 'ps-kd';
  private memory: PredictionMemory | undefined;
  /** α_t of the last step taken (null before the first). */
  private alpha: number | null = null;

  constructor(
    readonly name: string,
    readonly weight: number,
    private readonly alphaT: number,
  ) {}

  prepare(ctx: PrepareContext): PsKdStepInput {
    const memory = this.memoryFor(ctx.numTrainSamples, ctx.numClasses);
    if (ctx.epoch === 0) memory.writeOneHot(ctx.indices, ctx.labels);
    this.alpha = psKdAlpha(this.alphaT, ctx.epoch, ctx.totalEpochs);
    return { rows: tf.tensor2d(memory.rows(ctx.indices), [ctx.indices.length, ctx.numClasses]), alpha: this.alpha };
  }

  transformTarget(target: tf.Tensor2D, _ctx: StepContext, prepared: PsKdStepInput): tf.Tensor2D {
    return psKdTargets(target, prepared.rows, prepared.alpha);
  }

  async afterStep(ctx: AfterStepContext): Promise<void> {
    if (!this.memory) throw new Error(`${this.name}: afterStep before any prepare; the memory does not exist yet`);
    const probabilities = tf.softmax(ctx.logits);
    try {
      this.memory.write(ctx.indices, await probabilities.data());
    } finally {
      probabilities.dispose();
    }
  }

  state(): SerializedState {
    return {
      alphaT: this.alphaT,
      alpha: this.alpha,
      numSamples: this.memory?.numSamples ?? null,
      numClasses: this.memory?.numClasses ?? null,
      memory: this.memory ? this.memory.table.slice() : null,
    };
  }

  loadState(state: SerializedState): void {
    const { alpha, numSamples, numClasses, memory } = state;
    if (!(alpha === null || typeof alpha === 'number')) throw new Error(`${this.name}: saved alpha must be a number or null, got ${JSON.stringify(alpha)}`);
    if (memory === null) {
      this.memory = undefined;
    } else {
      if (!(memory instanceof Float32Array) || typeof numSamples !== 'number' || typeof numClasses !== 'number') {
        throw new Error(`${this.name}: saved state must hold memory (Float32Array), numSamples and numClasses`);
      }
      this.memory = new PredictionMemory(numSamples, numClasses, memory.slice());
    }
    this.alpha = alpha;
  }

  private memoryFor(numSamples: number, numClasses: number): PredictionMemory {
    if (!this.memory) this.memory = new PredictionMemory(numSamples, numClasses);
    if (this.memory.numSamples !== numSamples || this.memory.numClasses !== numClasses) {
      throw new Error(
        `${this.name}: the memory holds ${this.memory.numSamples}×${this.memory.numClasses} predictions, ` +
          `this run has ${numSamples} training samples of ${numClasses} classes`,
      );
    }
    return this.memory;
  }
}
