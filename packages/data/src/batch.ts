import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@selfkd/core';
import { drawAugmentation, IDENTITY, writeImage } from './augment.js';
import type { Dataset, Normalization } from './types.js';

/** The splits a Dataset may hold; 'validation' only when the config holds images out (data.validation). */
export type SplitName = 'train' | 'validation' | 'test';

/**
 * Float tensor [n, H, W, C] of the given rows: pixels/255, augmented when `rng` is given
 * (train only; one draw per sample, in row order), then normalised. The caller disposes it.
 */
export function makeBatch(dataset: Dataset, split: SplitName, indices: Int32Array, rng?: Rng): tf.Tensor4D {
  if (rng && split !== 'train') {
    throw new Error(`makeBatch: augmentation (an rng) applies to the train split only, got split "${split}"`);
  }
  const pixels = pixelArray(dataset, split, indices, rng);
  return tf.tidy(() => normalize(tf.tensor4d(pixels, [indices.length, ...dataset.imageShape]), dataset.normalization));
}

/** Pixel-space [0, 1] tensor of the given rows: no augmentation, no normalisation (FGSM, corruptions). */
export function pixelBatch(dataset: Dataset, split: SplitName, indices: Int32Array): tf.Tensor4D {
  return tf.tensor4d(pixelArray(dataset, split, indices), [indices.length, ...dataset.imageShape]);
}

/** (x − mean) / std per channel (the last axis); differentiable, so attacks can work in pixel space. */
export function normalize(x: tf.Tensor4D, normalization: Normalization): tf.Tensor4D {
  const channels = x.shape[3];
  const { mean, std } = normalization;
  if (mean.length !== channels || std.length !== channels) {
    throw new Error(
      `normalize: mean and std need one value per channel (${channels}), got mean [${mean.join(', ')}] and std [${std.join(', ')}]`,
    );
  }
  if (std.some((s) => !(s > 0))) throw new Error(`normalize: std must be positive, got [${std.join(', ')}]`);
  return tf.tidy(() => tf.div(tf.sub(x, tf.tensor1d(mean)), tf.tensor1d(std)));
}

function pixelArray(dataset: Dataset, split: SplitName, indices: Int32Array, rng?: Rng): Float32Array {
  const data = dataset[split];
  if (!data) {
    throw new Error(
      split === 'validation'
        ? `${dataset.name} has no validation split (set data.validation)`
        : `split must be "train", "validation" or "test", got ${JSON.stringify(split)}`,
    );
  }
  const shape = dataset.imageShape;
  const pixelsPerImage = shape[0] * shape[1] * shape[2];
  const out = new Float32Array(indices.length * pixelsPerImage);
  indices.forEach((row, i) => {
    if (row < 0 || row >= data.size) {
      throw new RangeError(`${dataset.name} ${split}: index ${row} at position ${i} is outside [0, ${data.size})`);
    }
    const params = rng ? drawAugmentation(rng, dataset.augment) : IDENTITY;
    writeImage(data.images, row * pixelsPerImage, shape, params, out, i * pixelsPerImage);
  });
  return out;
}
