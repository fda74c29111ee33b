import * as tf from '@tensorflow/tfjs-core';

/**
 * PyTorch's `KLDivLoss(log_softmax(student/T), softmax(teacher/T), reduction='batchmean')`:
 * summed over classes, averaged over the batch. Written from logSoftmax so that the gradient
 * is the true one on BOTH arguments (tf.losses.softmaxCrossEntropy fakes the labels' gradient).
 * Multiply by T² yourself where the method asks for it.
 */
export function klDivBatchmean(student: tf.Tensor2D, teacher: tf.Tensor2D, temperature = 1): tf.Scalar {
  assertSameShape2D(student, teacher, 'klDivBatchmean');
  return tf.tidy(() => {
    const logP = tf.logSoftmax(tf.div(teacher, temperature));
    const logQ = tf.logSoftmax(tf.div(student, temperature));
    const pointwise = tf.mul(tf.exp(logP), tf.sub(logP, logQ));
    return tf.div(tf.sum(pointwise), student.shape[0]) as tf.Scalar;
  });
}

/** `mean_b Σ_k −target_bk · log σ(logits)_bk`: cross-entropy against soft targets, batch mean. */
export function softTargetCrossEntropy(logits: tf.Tensor2D, target: tf.Tensor2D): tf.Scalar {
  assertSameShape2D(logits, target, 'softTargetCrossEntropy');
  return tf.tidy(() => {
    const logQ = tf.logSoftmax(logits);
    return tf.div(tf.neg(tf.sum(tf.mul(target, logQ))), logits.shape[0]) as tf.Scalar;
  });
}

function assertSameShape2D(a: tf.Tensor, b: tf.Tensor, op: string): void {
  if (a.rank !== 2 || b.rank !== 2 || a.shape[0] !== b.shape[0] || a.shape[1] !== b.shape[1]) {
    throw new Error(`${op}: expected two [batch, classes] tensors of one shape, got [${a.shape}] and [${b.shape}]`);
  }
}
