import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { oneHotFloat } from '@selfkd/core';
import { PredictionMemory, psKdAlpha, psKdTargets } from '../src/index.js';

describe('psKdAlpha', () => {
  it('grows linearly from α_T/E in epoch 0 to α_T in the last epoch', () => {
    expect([0, 1, 2, 3].map((e) => psKdAlpha(0.8, e, 4))).toEqual([0.2, 0.4, expect.closeTo(0.6, 12), 0.8]);
    expect(psKdAlpha(0.8, 0, 300)).toBeCloseTo(0.8 / 300, 12);
    expect(psKdAlpha(0.8, 299, 300)).toBeCloseTo(0.8, 12);
  });

  it('rejects values outside their ranges, naming them', () => {
    expect(() => psKdAlpha(1.2, 0, 4)).toThrow(/alphaT must be in \[0, 1\], got 1.2/);
    expect(() => psKdAlpha(0.8, 4, 4)).toThrow(/epoch must be an integer in \[0, 4\) \(counted from 0\), got 4/);
    expect(() => psKdAlpha(0.8, 0, 0)).toThrow(/totalEpochs must be a positive integer, got 0/);
  });
});

describe('psKdTargets', () => {
  it('is (1 − α)·onehot + α·memory (hand-computed)', () => {
    const rows = psKdTargets(oneHotFloat([1, 0], 3), tf.tensor2d([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]]), 0.25).arraySync();
    // Row 0: 0.75·[0,1,0] + 0.25·[0.2,0.5,0.3] = [0.05, 0.875, 0.075]; row 1: [0.9, 0.075, 0.025].
    expect(rows[0]).toEqual([expect.closeTo(0.05, 7), expect.closeTo(0.875, 7), expect.closeTo(0.075, 7)]);
    expect(rows[1]).toEqual([expect.closeTo(0.9, 7), expect.closeTo(0.075, 7), expect.closeTo(0.025, 7)]);
  });

  it('rejects α outside [0, 1] and rows of another shape', () => {
    const t = oneHotFloat([0], 2);
    expect(() => psKdTargets(t, t, -0.1)).toThrow(/alpha must be in \[0, 1\], got -0.1/);
    expect(() => psKdTargets(t, oneHotFloat([0], 3), 0.5)).toThrow(/target \[1,2\] and memory rows \[1,3\]/);
  });
});

describe('PredictionMemory', () => {
  it('reads and writes rows by dataset index', () => {
    const memory = new PredictionMemory(4, 3);
    memory.write([2, 0], [0.1, 0.2, 0.7, 0.5, 0.5, 0]);
    memory.writeOneHot([3], [1]);
    expect(Array.from(memory.rows([3, 2, 1, 0]))).toEqual([0, 1, 0, ...Array.from(Float32Array.from([0.1, 0.2, 0.7])), 0, 0, 0, 0.5, 0.5, 0]);
  });

  it('rejects indices, labels and sizes that do not fit, naming them', () => {
    const memory = new PredictionMemory(4, 3);
    expect(() => memory.rows([4])).toThrow(/dataset index 4 is outside the memory's \[0, 4\)/);
    expect(() => memory.write([0], [1, 2])).toThrow(/1 indices need 3 values \(3 per row\), got 2/);
    expect(() => memory.writeOneHot([0], [3])).toThrow(/labels\[0\] is 3; allowed: integers in \[0, 3\)/);
    expect(() => new PredictionMemory(2, 3, new Float32Array(5))).toThrow(/table has 5 entries; 2 samples × 3 classes need 6/);
  });
});
