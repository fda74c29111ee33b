import * as tf from '@tensorflow/tfjs-core';
import { constant } from './constant.js';

/**
 * BAKE's soft targets (Ge et al. 2021, `knowledge_ensemble` in yxgeee/BAKE): with `f̂` the
 * L2-normalised features and `p = softmax(z / T)`, the affinity `A = rowsoftmax(f̂ f̂ᵀ)` with the
 * diagonal excluded, and the targets the propagated ensemble `(1 − ω)(I − ωA)⁻¹ p`.
 *
 * The result is a constant (the reference computes it under `torch.no_grad()`) and never leaves
 * the device, so the step needs no synchronous read (which webgpu lacks). tfjs has no matrix
 * inverse; since A is row-stochastic, `(I − ωA)⁻¹ = Σₙ (ωA)ⁿ`, summed by repeated squaring:
 * `Σ_{n<2ᴶ} Pⁿ = (I + P)(I + P²)…(I + P^{2ᴶ⁻¹})`, J matrix products.
 */
export function knowledgeEnsemble(features: tf.Tensor2D, logits: tf.Tensor2D, temperature: number, omega: number): tf.Tensor2D {
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new RangeError(`temperature must be a positive number, got ${temperature}`);
  if (!(omega >= 0 && omega < 1)) throw new RangeError(`omega must be in [0, 1), got ${omega}`);
  const rows = features.shape[0];
  if (logits.shape[0] !== rows) throw new RangeError(`knowledgeEnsemble: ${rows} feature rows but ${logits.shape[0]} logit rows`);
  return constant(() =>
    tf.tidy(() => {
      let propagation = tf.mul(affinity(features), omega);
      let targets = tf.mul(tf.softmax(tf.div(logits, temperature)), 1 - omega);
      for (let j = 0, doublings = squaringsFor(omega); j < doublings; j++) {
        targets = tf.add(targets, tf.matMul(propagation, targets));
        if (j + 1 < doublings) propagation = tf.matMul(propagation, propagation);
      }
      return targets as tf.Tensor2D;
    }),
  );
}

/**
 * Each target row sums to 1 and the terms left out of `Σ_{n<N} (ωA)ⁿ` weigh at most ωᴺ, so the
 * series stops once ωᴺ ≤ 2⁻³², far below float32 rounding.
 */
function squaringsFor(omega: number): number {
  let doublings = 0;
  for (let weight = omega; weight > 2 ** -32; weight *= weight) doublings++;
  return doublings;
}

/** Row-softmax of the cosine similarities with each row's own entry left out (the reference's −1e9). */
function affinity(features: tf.Tensor2D): tf.Tensor2D {
  const rows = features.shape[0];
  // A single row has no neighbour: its affinity stays 0, so its target is (1 − ω)·p.
  if (rows === 1) return tf.zeros([1, 1]);
  // F.normalize divides by max(‖f‖, 1e-12).
  const normed = tf.div(features, tf.maximum(tf.sqrt(tf.sum(tf.square(features), 1, true)), 1e-12));
  const similarity = tf.matMul(normed, normed, false, true);
  return tf.softmax(tf.sub(similarity, tf.mul(tf.eye(rows), 1e9))) as tf.Tensor2D;
}
