import * as tf from '@tensorflow/tfjs-core';

/**
 * PS-KD's soft targets: `(1 − α)·target + α·memoryRows`, where `target` is `onehot(y)` (or the
 * output of an earlier target transform) and `memoryRows` the past predictions of the same samples.
 */
export function psKdTargets(target: tf.Tensor2D, memoryRows: tf.Tensor2D, alpha: number): tf.Tensor2D {
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`alpha must be in [0, 1], got ${alpha}`);
  if (target.shape[0] !== memoryRows.shape[0] || target.shape[1] !== memoryRows.shape[1]) {
    throw new Error(`psKdTargets: target [${target.shape}] and memory rows [${memoryRows.shape}] must have one shape`);
  }
  return tf.tidy(() => tf.add(tf.mul(target, 1 - alpha), tf.mul(memoryRows, alpha)));
}
