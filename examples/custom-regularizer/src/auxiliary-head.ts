import * as tf from '@tensorflow/tfjs-core';
import { klDivBatchmean, softTargetCrossEntropy, stopGradient } from '@selfkd/core';

/** The weights of one auxiliary classifier: a dense layer from a pooled tap to the classes. */
export interface AuxiliaryHeadWeights {
  kernel: tf.Variable;
  bias: tf.Variable;
}

/**
 * Logits of an auxiliary classifier on an intermediate output: a feature map `[B, H, W, C]` is
 * averaged over its positions, a vector `[B, C]` is used as it is, then `pooled · kernel + bias`.
 */
export function auxiliaryLogits(tap: tf.Tensor, head: AuxiliaryHeadWeights): tf.Tensor2D {
  return tf.tidy(() => {
    const pooled = tap.rank === 4 ? tf.mean(tap, [1, 2]) : tap.rank === 2 ? tap : undefined;
    if (!pooled) throw new Error(`an auxiliary head reads a [B, C] or [B, H, W, C] tap, got shape [${tap.shape.join(', ')}]`);
    return tf.add(tf.matMul(pooled as tf.Tensor2D, head.kernel), head.bias) as tf.Tensor2D;
  });
}

/**
 * The loss of an auxiliary classifier in the style of "Be Your Own Teacher" (Zhang et al. 2019):
 * `(1 − α)·CE(a, target) + α·T²·KL(σ(z/T) ‖ σ(a/T))`, where `a` are the auxiliary logits and the
 * teacher `z` (the model's own final logits) is detached, so only the shallow layers and the head
 * learn from it.
 */
export function auxiliaryHeadLoss(auxLogits: tf.Tensor2D, finalLogits: tf.Tensor2D, target: tf.Tensor2D, alpha: number, temperature: number): tf.Scalar {
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`alpha must be in [0, 1], got ${alpha}`);
  return tf.tidy(() => {
    const ce = softTargetCrossEntropy(auxLogits, target);
    const kd = tf.mul(klDivBatchmean(auxLogits, stopGradient(finalLogits), temperature), temperature * temperature);
    return tf.add(tf.mul(ce, 1 - alpha), tf.mul(kd, alpha)) as tf.Scalar;
  });
}
