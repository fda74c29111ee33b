import * as tf from '@tensorflow/tfjs-core';

/**
 * `(1 − ε)·target + ε/K`: every class gets ε/K, the true class keeps 1 − ε + ε/K (Szegedy et al.).
 * Not the `ε/(K−1)` variant. Works on one-hot rows or on any soft target rows `[B, K]`.
 */
export function smoothLabels(target: tf.Tensor2D, epsilon: number): tf.Tensor2D {
  if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`epsilon must be in [0, 1], got ${epsilon}`);
  const numClasses = target.shape[1];
  return tf.tidy(() => tf.add(tf.mul(target, 1 - epsilon), epsilon / numClasses));
}
