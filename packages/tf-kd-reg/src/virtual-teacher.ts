import * as tf from '@tensorflow/tfjs-core';

/**
 * Tf-KD-reg's hand-designed teacher before its temperature: probability `correctProb` on the true
 * class and `(1 − correctProb)/(K − 1)` on each other class, from one-hot rows `[B, K]`.
 */
export function virtualTeacher(oneHot: tf.Tensor2D, correctProb: number): tf.Tensor2D {
  if (!(correctProb >= 0 && correctProb <= 1)) throw new RangeError(`correctProb must be in [0, 1], got ${correctProb}`);
  const numClasses = oneHot.shape[1];
  if (numClasses < 2) throw new RangeError(`the virtual teacher needs at least 2 classes, got ${numClasses}`);
  const other = (1 - correctProb) / (numClasses - 1);
  return tf.tidy(() => tf.add(tf.mul(oneHot, correctProb - other), other));
}
