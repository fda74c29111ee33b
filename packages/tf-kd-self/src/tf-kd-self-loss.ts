import * as tf from '@tensorflow/tfjs-core';
import { klDivBatchmean } from '@selfkd/core';

export interface TfKdSelfParams {
  /** `T`: both the teacher's and the student's logits are divided by it. */
  temperature: number;
}

/**
 * The distillation term of Tf-KD-self as the authors' `loss_fn_kd` computes it
 * (yuanli2333/Teacher-free-Knowledge-Distillation, my_loss_function.py):
 * `T² · KL(softmax(t/T) ‖ softmax(z/T))`, averaged over all B·K entries (PyTorch's `KLDivLoss()`
 * default reduction), with `t` the frozen teacher's logits (constants) and `z` the student's.
 * Unweighted: the reference multiplies it by α and the cross-entropy by 1 − α.
 */
export function tfKdSelfLoss(logits: tf.Tensor2D, teacherLogits: tf.Tensor2D, { temperature }: TfKdSelfParams): tf.Scalar {
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new RangeError(`temperature must be a positive number, got ${temperature}`);
  // The batch mean of the class sums, divided by K, is the mean over all B·K entries.
  const scale = (temperature * temperature) / logits.shape[1];
  return tf.tidy(() => tf.mul(klDivBatchmean(logits, teacherLogits, temperature), scale) as tf.Scalar);
}
