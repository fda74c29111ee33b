import * as tf from '@tensorflow/tfjs-core';

/** Pulls every value towards its image's mean (over height, width and channels): `(x − m)·factor + m`. */
export function contrast(pixels: tf.Tensor4D, factor: number): tf.Tensor4D {
  if (!(factor >= 0)) throw new Error(`contrast factor must be ≥ 0, got ${factor}`);
  return tf.tidy(() => {
    const mean = tf.mean(pixels, [1, 2, 3], true);
    return tf.clipByValue(tf.add(tf.mul(tf.sub(pixels, mean), factor), mean), 0, 1) as tf.Tensor4D;
  });
}

/**
 * Raises HSV value (the max over channels) by `delta`, capped at 1, keeping hue and saturation:
 * the channels scale by V'/V. On one channel this is `min(x + delta, 1)`. A black pixel (V = 0)
 * becomes grey V'.
 */
export function brightness(pixels: tf.Tensor4D, delta: number): tf.Tensor4D {
  if (!(delta >= 0)) throw new Error(`brightness delta must be ≥ 0, got ${delta}`);
  return tf.tidy(() => {
    const value = tf.max(pixels, 3, true);
    const raised = tf.minimum(tf.add(value, delta), 1);
    const scaled = tf.mul(pixels, tf.div(raised, tf.maximum(value, 1e-12)));
    return tf.clipByValue(tf.where(tf.broadcastTo(tf.greater(value, 0), pixels.shape), scaled, tf.broadcastTo(raised, pixels.shape)), 0, 1) as tf.Tensor4D;
  });
}
