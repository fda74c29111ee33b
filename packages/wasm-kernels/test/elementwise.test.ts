import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { planRows } from '../src/kernels/channel-broadcast.js';
import { expectKernelMatchesCpu, randomTensor, setUpBackends } from './helpers.js';

const RELATIVE_TOLERANCE = 1e-6;

const shapePairs: Array<[number[], number[]]> = [
  [[4, 5, 6, 3], [3]],
  [[3], [4, 5, 6, 3]],
  [[1, 1, 1, 3], [4, 5, 6, 3]],
  [[4, 5, 6, 3], [1, 6, 3]],
  [[13, 3], [3]],
  [[2, 97, 5], [5]],
  // Left to the stock kernel: a middle broadcast, same shapes, a scalar.
  [[4, 1, 1, 3], [4, 5, 6, 3]],
  [[4, 5, 3], [4, 5, 3]],
  [[4, 5, 3], []],
];

describe('broadcasting binary kernels on wasm match the cpu backend', () => {
  beforeAll(setUpBackends);

  for (const kernelName of ['Multiply', 'Add', 'Sub', 'RealDiv', 'SquaredDifference']) {
    it.each(shapePairs.map(([a, b]) => [`${kernelName} [${a}] with [${b}]`, a, b] as const))('%s', (_label, aShape, bShape) => {
      const a = randomTensor(aShape, 1);
      // Away from zero so that RealDiv stays well conditioned.
      const b = tf.add(tf.abs(randomTensor(bShape, 2)), 0.5);
      expectKernelMatchesCpu(kernelName, { a, b }, {}, RELATIVE_TOLERANCE);
      tf.dispose([a, b]);
    });
  }

  it('adds int32 tensors exactly (stock kernel)', () => {
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32');
    const b = tf.tensor1d([10, 20], 'int32');
    expectKernelMatchesCpu('Add', { a, b }, {}, 0);
    tf.dispose([a, b]);
  });
});

describe('planRows', () => {
  it('widens a short trailing operand to rows of at most 4096 entries that divide the long one', () => {
    expect(planRows([128, 32, 32, 16], [16])).toEqual({ longIsA: true, row: 16, repeats: 256, rows: 512, outShape: [128, 32, 32, 16] });
    expect(planRows([1, 3], [2, 97, 3])).toEqual({ longIsA: false, row: 3, repeats: 194, rows: 1, outShape: [2, 97, 3] });
  });

  it('declines shapes it cannot help', () => {
    expect(planRows([4, 1, 1, 3], [4, 5, 6, 3])).toBeUndefined();
    expect(planRows([8, 8192], [8192])).toBeUndefined();
    expect(planRows([5, 3], [])).toBeUndefined();
    expect(planRows([5, 3], [5, 3])).toBeUndefined();
  });
});

describe('FusedBatchNorm on wasm matches the cpu backend', () => {
  beforeAll(setUpBackends);

  const x = () => randomTensor([3, 5, 4, 6], 1);
  const param = (seed: number, shape = [6]) => randomTensor(shape, seed);

  it('with per-channel mean, variance, offset and scale', () => {
    const inputs = { x: x(), mean: param(2), variance: tf.abs(param(3)), offset: param(4), scale: param(5) };
    expectKernelMatchesCpu('FusedBatchNorm', inputs, { varianceEpsilon: 1e-3 }, 1e-5);
    tf.dispose(Object.values(inputs));
  });

  it('with rank-4 parameters and without offset and scale', () => {
    const inputs = { x: x(), mean: param(2, [1, 1, 1, 6]), variance: tf.abs(param(3, [1, 1, 1, 6])) };
    expectKernelMatchesCpu('FusedBatchNorm', inputs, { varianceEpsilon: 1e-5 }, 1e-5);
    tf.dispose(Object.values(inputs));
  });

  it('keeps precision when the mean is far from zero', () => {
    const inputs = { x: tf.add(x(), 1000), mean: tf.add(param(2), 1000), variance: tf.abs(param(3)), offset: param(4), scale: param(5) };
    expectKernelMatchesCpu('FusedBatchNorm', inputs, { varianceEpsilon: 1e-3 }, 1e-4);
    tf.dispose(Object.values(inputs));
  });
});
