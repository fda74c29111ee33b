import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectKernelMatchesCpu, randomTensor, runKernelOn, setUpBackends } from './helpers.js';

describe('Tile on wasm matches the cpu backend', () => {
  beforeAll(setUpBackends);

  it.each([
    { shape: [1, 1, 1, 5], reps: [4, 3, 2, 1] },
    { shape: [2, 3], reps: [3, 4] },
    { shape: [3, 1, 2], reps: [1, 5, 1] },
    { shape: [2, 2, 3], reps: [3, 1, 2] },
    { shape: [7], reps: [1] },
    { shape: [2, 3], reps: [0, 2] },
  ])('float32 [$shape] by $reps', ({ shape, reps }) => {
    const x = randomTensor(shape, 9);
    expectKernelMatchesCpu('Tile', { x }, { reps }, 0);
    x.dispose();
  });

  it('tiles int32 and bool tensors', () => {
    const ints = tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32');
    const bools = tf.tensor2d([true, false, false, true], [2, 2], 'bool');
    expect(Array.from(runKernelOn('wasm', 'Tile', { x: ints }, { reps: [2, 2] }).values)).toEqual([1, 2, 1, 2, 3, 4, 3, 4, 1, 2, 1, 2, 3, 4, 3, 4]);
    expect(Array.from(runKernelOn('wasm', 'Tile', { x: bools }, { reps: [1, 2] }).values)).toEqual([1, 0, 1, 0, 0, 1, 0, 1]);
    tf.dispose([ints, bools]);
  });
});
