import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@selfkd/core';
import { samplePoisson } from './poisson.js';

/*
 * Pixel-wise noise corruptions. They draw from the seeded Rng in plain JS (tfjs random ops are
 * seeded per call, not per stream), element by element in NHWC order, and clip to [0, 1].
 */

/** `x + σ·N(0, 1)`, each channel of each pixel independently. */
export function gaussianNoise(pixels: tf.Tensor4D, std: number, rng: Rng): Promise<tf.Tensor4D> {
  return mapPixels(pixels, (x) => x + std * rng.normal());
}

/** Photon (shot) noise: `Poisson(x·photons) / photons`; fewer photons is noisier. */
export function shotNoise(pixels: tf.Tensor4D, photons: number, rng: Rng): Promise<tf.Tensor4D> {
  return mapPixels(pixels, (x) => samplePoisson(Math.max(0, x) * photons, rng) / photons);
}

/** Salt-and-pepper: each value becomes 0 or 1 (equally likely) with probability `amount`. */
export function impulseNoise(pixels: tf.Tensor4D, amount: number, rng: Rng): Promise<tf.Tensor4D> {
  return mapPixels(pixels, (x) => (rng.next() < amount ? (rng.next() < 0.5 ? 0 : 1) : x));
}

async function mapPixels(pixels: tf.Tensor4D, noisy: (x: number) => number): Promise<tf.Tensor4D> {
  const source = await pixels.data();
  const out = new Float32Array(source.length);
  for (let i = 0; i < source.length; i++) out[i] = Math.min(1, Math.max(0, noisy(source[i]!)));
  return tf.tensor4d(out, pixels.shape);
}
