import * as tf from '@tensorflow/tfjs-core';
import { checkEpsilon, lossGradientSign, type LogitsFn } from './loss-gradient-sign.js';

/**
 * Fast gradient sign method (Goodfellow et al. 2015), untargeted, L∞:
 * `clip(x + ε · sign(∇_x CE(f(x), y)), 0, 1)`.
 *
 * @param logitsOf the model on pixels in [0, 1] (normalisation inside), evaluation mode
 * @param pixels NHWC images in [0, 1]
 * @param labels true classes, one per image
 * @param eps L∞ radius in pixel units (e.g. 8/255); 0 returns a copy of `pixels`
 * @returns adversarial images; the caller disposes them
 */
export function fgsm(logitsOf: LogitsFn, pixels: tf.Tensor4D, labels: ArrayLike<number>, eps: number): tf.Tensor4D {
  checkEpsilon(eps);
  return tf.tidy(() => tf.clipByValue(tf.add(pixels, tf.mul(lossGradientSign(logitsOf, pixels, labels), eps)), 0, 1) as tf.Tensor4D);
}
