import * as tf from '@tensorflow/tfjs-core';
import { softTargetCrossEntropy } from './math/kl.js';
import type { Regularizer, StepContext } from './regularizer.js';
import type { Rng } from './rng.js';

export interface ComposedLoss {
  /** taskWeight·task + Σ weight·term */
  total: tf.Scalar;
  /** Unweighted values by name: `task` and each regularizer's loss term. */
  terms: Record<string, tf.Scalar>;
}

/**
 * The composition rules of docs/methods.md: target transforms apply in config order starting from
 * `onehot(y)`; the task loss is the soft-target cross-entropy of the clean logits against the
 * final target; the task loss is weighted by `taskWeight` (the config's `task.weight`) and every
 * loss term by its regularizer's weight, and they are added. Call inside the gradient closure.
 */
export function composeLoss(
  regularizers: readonly Regularizer[],
  base: Omit<StepContext, 'rng'>,
  rngFor: (regularizer: Regularizer, position: number) => Rng,
  prepared: readonly unknown[],
  taskWeight = 1,
): ComposedLoss {
  const contexts = regularizers.map((r, i): StepContext => ({ ...base, rng: rngFor(r, i) }));
  let target = base.oneHot;
  regularizers.forEach((r, i) => {
    if (r.transformTarget) target = r.transformTarget(target, contexts[i]!, prepared[i]);
  });
  const task = softTargetCrossEntropy(base.logits, target);
  const terms: Record<string, tf.Scalar> = { task };
  // A weight of exactly 1 adds no op, so runs without `task:` compute what they always did.
  let total: tf.Scalar = taskWeight === 1 ? task : tf.mul(task, taskWeight);
  regularizers.forEach((r, i) => {
    if (!r.loss) return;
    const term = r.loss(contexts[i]!, prepared[i]);
    terms[r.name] = term;
    total = tf.add(total, tf.mul(term, r.weight));
  });
  return { total, terms };
}

/** The regularizer that supplies the batch sampler, if any (validation guarantees at most one). */
export function samplerOwner(regularizers: readonly Regularizer[]): Regularizer | undefined {
  const owners = regularizers.filter((r) => r.createSampler);
  if (owners.length > 1) throw new Error(`${owners.map((r) => r.name).join(' and ')} both supply the batch sampler`);
  return owners[0];
}
