import * as tf from '@tensorflow/tfjs-core';
import { klDivBatchmean, softTargetCrossEntropy, stopGradient } from '@selfkd/core';

export interface DksParams {
  /** Softmax temperature T of the matching terms (each scaled by T²). */
  temperature: number;
}

/**
 * DKS's term over the exits `e = [z, a_1, …, a_n]` (the model's own logits, then the branches'):
 * `Σ_i CE(a_i, target) + Σ_{i ≠ j} T²·KL(σ(e_j/T) ‖ σ(e_i/T))` with `e_j` detached in each pair,
 * so every exit, the model's included, learns from every other one. The model's own cross-entropy
 * is the task loss.
 */
export function dksLoss(branchLogits: readonly tf.Tensor2D[], finalLogits: tf.Tensor2D, target: tf.Tensor2D, { temperature }: DksParams): tf.Scalar {
  if (branchLogits.length === 0) throw new RangeError('dksLoss: needs at least one branch');
  if (!(temperature > 0)) throw new RangeError(`dksLoss: temperature must be > 0, got ${temperature}`);
  return tf.tidy(() => {
    const exits = [finalLogits, ...branchLogits];
    const teachers = exits.map((e) => stopGradient(e));
    const terms = branchLogits.map((a) => softTargetCrossEntropy(a, target));
    exits.forEach((student, i) =>
      teachers.forEach((teacher, j) => {
        if (i !== j) terms.push(tf.mul(klDivBatchmean(student, teacher, temperature), temperature * temperature));
      }),
    );
    return tf.addN(terms) as tf.Scalar;
  });
}
