import * as tf from '@tensorflow/tfjs-core';

/** Pixels in [0, 1] (NHWC, before normalisation) → logits. The model in evaluation mode, normalisation included. */
export type LogitsFn = (pixels: tf.Tensor4D) => tf.Tensor2D;

/**
 * `sign(∇_x Σ_i CE(f(x)_i / T, y_i))`: the direction that raises each sample's cross-entropy
 * fastest under an L∞ budget. The loss is summed, not averaged: each sample's gradient is its own
 * (the model runs in evaluation mode), and a sum keeps tiny gradients away from underflow.
 */
export function lossGradientSign(logitsOf: LogitsFn, pixels: tf.Tensor4D, labels: ArrayLike<number>, temperature = 1): tf.Tensor4D {
  if (labels.length !== pixels.shape[0]) {
    throw new Error(`labels has ${labels.length} entries but the batch has ${pixels.shape[0]} images`);
  }
  return tf.tidy(() => {
    const lossOf = (x: tf.Tensor): tf.Scalar => {
      const logits = logitsOf(x as tf.Tensor4D);
      const target = tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), logits.shape[1]);
      const logProbs = tf.logSoftmax(tf.div(logits, temperature));
      return tf.neg(tf.sum(tf.mul(target, logProbs))) as tf.Scalar;
    };
    return tf.sign(tf.grad(lossOf)(pixels)) as tf.Tensor4D;
  });
}

/** Throws unless eps is a finite number ≥ 0 (an L∞ radius in pixel units of [0, 1]). */
export function checkEpsilon(eps: number, field = 'eps'): void {
  if (!Number.isFinite(eps) || eps < 0) {
    throw new Error(`${field} must be a finite number ≥ 0 (an L∞ radius in pixel units of [0, 1]), got ${eps}`);
  }
}
