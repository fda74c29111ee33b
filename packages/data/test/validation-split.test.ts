import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@selfkd/core';
import { DatasetError, loadDataset, makeBatch, type ImageSplit } from '@selfkd/data';
import { apportion } from '../src/stratify.js';
import { carveValidation } from '../src/validation-split.js';
import { useCpuBackend } from './helpers.js';

const countLabels = (labels: ArrayLike<number>, k: number) => {
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]! += 1;
  return counts;
};

/** 300 images of 2 bytes each, which spell the row number, so every image says where it came from; classes 60/90/150. */
function numberedSplit(): ImageSplit {
  const labels = Int32Array.from({ length: 300 }, (_, row) => (row % 10 < 2 ? 0 : row % 10 < 5 ? 1 : 2));
  const images = new Uint8Array(600);
  labels.forEach((_, row) => images.set([row >> 8, row & 0xff], row * 2));
  return { images, labels, size: 300 };
}
const rowsOf = (split: ImageSplit) => Array.from({ length: split.size }, (_, i) => split.images[2 * i]! * 256 + split.images[2 * i + 1]!);
const classNames = ['a', 'b', 'c'];
const carve = (validation: number, seed: number) => carveValidation(numberedSplit(), { validation, seed, classNames, pixelsPerImage: 2 });

describe('carveValidation', () => {
  it('holds out each class its largest-remainder share, disjoint from what is left to train on, rows and labels kept together', () => {
    const { train, validation } = carve(0.1, 1);
    expect(validation.size).toBe(30);
    expect(countLabels(validation.labels, 3)).toEqual(apportion([60, 90, 150], 30)); // [6, 9, 15]
    expect(countLabels(train.labels, 3)).toEqual([54, 81, 135]);
    const held = rowsOf(validation);
    const kept = rowsOf(train);
    expect(new Set([...held, ...kept]).size).toBe(300);
    // Both keep the training split's order, and every row keeps its label.
    expect(held).toEqual([...held].sort((a, b) => a - b));
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
    const labels = numberedSplit().labels;
    held.forEach((row, i) => expect(validation.labels[i]).toBe(labels[row]));
    kept.forEach((row, i) => expect(train.labels[i]).toBe(labels[row]));
  });

  it('is the same split for the same seed and another for another seed', () => {
    expect(rowsOf(carve(0.1, 1).validation)).toEqual(rowsOf(carve(0.1, 1).validation));
    expect(rowsOf(carve(0.1, 2).validation)).not.toEqual(rowsOf(carve(0.1, 1).validation));
  });

  it('takes a whole number as a count of images and rounds a fraction to the nearest image', () => {
    expect(carve(7, 0).validation.size).toBe(7);
    expect(carve(150, 0).validation.size).toBe(150);
    expect(carve(0.005, 0).validation.size).toBe(2); // 1.5 → 2
  });

  it('refuses sizes the training images cannot give, naming the field, the value and what is allowed', () => {
    expect(() => carve(151, 0)).toThrow(DatasetError);
    expect(() => carve(151, 0)).toThrow('data.validation: 151 images exceeds half of the 300 training images; allowed: 1..150, or a fraction in (0, 0.5]');
    expect(() => carve(0.001, 0)).toThrow('data.validation: 0.001 of 300 training images rounds to 0 images; allowed: a fraction of at least 0.0033333333333333335');
  });
});

describe('data.validation in loadDataset', () => {
  it('carves the validation images out of the trainSize subset, drawn with the run seed; without it nothing changes', async () => {
    const plain = await loadDataset({ name: 'mnist-digits', trainSize: 500 });
    expect(plain.validation).toBeUndefined();
    expect('validation' in plain).toBe(false);
    const held = await loadDataset({ name: 'mnist-digits', trainSize: 500, validation: 0.2 }, { seed: 4 });
    expect([held.train.size, held.validation!.size, held.test.size]).toEqual([400, 100, 2000]);
    expect(countLabels(held.validation!.labels, 10)).toEqual(apportion(countLabels(plain.train.labels, 10), 100));
    const sameSeed = await loadDataset({ name: 'mnist-digits', trainSize: 500, validation: 0.2 }, { seed: 4 });
    const otherSeed = await loadDataset({ name: 'mnist-digits', trainSize: 500, validation: 0.2 }, { seed: 5 });
    expect(sameSeed.validation!.images).toEqual(held.validation!.images);
    expect(otherSeed.validation!.images).not.toEqual(held.validation!.images);
    expect(held.test.images).toEqual(plain.test.images);
  });

  it('rejects a bad value in the config, and a split that would leave a class nothing to train on', async () => {
    for (const validation of [0, 0.6, 1.5, -3]) {
      const error = await loadDataset({ name: 'mnist-digits', validation }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(`data.validation: expected a fraction of the training images in (0, 0.5] or a whole number of images ≥ 1 (got ${validation})`);
    }
    // 10 images, one per digit: half of them would take five digits' only image.
    await expect(loadDataset({ name: 'mnist-digits', trainSize: 10, validation: 0.5 })).rejects.toThrow(
      /data\.validation: 0\.5 would hold out every training image of class "\d" \(it has 1\), leaving none to train on; allowed: a smaller data\.validation, or a larger data\.trainSize/,
    );
  });

  it('makes batches of the validation split, and says when a dataset has none', async () => {
    await useCpuBackend();
    const held = await loadDataset({ name: 'mnist-digits', trainSize: 100, validation: 10 });
    const x = makeBatch(held, 'validation', Int32Array.from([0, 9]));
    expect(x.shape).toEqual([2, 28, 28, 1]);
    x.dispose();
    const plain = await loadDataset({ name: 'mnist-digits', trainSize: 100 });
    expect(() => makeBatch(plain, 'validation', Int32Array.from([0]))).toThrow('mnist-digits has no validation split (set data.validation)');
    expect(tf.memory().numTensors).toBe(0);
  });
});
