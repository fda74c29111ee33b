import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '@selfkd/core';
import { DatasetError, loadDataset } from '@selfkd/data';
import { apportion, stratifiedSample } from '../src/stratify.js';
import { useTempDirs, writeIdxDataset } from './helpers.js';

const countLabels = (labels: ArrayLike<number>, k: number) => {
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]! += 1;
  return counts;
};

describe('apportion (largest remainder)', () => {
  it('matches hand-computed shares', () => {
    // 5 of [5, 3, 2]: exact shares 2.5, 1.5, 1 → floors 2, 1, 1; the one left goes to the first tied .5.
    expect(apportion([5, 3, 2], 5)).toEqual([3, 1, 1]);
    expect(apportion([1, 1, 1], 2)).toEqual([1, 1, 0]);
    // 20 % of the mnist package's digit counts: shares 200.2 225.4 198.2 206.4 196 172.6 202.8 214 188.8 195.6;
    // floors sum to 1996, the 4 left go to .8 (digits 6, 8) and .6 (digits 5, 9).
    expect(apportion([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978], 2000)).toEqual([
      200, 225, 198, 206, 196, 173, 203, 214, 189, 196,
    ]);
    expect(apportion([4, 0, 6], 10)).toEqual([4, 0, 6]);
    expect(apportion([4, 6], 0)).toEqual([0, 0]);
  });

  it('refuses impossible totals', () => {
    expect(() => apportion([2, 3], 6)).toThrow('cannot take 6 of 5 samples');
    expect(() => apportion([2, 3], 1.5)).toThrow('cannot take 1.5 of 5 samples');
  });
});

describe('stratifiedSample', () => {
  const labels = Int32Array.from([...Array<number>(50).fill(0), ...Array<number>(30).fill(1), ...Array<number>(20).fill(2)]);

  it('takes each class its share, without repeats, in ascending order, deterministically', () => {
    const rows = stratifiedSample(labels, 3, 10, new Rng(1));
    expect(countLabels(Array.from(rows, (r) => labels[r]!), 3)).toEqual([5, 3, 2]);
    expect(new Set(rows).size).toBe(10);
    expect([...rows]).toEqual([...rows].sort((a, b) => a - b));
    expect(stratifiedSample(labels, 3, 10, new Rng(1))).toEqual(rows);
    expect(stratifiedSample(labels, 3, 10, new Rng(2))).not.toEqual(rows);
  });
});

describe('trainSize: a stratified training subset', () => {
  const temp = useTempDirs();
  // 12 of class 0, 6 of class 1, 2 of class 2, interleaved; image n is filled with n·7 (helpers).
  const trainLabels = Array.from({ length: 20 }, (_, n) => (n % 10 < 6 ? 0 : n % 10 < 9 ? 1 : 2));

  const load = (options: Record<string, unknown>) => {
    const dir = join(temp.root(), 'mnist');
    writeIdxDataset(dir, { labels: trainLabels }, { labels: [0, 1, 2] }, false);
    return loadDataset({ name: 'mnist', dataDir: dir, ...options });
  };

  it('keeps class proportions and the rows matching their labels, and leaves the test split alone', async () => {
    const dataset = await load({ trainSize: 10 });
    expect(dataset.train.size).toBe(10);
    expect(countLabels(dataset.train.labels, 3)).toEqual([6, 3, 1]);
    expect(dataset.test.size).toBe(3);
    for (let i = 0; i < 10; i++) {
      const original = dataset.train.images[i * 784]! / 7;
      expect(trainLabels[original]).toBe(dataset.train.labels[i]);
    }
  });

  it('depends on subsetSeed only: the same subset for every load (and every training seed)', async () => {
    const rowsOf = async (options: Record<string, unknown>) => Array.from((await load(options)).train.images.filter((_, i) => i % 784 === 0));
    const first = await rowsOf({ trainSize: 10 });
    new Rng(123).shuffle([1, 2, 3]); // other generators running in between change nothing
    expect(await rowsOf({ trainSize: 10, subsetSeed: 0 })).toEqual(first);
    expect(await rowsOf({ trainSize: 10, subsetSeed: 5 })).not.toEqual(first);
  });

  it('rejects a trainSize larger than the training split', async () => {
    await expect(load({ trainSize: 21 })).rejects.toThrow(DatasetError);
    await expect(load({ trainSize: 21 })).rejects.toThrow('data.trainSize: 21 exceeds the 20 training images of mnist; allowed: 1..20');
  });
});
