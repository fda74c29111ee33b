import * as tf from '@tensorflow/tfjs-core';

/** Float one-hot rows `[B, K]` from integer labels. */
export function oneHotFloat(labels: tf.Tensor1D | Int32Array | number[], numClasses: number): tf.Tensor2D {
  return tf.tidy(() => {
    const y = labels instanceof tf.Tensor ? tf.cast(labels, 'int32') : tf.tensor1d(Array.from(labels), 'int32');
    return tf.cast(tf.oneHot(y as tf.Tensor1D, numClasses), 'float32') as tf.Tensor2D;
  });
}
