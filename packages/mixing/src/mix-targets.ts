import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@selfkd/core';

/** Row b of a mixed batch is a blend of row b with row `partners[b]`, weighted λ and 1 − λ. */
export interface BatchMixing {
  lambda: number;
  partners: Int32Array;
}

/**
 * `λ·target + (1 − λ)·target[partners]`: the target that mixup and CutMix train against. Since the
 * task loss is linear in its target, the cross-entropy against it is the references'
 * `λ·CE(z, y) + (1 − λ)·CE(z, y[perm])` exactly. Works on any target rows `[B, K]`.
 */
export function mixTargets(target: tf.Tensor2D, mixing: BatchMixing): tf.Tensor2D {
  assertPartners(target.shape[0], mixing.partners);
  return tf.tidy(() => blendWithPartners(target, mixing));
}

/** `λ·rows + (1 − λ)·rows[partners]` for any tensor whose first axis is the batch. */
export function blendWithPartners<T extends tf.Tensor>(rows: T, { lambda, partners }: BatchMixing): T {
  return tf.add(tf.mul(rows, lambda), tf.mul(tf.gather(rows, partners), 1 - lambda));
}

/** A permutation of `0…rows−1`, the references' `randperm(batch)`. */
export function randomPartners(rows: number, rng: Rng): Int32Array {
  return rng.shuffle(Int32Array.from({ length: rows }, (_, i) => i));
}

export function assertPartners(rows: number, partners: Int32Array): void {
  if (partners.length !== rows) throw new RangeError(`mixing: ${partners.length} partners for ${rows} rows`);
  partners.forEach((p, i) => {
    if (!(p >= 0 && p < rows)) throw new RangeError(`mixing: partners[${i}] is ${p}, a partner must be a row index in [0, ${rows})`);
  });
}
