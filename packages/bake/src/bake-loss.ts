import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '@selfkd/core';

/**
 * BAKE's distillation term (`KDLoss` in yxgeee/BAKE): `T² · Σ_b KL(target_b ‖ softmax(z_b / T)) / B`
 * against target probabilities (not logits), which get no gradient. Unweighted: the reference
 * multiplies it by λ (1).
 */
export function bakeLoss(logits: tf.Tensor2D, targets: tf.Tensor2D, temperature: number): tf.Scalar {
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new RangeError(`temperature must be a positive number, got ${temperature}`);
  if (logits.shape[0] !== targets.shape[0] || logits.shape[1] !== targets.shape[1]) {
    throw new RangeError(`bakeLoss: logits [${logits.shape}] and targets [${targets.shape}] differ in shape`);
  }
  return tf.tidy(() => {
    const constantTargets = stopGradient(targets);
    // Σ t·log t keeps 0·log 0 = 0 (KLDivLoss's convention); it stays on the device, as webgpu has no synchronous read.
    const negEntropy = tf.sum(tf.where(tf.greater(constantTargets, 0), tf.mul(constantTargets, tf.log(constantTargets)), tf.zerosLike(constantTargets)));
    const crossTerm = tf.sum(tf.mul(constantTargets, tf.logSoftmax(tf.div(logits, temperature))));
    return tf.mul(tf.sub(negEntropy, crossTerm), (temperature * temperature) / logits.shape[0]) as tf.Scalar;
  });
}
