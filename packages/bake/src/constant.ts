import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `compute` as one op with no tape inputs, so the result is a constant even inside a gradient
 * closure (tfjs has no `no_grad`): ops inside a custom-gradient op are not taped, and an op with no
 * inputs lies on no path from any variable. Unlike `stopGradient`, backprop never walks `compute`'s
 * graph, and the result stays on the device (no read back).
 */
export function constant<T extends tf.Tensor>(compute: () => T): T {
  return tf.customGrad(() => ({ value: compute(), gradFunc: () => [] }))() as T;
}
