import * as tf from '@tensorflow/tfjs-core';
import { lossGradientSign, type LogitsFn } from '../attacks/loss-gradient-sign.js';
import { argmaxRows } from '../metrics/rows.js';
import { maxSoftmaxScore } from './scores.js';

export interface OdinOptions {
  /** Softmax temperature T (the paper uses 1000). */
  temperature: number;
  /** Input perturbation size in pixel units of [0, 1] (the paper's 0.0014); 0 = temperature scaling only. */
  epsilon: number;
}

/**
 * ODIN scores (Liang et al. 2018) of a batch: move each image by ε against the gradient sign
 * of the temperature-scaled cross-entropy of its own predicted class,
 * `x̃ = x − ε · sign(∇_x CE(f(x)/T, ŷ))`, which raises max_k σ(f(x̃)/T)_k more for
 * in-distribution images; the score is that maximum. As in the paper the perturbed image is not
 * clipped. ODIN steps ε/σ in normalised space, i.e. ε in pixel space, as here.
 */
export async function odinScores(logitsOf: LogitsFn, pixels: tf.Tensor4D, options: OdinOptions): Promise<Float64Array> {
  const { temperature, epsilon } = options;
  if (!(temperature > 0)) throw new Error(`odin temperature must be > 0, got ${temperature}`);
  if (!(epsilon >= 0)) throw new Error(`odin epsilon must be ≥ 0, got ${epsilon}`);
  const clean = logitsOf(pixels);
  const numClasses = clean.shape[1];
  let predicted: Int32Array;
  try {
    predicted = argmaxRows(await clean.data(), numClasses).index;
  } finally {
    clean.dispose();
  }
  const perturbed = tf.tidy(() => {
    const x = epsilon > 0 ? tf.sub(pixels, tf.mul(lossGradientSign(logitsOf, pixels, predicted, temperature), epsilon)) : pixels;
    return logitsOf(x as tf.Tensor4D);
  });
  try {
    return maxSoftmaxScore(await perturbed.data(), numClasses, temperature);
  } finally {
    perturbed.dispose();
  }
}
