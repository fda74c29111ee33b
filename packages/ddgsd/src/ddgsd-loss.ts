import * as tf from '@tensorflow/tfjs-core';
import { klDivBatchmean, stopGradient } from '@selfkd/core';

export interface DdgsdParams {
  /** Softmax temperature `T` of both KL terms (each scaled by T²). */
  temperature: number;
  /** Weight of the squared difference of the two views' mean features (the reference's 5e-4). */
  mmdWeight: number;
}

/**
 * DDGSD's distillation term (Xu & Liu, AAAI 2019, as Self-KD-Lib's `methods/ddsgd.py` computes it)
 * for a batch whose first half is one augmented view of the samples and whose second half another:
 * `T²·KL_T(v1 ‖ v2) + T²·KL_T(v2 ‖ v1)`, each against the other view detached, plus
 * `mmdWeight · (mean(f_v1) − mean(f_v2))²` — the MMD with a linear kernel on the features' overall
 * means. Unweighted.
 */
export function ddgsdLoss(logits: tf.Tensor2D, features: tf.Tensor2D, { temperature, mmdWeight }: DdgsdParams): tf.Scalar {
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new RangeError(`temperature must be a positive number, got ${temperature}`);
  const rows = logits.shape[0];
  if (rows % 2 !== 0 || features.shape[0] !== rows) {
    throw new RangeError(`ddgsdLoss: needs two views of equal size, got ${rows} logit rows and ${features.shape[0]} feature rows`);
  }
  const half = rows / 2;
  return tf.tidy(() => {
    const [z1, z2] = tf.split(logits, [half, half]) as [tf.Tensor2D, tf.Tensor2D];
    const [f1, f2] = tf.split(features, [half, half]);
    const kl = tf.add(klDivBatchmean(z1, stopGradient(z2), temperature), klDivBatchmean(z2, stopGradient(z1), temperature));
    const mmd = tf.square(tf.sub(tf.mean(f1!), tf.mean(f2!)));
    return tf.add(tf.mul(kl, temperature * temperature), tf.mul(mmd, mmdWeight)) as tf.Scalar;
  });
}
