import * as tf from '@tensorflow/tfjs-core';

/**
 * The confidence penalty of Pereyra et al. (2017), "Regularizing neural networks by penalizing
 * confident output distributions": with `H_b = −Σ_k p_bk log p_bk` the entropy of the prediction
 * `p = σ(z)` of row b, the term is `−mean_b H_b` (added with weight β, it rewards spread-out
 * predictions), or with a `threshold` Γ the hinge form `mean_b max(0, Γ − H_b)`, which only
 * penalizes predictions whose entropy is below Γ.
 */
export function confidencePenalty(logits: tf.Tensor2D, threshold?: number): tf.Scalar {
  if (threshold !== undefined && !(threshold >= 0 && Number.isFinite(threshold))) {
    throw new RangeError(`threshold must be a non-negative number (an entropy in nats), got ${threshold}`);
  }
  return tf.tidy(() => {
    const logP = tf.logSoftmax(logits);
    const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logP), logP), 1));
    const perRow = threshold === undefined ? tf.neg(entropy) : tf.relu(tf.sub(threshold, entropy));
    return tf.mean(perRow) as tf.Scalar;
  });
}
