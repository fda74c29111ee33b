import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@selfkd/core';
import { makeBatch, normalize, pixelBatch } from '@selfkd/data';
import { memoryDataset, useCpuBackend } from './helpers.js';

beforeAll(useCpuBackend);

// Two 1×2 RGB images; pixel values chosen so /255 is exact in decimal: 51 → 0.2, 102 → 0.4, 204 → 0.8, 255 → 1.
const dataset = memoryDataset([1, 2, 3], [0, 51, 102, 204, 255, 51, 255, 0, 102, 51, 204, 0], [0, 1], {
  normalization: { mean: [0.5, 0.4, 0.1], std: [0.25, 0.5, 0.2] },
  augment: { cropPadding: 1, flip: true },
});

describe('normalize', () => {
  it('subtracts the mean and divides by the std per channel (last axis)', () => {
    const x = tf.tensor4d([0.5, 0.2, 0.3, 1, 0.4, 0.1], [1, 1, 2, 3]);
    const y = normalize(x, { mean: [0.5, 0.4, 0.1], std: [0.25, 0.5, 0.2] });
    // (0.5−0.5)/0.25, (0.2−0.4)/0.5, (0.3−0.1)/0.2, (1−0.5)/0.25, (0.4−0.4)/0.5, (0.1−0.1)/0.2
    expectClose(y.dataSync(), [0, -0.4, 1, 2, 0, 0]);
    tf.dispose([x, y]);
  });

  it('rejects a normalisation that does not fit the channels', () => {
    const x = tf.zeros([1, 1, 1, 3]) as tf.Tensor4D;
    expect(() => normalize(x, { mean: [0.5], std: [0.5] })).toThrow('normalize: mean and std need one value per channel (3), got mean [0.5] and std [0.5]');
    expect(() => normalize(x, { mean: [0, 0, 0], std: [1, 0, 1] })).toThrow('normalize: std must be positive, got [1, 0, 1]');
    x.dispose();
  });
});

describe('makeBatch and pixelBatch', () => {
  it('pixelBatch is pixels/255 in NHWC, rows in the order asked', () => {
    const t = pixelBatch(dataset, 'test', Int32Array.from([1, 0]));
    expect(t.shape).toEqual([2, 1, 2, 3]);
    expectClose(t.dataSync(), [1, 0, 0.4, 0.2, 0.8, 0, 0, 0.2, 0.4, 0.8, 1, 0.2]);
    t.dispose();
  });

  it('makeBatch normalises with the dataset statistics', () => {
    const t = makeBatch(dataset, 'test', Int32Array.from([0]));
    // (0−0.5)/0.25, (0.2−0.4)/0.5, (0.4−0.1)/0.2, (0.8−0.5)/0.25, (1−0.4)/0.5, (0.2−0.1)/0.2
    expectClose(t.dataSync(), [-2, -0.4, 1.5, 1.2, 1.2, 0.5]);
    t.dispose();
  });

  it('creates exactly one tensor per call and nothing else', () => {
    const before = tf.memory().numTensors;
    const rows = Int32Array.from([0, 1, 1]);
    for (const make of [
      () => makeBatch(dataset, 'train', rows),
      () => makeBatch(dataset, 'train', rows, new Rng(0)),
      () => pixelBatch(dataset, 'train', rows),
    ]) {
      const t = make();
      expect(tf.memory().numTensors).toBe(before + 1);
      t.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('rejects indices out of range, augmentation of the test split and unknown splits', () => {
    const before = tf.memory().numTensors;
    expect(() => makeBatch(dataset, 'train', Int32Array.from([0, 2]))).toThrow('memory train: index 2 at position 1 is outside [0, 2)');
    expect(() => pixelBatch(dataset, 'test', Int32Array.from([-1]))).toThrow('memory test: index -1 at position 0 is outside [0, 2)');
    expect(() => makeBatch(dataset, 'test', Int32Array.from([0]), new Rng(0))).toThrow(
      'makeBatch: augmentation (an rng) applies to the train split only, got split "test"',
    );
    expect(() => pixelBatch(dataset, 'val' as 'test', Int32Array.from([0]))).toThrow('split must be "train", "validation" or "test", got "val"');
    expect(tf.memory().numTensors).toBe(before);
  });
});

function expectClose(actual: ArrayLike<number>, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 5));
}
