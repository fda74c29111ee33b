import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@selfkd/core';

/** One draw of mixup: the mixing coefficient λ and the partner of each row. */
export interface MixupDraw {
  lambda: number;
  /** Row b is mixed with row `partners[b]`. */
  partners: Int32Array;
}

/** `λ·rows + (1 − λ)·rows[partners]`, for inputs and targets alike (mixup, Zhang et al. 2018). */
export function mixRows<T extends tf.Tensor>(rows: T, draw: MixupDraw): T {
  if (draw.partners.length !== rows.shape[0]) {
    throw new Error(`mixup: ${draw.partners.length} partners for ${rows.shape[0]} rows`);
  }
  return tf.tidy(() => tf.add(tf.mul(rows, draw.lambda), tf.mul(tf.gather(rows, draw.partners), 1 - draw.lambda)) as T);
}

/** λ ~ Beta(α, α) and a random permutation of the rows as partners. */
export function drawMixup(rows: number, alpha: number, rng: Rng): MixupDraw {
  const a = sampleGamma(alpha, rng);
  const b = sampleGamma(alpha, rng);
  return { lambda: a / (a + b), partners: rng.shuffle(Int32Array.from({ length: rows }, (_, i) => i)) };
}

/**
 * Gamma(shape, 1) by Marsaglia and Tsang (2000); for shape < 1 through
 * `Gamma(shape) = Gamma(shape + 1)·U^(1/shape)`. Two of them give a Beta draw.
 */
export function sampleGamma(shape: number, rng: Rng): number {
  if (!(shape > 0 && Number.isFinite(shape))) throw new RangeError(`a Gamma shape must be a positive number, got ${shape}`);
  if (shape < 1) return sampleGamma(shape + 1, rng) * (1 - rng.next()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
