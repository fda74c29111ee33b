import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { routeRow2x2 } from '../src/simd/max-pool-grad-2x2.js';
import { expectKernelMatchesCpu, randomTensor, runKernelOn, setUpBackends } from './helpers.js';

/** Each dx entry is a sum of at most a few dy entries. */
const RELATIVE_TOLERANCE = 1e-6;

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

interface PoolCase {
  input: [number, number, number, number];
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: Pad;
}

const cases: PoolCase[] = [
  { input: [2, 8, 8, 3], filterSize: 2, strides: 2, pad: 'valid' },
  { input: [1, 9, 7, 2], filterSize: 2, strides: 2, pad: 'same' },
  { input: [3, 9, 9, 4], filterSize: 3, strides: 2, pad: 'same' },
  { input: [2, 7, 8, 1], filterSize: 3, strides: 1, pad: 'valid' },
  { input: [1, 10, 9, 3], filterSize: [2, 3], strides: [1, 2], pad: 'valid' },
  { input: [2, 9, 9, 2], filterSize: 2, strides: 3, pad: 'valid' },
  { input: [1, 6, 7, 2], filterSize: 3, strides: 1, pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
  { input: [2, 5, 5, 3], filterSize: 5, strides: 1, pad: 'same' },
  { input: [1, 6, 6, 2], filterSize: 1, strides: 2, pad: 'valid' },
  // Whole 2×2 windows with channels in fours: the SIMD path (an odd last row/column is uncovered).
  { input: [2, 8, 8, 4], filterSize: 2, strides: 2, pad: 'valid' },
  { input: [3, 9, 7, 12], filterSize: 2, strides: 2, pad: 'valid' },
  { input: [1, 6, 10, 8], filterSize: 2, strides: 2, pad: 'same' },
];

/** Integers in {0, 1, 2}: most windows hold several equal maxima. */
function tiedTensor(shape: number[], seed: number): tf.Tensor {
  const normal = randomTensor(shape, seed);
  const tied = tf.floor(tf.mul(tf.sigmoid(normal), 3));
  normal.dispose();
  return tied;
}

function gradInputs(c: PoolCase, x: tf.Tensor): tf.NamedTensorMap {
  tf.setBackend('cpu');
  const y = tf.maxPool(x as tf.Tensor4D, c.filterSize, c.strides, c.pad);
  const dy = randomTensor(y.shape, 7);
  return { dy, input: x, output: y };
}

describe('MaxPoolGrad on wasm', () => {
  beforeAll(setUpBackends);

  const label = (c: PoolCase) => `x ${c.input} window ${JSON.stringify(c.filterSize)} stride ${JSON.stringify(c.strides)} pad ${JSON.stringify(c.pad)}`;

  it.each(cases.map((c) => [label(c), c] as const))('matches the cpu backend on distinct values: %s', (_label, c) => {
    const inputs = gradInputs(c, randomTensor(c.input, 5));
    expectKernelMatchesCpu('MaxPoolGrad', inputs, { filterSize: c.filterSize, strides: c.strides, pad: c.pad }, RELATIVE_TOLERANCE);
    tf.dispose(Object.values(inputs));
  });

  it.each(cases.map((c) => [label(c), c] as const))('sends a tied window’s gradient to its first maximum, as cpu does: %s', (_label, c) => {
    const inputs = gradInputs(c, tiedTensor(c.input, 5));
    expectKernelMatchesCpu('MaxPoolGrad', inputs, { filterSize: c.filterSize, strides: c.strides, pad: c.pad }, RELATIVE_TOLERANCE);
    tf.dispose(Object.values(inputs));
  });

  it.each([1, 4])('gives an all-equal 2×2 window’s gradient to its top-left entry only (%i channels)', (channels) => {
    const x = tf.zeros([1, 4, 4, channels]);
    const dy = tf.tile(tf.reshape(tf.tensor1d([1, 2, 3, 4]), [1, 2, 2, 1]), [1, 1, 1, channels]);
    tf.setBackend('wasm');
    const y = tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid');
    const dx = runKernelOn('wasm', 'MaxPoolGrad', { dy, input: x, output: y }, { filterSize: 2, strides: 2, pad: 'valid' });
    const perPixel = [1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0];
    expect(Array.from(dx.values)).toEqual(perPixel.flatMap((v) => Array<number>(channels).fill(v)));
    tf.dispose([x, dy, y]);
  });

  it('has its SIMD routine for 2×2 windows on this runtime', () => {
    tf.setBackend('wasm');
    expect(routeRow2x2(tf.backend() as BackendWasm)).toBeTypeOf('function');
  });
});
