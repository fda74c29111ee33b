import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalize } from '@selfkd/data';
import { maxSoftmaxScore } from '../src/ood/scores.js';
import { odinScores } from '../src/ood/odin.js';
import { openOodSet } from '../src/ood/ood-sets.js';
import { noiseImageSource } from '../src/ood/noise-images.js';
import { evaluationRows } from '../src/runner/evaluation-rows.js';
import { toInputShape } from '../src/runner/input-shape.js';
import { randomPixels, tinyModel, type TinyModel } from './tiny-model.js';

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('toInputShape', () => {
  it('repeats a grey channel, takes BT.601 luma of colour, and resizes bilinearly', () => {
    const grey = tf.tensor4d([0.2, 0.8], [1, 1, 2, 1]);
    expect(values(toInputShape(grey, [1, 2, 3]))).toEqual([0.2, 0.2, 0.2, 0.8, 0.8, 0.8].map((v) => expect.closeTo(v, 6)));
    const colour = tf.tensor4d([1, 0, 0, 0.5, 0.5, 1], [1, 1, 2, 3]);
    expect(values(toInputShape(colour, [1, 2, 1]))).toEqual([0.299, 0.5 * 0.299 + 0.5 * 0.587 + 0.114].map((v) => expect.closeTo(v, 6)));
    // 1×2 → 1×4 with half-pixel centres: outputs sample x = −0.25, 0.25, 0.75, 1.25 (clamped at the edges).
    const row = tf.tensor4d([0, 1], [1, 1, 2, 1]);
    expect(values(toInputShape(row, [1, 4, 1]))).toEqual([0, 0.25, 0.75, 1].map((v) => expect.closeTo(v, 6)));
    expect(() => toInputShape(tf.zeros([1, 2, 2, 2]) as tf.Tensor4D, [2, 2, 3])).toThrow(/cannot convert 2-channel images to the model's 3 channels/);
    tf.dispose([grey, colour, row]);
  });
});

describe('noiseImageSource', () => {
  it('gives the same images whatever the batching, in [0, 1], with the ODIN statistics', () => {
    const source = noiseImageSource('gaussian-noise', 'gaussian', 10, [4, 4, 3], 7);
    const whole = values(source.batch(0, 10));
    const parts = [...values(source.batch(0, 3)), ...values(source.batch(3, 7))];
    expect(parts).toEqual(whole);
    expect(whole.every((v) => v >= 0 && v <= 1)).toBe(true);
    // N(0.5, 1) clipped: P(0) = P(1) = Φ(−0.5) ≈ 0.31 each.
    const big = values(noiseImageSource('g', 'gaussian', 200, [8, 8, 3], 1).batch(0, 200));
    expect(big.filter((v) => v === 0).length / big.length).toBeCloseTo(0.3085, 1);
    const uniform = values(noiseImageSource('u', 'uniform', 200, [8, 8, 1], 1).batch(0, 200));
    expect(uniform.reduce((a, b) => a + b, 0) / uniform.length).toBeCloseTo(0.5, 2);
  });
});

describe('evaluationRows', () => {
  it('takes every row in order without a cap, else a sorted seeded subset whose smaller caps nest', () => {
    expect(Array.from(evaluationRows(5, null, 0, 'test'))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(evaluationRows(5, 9, 0, 'test'))).toEqual([0, 1, 2, 3, 4]);
    const ten = evaluationRows(100, 10, 4, 'test');
    const five = evaluationRows(100, 5, 4, 'test');
    expect(Array.from(ten)).toEqual([...ten].sort((a, b) => a - b));
    expect(new Set(ten).size).toBe(10);
    expect([...five].every((r) => ten.includes(r))).toBe(true);
    expect(Array.from(evaluationRows(100, 10, 5, 'test'))).not.toEqual(Array.from(ten));
  });
});

describe('odinScores', () => {
  let model: TinyModel;
  let pixels: tf.Tensor4D;
  const norm = { mean: [0.5], std: [0.25] };
  const logitsOf = (p: tf.Tensor4D) => tf.tidy(() => model.forward(normalize(p, norm), false).logits);

  beforeAll(() => {
    model = tinyModel('odin', [5, 5, 1], 4);
    pixels = randomPixels('odin-pixels', [12, 5, 5, 1]);
  });
  afterAll(() => {
    model.dispose();
    pixels.dispose();
  });

  it('without perturbation is the temperature-scaled MSP', async () => {
    const logits = logitsOf(pixels);
    const expected = maxSoftmaxScore(logits.dataSync(), 4, 10);
    logits.dispose();
    Array.from(await odinScores(logitsOf, pixels, { temperature: 10, epsilon: 0 })).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  it('the perturbation raises every image\'s score and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const plain = await odinScores(logitsOf, pixels, { temperature: 10, epsilon: 0 });
    const perturbed = await odinScores(logitsOf, pixels, { temperature: 10, epsilon: 0.002 });
    perturbed.forEach((v, i) => expect(v).toBeGreaterThan(plain[i]!));
    expect(tf.memory().numTensors).toBe(before);
    await expect(odinScores(logitsOf, pixels, { temperature: 0, epsilon: 0 })).rejects.toThrow(/odin temperature must be > 0, got 0/);
  });
});

describe('openOodSet', () => {
  let folder: string;

  /** An IDX file of unsigned bytes: magic 0x0000 08 rank, big-endian dims, data. */
  function idx(dims: number[], data: Uint8Array): Buffer {
    const header = Buffer.alloc(4 + 4 * dims.length);
    header.writeUInt8(8, 2);
    header.writeUInt8(dims.length, 3);
    dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
    return Buffer.concat([header, data]);
  }

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'selfkd-eval-ood-'));
    const images = (n: number, value: number) => idx([n, 28, 28], new Uint8Array(n * 784).fill(value));
    writeFileSync(join(folder, 'train-images-idx3-ubyte'), images(2, 10));
    writeFileSync(join(folder, 'train-labels-idx1-ubyte'), idx([2], Uint8Array.from([0, 1])));
    writeFileSync(join(folder, 't10k-images-idx3-ubyte'), images(3, 255));
    writeFileSync(join(folder, 't10k-labels-idx1-ubyte'), idx([3], Uint8Array.from([2, 3, 4])));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('reads DATASET@FOLDER through loadDataset and converts to the model input shape', async () => {
    const source = await openOodSet(`mnist@${folder}`, { inputShape: [14, 14, 3], noiseImages: 0, maxImages: null, seed: 0 });
    expect(source.size).toBe(3);
    const batch = source.batch(0, 3);
    expect(batch.shape).toEqual([3, 14, 14, 3]);
    expect(values(batch).every((v) => v === 1)).toBe(true);
  });

  it('takes a seeded subset of a named dataset\'s test split', async () => {
    const source = await openOodSet('mnist-digits', { inputShape: [6, 6, 1], noiseImages: 0, maxImages: 17, seed: 2 });
    expect(source.size).toBe(17);
    const batch = source.batch(0, 17);
    expect(batch.shape).toEqual([17, 6, 6, 1]);
    batch.dispose();
  });

  it('fails at once on a folder holding part of a dataset', async () => {
    const partial = mkdtempSync(join(tmpdir(), 'selfkd-eval-partial-'));
    writeFileSync(join(partial, 't10k-images-idx3-ubyte'), idx([1, 28, 28], new Uint8Array(784)));
    await expect(openOodSet(`mnist@${partial}`, { inputShape: [6, 6, 1], noiseImages: 0, maxImages: null, seed: 0 })).rejects.toThrow(
      /holds only part of the dataset/,
    );
    rmSync(partial, { recursive: true, force: true });
  });

  it('names the known sets for an unknown one, and the file-based ones for a misplaced @FOLDER', async () => {
    await expect(openOodSet('mnist-digits@/tmp', { inputShape: [6, 6, 1], noiseImages: 1, maxImages: null, seed: 0 })).rejects.toThrow(
      'OOD set "mnist-digits@/tmp": mnist-digits is not read from files, so it takes no @FOLDER; file-based datasets: fashion-mnist, mnist, cifar10, cifar100',
    );
    await expect(openOodSet('svhn', { inputShape: [6, 6, 1], noiseImages: 1, maxImages: null, seed: 0 })).rejects.toThrow(
      /unknown OOD set "svhn"; known: gaussian-noise, uniform-noise, a dataset \(mnist-digits, .*\), or DATASET@FOLDER/,
    );
  });
});
