import * as tf from '@tensorflow/tfjs-core';
import { virtualTeacher } from './virtual-teacher.js';

export interface TfKdRegParams {
  /** `T`: the teacher's probabilities are softened as `softmax(p / T)`. */
  temperature: number;
  /** Probability of the true class in the teacher before softening (the authors' 0.99). */
  correctProb: number;
  /** Scale of the KL term (the authors' `params.multiplier`). */
  multiplier: number;
}

/**
 * The KL term of Tf-KD-reg as the authors' `loss_kd_regularization` computes it
 * (yuanli2333/Teacher-free-Knowledge-Distillation): `multiplier · KL(softmax(p/T) ‖ softmax(z))`,
 * averaged over all B·K entries (PyTorch's `KLDivLoss()` default reduction), with the student's
 * logits not divided by T and `p` the virtual teacher's probabilities. Unweighted: the reference
 * multiplies it by α and the cross-entropy by 1 − α.
 */
export function tfKdRegLoss(logits: tf.Tensor2D, oneHot: tf.Tensor2D, { temperature, correctProb, multiplier }: TfKdRegParams): tf.Scalar {
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new RangeError(`temperature must be a positive number, got ${temperature}`);
  if (!Number.isFinite(multiplier)) throw new RangeError(`multiplier must be a finite number, got ${multiplier}`);
  return tf.tidy(() => {
    const teacher = tf.softmax(tf.div(virtualTeacher(oneHot, correctProb), temperature));
    const pointwise = tf.mul(teacher, tf.sub(tf.log(teacher), tf.logSoftmax(logits)));
    return tf.mul(tf.mean(pointwise), multiplier) as tf.Scalar;
  });
}
