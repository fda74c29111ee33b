import * as tf from '@tensorflow/tfjs-core';
import { klDivBatchmean, stopGradient } from '@selfkd/core';

/**
 * DLB's consistency term (Shen et al., CVPR 2022; `dlb.py` in Meta-knowledge-Lab/DLB):
 * `T² · KL_T(last ‖ current)` with batchmean reduction, where `last` are the logits the previous
 * step produced for the same samples (a constant: no gradient reaches them). Unweighted: the
 * reference multiplies it by α.
 */
export function dlbLoss(currentLogits: tf.Tensor2D, lastLogits: tf.Tensor2D, temperature: number): tf.Scalar {
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new RangeError(`temperature must be a positive number, got ${temperature}`);
  return tf.tidy(() => tf.mul(klDivBatchmean(currentLogits, stopGradient(lastLogits), temperature), temperature * temperature) as tf.Scalar);
}
