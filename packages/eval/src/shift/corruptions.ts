import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@selfkd/core';
import { defocusBlur, gaussianBlur } from './blur.js';
import { pixelate, rotate, translate } from './geometric.js';
import { gaussianNoise, impulseNoise, shotNoise } from './noise.js';
import { brightness, contrast } from './photometric.js';

/** A corruption and its parameter at severities 1–5. */
export interface Corruption {
  name: string;
  /** What `levels` measure. */
  parameter: string;
  levels: readonly [number, number, number, number, number];
  /** Asynchronous where it reads pixel values (the noises): GPU backends read only asynchronously. */
  apply(pixels: tf.Tensor4D, level: number, rng: Rng): tf.Tensor4D | Promise<tf.Tensor4D>;
}

/*
 * Levels follow CIFAR-10-C (Hendrycks & Dietterich 2019) for the noises, Gaussian blur, contrast
 * and brightness. Its pixelate levels (0.95–0.65 of the side) are under 2 px apart on 28–32 px
 * images, where the damage can even shrink from one level to the next, so pixelate here steps by
 * 0.1. Defocus, rotation and translation, which CIFAR-10-C lacks or sizes for larger images, grow
 * evenly to a clearly damaging severity 5.
 */
export const CORRUPTIONS = [
  { name: 'gaussian_noise', parameter: 'std', levels: [0.04, 0.06, 0.08, 0.09, 0.1], apply: gaussianNoise },
  { name: 'shot_noise', parameter: 'photons per unit intensity', levels: [500, 250, 100, 75, 50], apply: shotNoise },
  { name: 'impulse_noise', parameter: 'fraction of values replaced', levels: [0.01, 0.02, 0.03, 0.05, 0.07], apply: impulseNoise },
  { name: 'gaussian_blur', parameter: 'sigma (pixels)', levels: [0.4, 0.6, 0.7, 0.8, 1], apply: (x, level) => gaussianBlur(x, level) },
  { name: 'defocus_blur', parameter: 'disk radius (pixels)', levels: [1, 1.5, 2, 2.5, 3], apply: (x, level) => defocusBlur(x, level) },
  { name: 'contrast', parameter: 'contrast factor', levels: [0.75, 0.5, 0.4, 0.3, 0.15], apply: (x, level) => contrast(x, level) },
  { name: 'brightness', parameter: 'HSV value increase', levels: [0.05, 0.1, 0.15, 0.2, 0.3], apply: (x, level) => brightness(x, level) },
  { name: 'pixelate', parameter: 'resolution scale', levels: [0.9, 0.8, 0.7, 0.6, 0.5], apply: (x, level) => pixelate(x, level) },
  { name: 'rotate', parameter: 'degrees (random sign)', levels: [6, 12, 18, 24, 30], apply: rotate },
  { name: 'translate', parameter: 'fraction of the side (random direction)', levels: [0.04, 0.08, 0.12, 0.16, 0.2], apply: translate },
] as const satisfies readonly Corruption[];

export type CorruptionName = (typeof CORRUPTIONS)[number]['name'];

export const CORRUPTION_NAMES: readonly CorruptionName[] = CORRUPTIONS.map((c) => c.name);

/**
 * Applies corruption `name` at `severity` (1–5) to a batch of NHWC pixels in [0, 1], grey or
 * colour; the result is in [0, 1] and has the same shape. Random corruptions draw from `rng`,
 * so the same rng state gives the same images. The caller disposes the result.
 */
export async function corrupt(name: CorruptionName, pixels: tf.Tensor4D, severity: number, rng: Rng): Promise<tf.Tensor4D> {
  const corruption: Corruption | undefined = CORRUPTIONS.find((c) => c.name === name);
  if (!corruption) throw new Error(`unknown corruption ${JSON.stringify(name)}; known: ${CORRUPTION_NAMES.join(', ')}`);
  if (!Number.isInteger(severity) || severity < 1 || severity > 5) {
    throw new Error(`corruption severity must be an integer from 1 to 5, got ${severity}`);
  }
  return corruption.apply(pixels, corruption.levels[severity - 1]!, rng);
}
