import * as tf from '@tensorflow/tfjs-core';

const passWithZeroGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const input = args[0] as tf.Tensor;
  return { value: tf.clone(input), gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor) };
});

/**
 * tfjs has no stopGradient op. This passes the value through and returns a zero gradient.
 * Backprop still walks the subgraph that produced `x` (with zeros), so where a target can be
 * computed before the gradient closure, do that instead: it is cheaper.
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return passWithZeroGradient(x) as T;
}
