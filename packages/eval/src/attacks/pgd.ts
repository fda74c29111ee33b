import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@selfkd/core';
import { checkEpsilon, lossGradientSign, type LogitsFn } from './loss-gradient-sign.js';

export interface PgdOptions {
  /** L∞ radius in pixel units of [0, 1]. */
  eps: number;
  /** Gradient-sign steps, ≥ 1. */
  steps: number;
  /** Size of each step in pixel units, > 0 (commonly 2.5·ε/steps). */
  stepSize: number;
  /** Start from a uniform point of the ε-ball (Madry et al.) instead of the clean image. */
  randomStart: boolean;
  /** Draws the random start; required when randomStart is true. */
  rng?: Rng;
}

/**
 * Projected gradient descent on the loss (Madry et al. 2018), untargeted, L∞: repeat
 * `x ← Π(x + α · sign(∇_x CE(f(x), y)))`, where Π clips to the ε-ball around the clean image
 * and then to [0, 1].
 *
 * @param logitsOf the model on pixels in [0, 1] (normalisation inside), evaluation mode
 * @param pixels NHWC images in [0, 1]
 * @returns adversarial images; the caller disposes them
 */
export function pgd(logitsOf: LogitsFn, pixels: tf.Tensor4D, labels: ArrayLike<number>, options: PgdOptions): tf.Tensor4D {
  const { eps, steps, stepSize, randomStart, rng } = options;
  checkEpsilon(eps);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`pgd steps must be an integer ≥ 1, got ${steps}`);
  if (!Number.isFinite(stepSize) || stepSize <= 0) throw new Error(`pgd stepSize must be a finite number > 0, got ${stepSize}`);
  if (randomStart && !rng) throw new Error('pgd randomStart needs an rng (an Rng from @selfkd/core) so the attack is reproducible');

  const lower = tf.tidy(() => tf.maximum(tf.sub(pixels, eps), 0));
  const upper = tf.tidy(() => tf.minimum(tf.add(pixels, eps), 1));
  const project = (x: tf.Tensor4D): tf.Tensor4D => tf.minimum(tf.maximum(x, lower), upper);
  let x = tf.tidy(() =>
    randomStart ? project(tf.add(pixels, tf.randomUniform(pixels.shape, -eps, eps, 'float32', rng!.seedForOp()))) : tf.clone(pixels),
  );
  try {
    for (let step = 0; step < steps; step++) {
      const current = x;
      x = tf.tidy(() => project(tf.add(current, tf.mul(lossGradientSign(logitsOf, current, labels), stepSize))));
      current.dispose();
    }
    return x;
  } catch (err) {
    x.dispose();
    throw err;
  } finally {
    lower.dispose();
    upper.dispose();
  }
}
