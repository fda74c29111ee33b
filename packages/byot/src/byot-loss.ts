import * as tf from '@tensorflow/tfjs-core';
import { klDivBatchmean, softTargetCrossEntropy, stopGradient } from '@selfkd/core';
import type { BranchOutput } from './tap-branches.js';

export interface ByotParams {
  /** Softmax temperature T of the distillation terms (each scaled by T²). */
  temperature: number;
  /** Multiplier of the feature hints. */
  hintWeight: number;
}

/**
 * BYOT's term for the shallow exits (the deepest exit's cross-entropy is the task loss):
 * `Σ_i [CE(a_i, target) + T²·KL(σ(z/T) ‖ σ(a_i/T)) + hintWeight·mean((h_i − f)²)]`, where `a_i`
 * and `h_i` are branch i's logits and pooled features, `z` and `f` the model's own logits and
 * penultimate features. The teachers `z` and `f` are detached: the deepest exit teaches, it does
 * not learn from the shallow ones.
 */
export function byotLoss(
  branches: readonly BranchOutput[],
  finalLogits: tf.Tensor2D,
  finalFeatures: tf.Tensor2D,
  target: tf.Tensor2D,
  { temperature, hintWeight }: ByotParams,
): tf.Scalar {
  if (branches.length === 0) throw new RangeError('byotLoss: needs at least one branch');
  if (!(temperature > 0)) throw new RangeError(`byotLoss: temperature must be > 0, got ${temperature}`);
  if (!(hintWeight >= 0)) throw new RangeError(`byotLoss: hintWeight must be ≥ 0, got ${hintWeight}`);
  for (const { features } of branches) {
    if (features.shape.join() !== finalFeatures.shape.join()) {
      throw new RangeError(`byotLoss: branch features [${features.shape.join(', ')}] do not match the model's features [${finalFeatures.shape.join(', ')}]`);
    }
  }
  return tf.tidy(() => {
    const teacherLogits = stopGradient(finalLogits);
    const teacherFeatures = stopGradient(finalFeatures);
    const perBranch = branches.map(({ logits, features }) =>
      tf.addN([
        softTargetCrossEntropy(logits, target),
        tf.mul(klDivBatchmean(logits, teacherLogits, temperature), temperature * temperature),
        tf.mul(tf.mean(tf.squaredDifference(features, teacherFeatures)), hintWeight),
      ]),
    );
    return tf.addN(perBranch) as tf.Scalar;
  });
}
