import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '@selfkd/data';
import { Rng } from '@selfkd/core';

/**
 * A small in-memory Dataset (no files): random byte images, labelled by `labelOf` (e.g. a model's
 * own predictions) except every `flipEvery`-th image, whose label is shifted so accuracy is < 100 %.
 */
export function syntheticDataset(
  shape: [number, number, number],
  numClasses: number,
  size: number,
  labelOf: (pixels: tf.Tensor4D) => Int32Array,
  flipEvery = 5,
): Dataset {
  const rng = new Rng('synthetic-dataset');
  const images = Uint8Array.from({ length: size * shape[0] * shape[1] * shape[2] }, () => rng.int(256));
  const pixels = tf.tensor4d(Float32Array.from(images, (v) => v / 255), [size, ...shape]);
  const labels = labelOf(pixels);
  pixels.dispose();
  labels.forEach((y, i) => (labels[i] = i % flipEvery === 0 ? (y + 1) % numClasses : y));
  return {
    name: 'synthetic',
    imageShape: shape,
    numClasses,
    classNames: Array.from({ length: numClasses }, (_, k) => `class ${k}`),
    train: { images: new Uint8Array(0), labels: new Int32Array(0), size: 0 },
    test: { images, labels, size },
    normalization: { mean: Array<number>(shape[2]).fill(0.5), std: Array<number>(shape[2]).fill(0.25) },
    augment: { cropPadding: 0, flip: false },
    source: 'generated in memory by the test',
  };
}
