import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@selfkd/core';
import { sampleBeta } from './beta-distribution.js';
import { assertPartners, blendWithPartners, randomPartners, type BatchMixing } from './mix-targets.js';

/**
 * One mixup draw (Zhang et al. 2018, as Self-KD-Lib's `mixup_data`): λ ~ Beta(α, α), or exactly
 * 0.5 when α = 0, and a random permutation of the batch as partners.
 */
export function drawMixup(rows: number, alpha: number, rng: Rng): BatchMixing {
  if (!(alpha >= 0 && Number.isFinite(alpha))) throw new RangeError(`mixup alpha must be a finite number ≥ 0, got ${alpha}`);
  const lambda = alpha > 0 ? sampleBeta(alpha, alpha, rng) : 0.5;
  return { lambda, partners: randomPartners(rows, rng) };
}

/** The mixed inputs `λ·x + (1 − λ)·x[partners]`, any shape with the batch first. */
export function mixupInputs<T extends tf.Tensor>(x: T, mixing: BatchMixing): T {
  assertPartners(x.shape[0]!, mixing.partners);
  return tf.tidy(() => blendWithPartners(x, mixing));
}
