import * as tf from '@tensorflow/tfjs-core';
import { klDivBatchmean, stopGradient } from '@selfkd/core';

/**
 * CS-KD's class-wise loss (Yun et al. 2020, `KDLoss` in alinlab/cs-kd):
 * `T² · KL_T(anchor ‖ pair)` with the pair's predictions as a constant target — no gradient
 * reaches `pairLogits`. Unweighted: multiply by λ yourself.
 */
export function csKdLoss(anchorLogits: tf.Tensor2D, pairLogits: tf.Tensor2D, temperature: number): tf.Scalar {
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new RangeError(`temperature must be a positive number, got ${temperature}`);
  return tf.tidy(() => tf.mul(klDivBatchmean(anchorLogits, stopGradient(pairLogits), temperature), temperature * temperature) as tf.Scalar);
}
