import * as tf from '@tensorflow/tfjs-core';
import { klDivBatchmean, softTargetCrossEntropy, stopGradient } from '@selfkd/core';

/** The reference's F.normalize default. */
const NORMALIZE_EPSILON = 1e-12;

/**
 * Attention map of a feature map `[B, H, W, C]` (Zagoruyko & Komodakis): the channel mean of the
 * squared activations, flattened to `[B, H·W]` and scaled to unit L2 norm per sample.
 */
export function attentionMap(features: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const [b, h, w] = features.shape;
    const map = tf.reshape(tf.mean(tf.square(features), 3), [b, h * w]) as tf.Tensor2D;
    const norm = tf.maximum(tf.norm(map, 2, 1, true), NORMALIZE_EPSILON);
    return tf.div(map, norm) as tf.Tensor2D;
  });
}

/**
 * The authors' `Attention.at_loss` summed over levels: mean squared difference of the attention
 * maps of the model's features and the self-teacher's (the latter constants), per level averaged
 * over B·H·W.
 */
export function attentionLoss(student: readonly tf.Tensor4D[], teacher: readonly tf.Tensor4D[]): tf.Scalar {
  if (student.length !== teacher.length) throw new RangeError(`attentionLoss: ${student.length} model levels but ${teacher.length} self-teacher levels`);
  return tf.tidy(() => tf.addN(student.map((s, i) => tf.mean(tf.squaredDifference(attentionMap(s), attentionMap(stopGradient(teacher[i]!) as tf.Tensor4D))))) as tf.Scalar);
}

/**
 * The authors' `DistillKL`: `T² · Σ KL(softmax(t/T) ‖ softmax(z/T)) / B` with the teacher's logits
 * `t` constants.
 */
export function distillKl(logits: tf.Tensor2D, teacherLogits: tf.Tensor2D, temperature: number): tf.Scalar {
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new RangeError(`temperature must be a positive number, got ${temperature}`);
  return tf.tidy(() => tf.mul(klDivBatchmean(logits, stopGradient(teacherLogits), temperature), temperature * temperature) as tf.Scalar);
}

export interface FrskdParams {
  temperature: number;
  /** Weight of the logit distillation (the authors' `alpha`). */
  alpha: number;
  /** Weight of the attention-map distillation (the authors' `beta`). */
  beta: number;
}

export interface FrskdInputs {
  /** The model's logits `[B, K]`. */
  logits: tf.Tensor2D;
  /** The model's stage features, finest first. */
  features: readonly tf.Tensor4D[];
  /** The self-teacher's logits and refined features from those stage features. */
  teacherLogits: tf.Tensor2D;
  teacherFeatures: readonly tf.Tensor4D[];
  /** Targets `[B, K]` of the self-teacher's own cross-entropy. */
  target: tf.Tensor2D;
}

/**
 * FRSKD's loss besides the model's own cross-entropy, as the authors' `train` adds it up:
 * `CE(self-teacher) + α·DistillKL(z, t) + β·Σ at_loss(model level, self-teacher level)`. The
 * self-teacher learns from its cross-entropy only (both distillation terms treat it as constant),
 * and its cross-entropy also reaches the model through the stage features it reads.
 */
export function frskdLoss({ logits, features, teacherLogits, teacherFeatures, target }: FrskdInputs, { temperature, alpha, beta }: FrskdParams): tf.Scalar {
  return tf.tidy(() =>
    tf.addN([
      softTargetCrossEntropy(teacherLogits, target),
      tf.mul(distillKl(logits, teacherLogits, temperature), alpha),
      tf.mul(attentionLoss(features, teacherFeatures), beta),
    ]) as tf.Scalar,
  );
}
