import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectKernelMatchesCpu, randomTensor, relativeError, runKernelOn, setUpBackends } from './helpers.js';

describe('UnsortedSegmentSum on wasm', () => {
  beforeAll(setUpBackends);

  it('matches the cpu backend for rows of any rank and ids in any order', () => {
    const x = randomTensor([7, 3, 2], 1);
    const segmentIds = tf.tensor1d([3, 0, 3, 1, 0, 3, 2], 'int32');
    expectKernelMatchesCpu('UnsortedSegmentSum', { x, segmentIds }, { numSegments: 5 }, 1e-6);
    tf.dispose([x, segmentIds]);
  });

  it('takes segment ids covering several leading axes (same as with those axes flattened)', () => {
    const x = randomTensor([2, 3, 4], 2);
    const ids = [0, 1, 0, 2, 2, 1];
    const segmentIds = tf.tensor2d(ids, [2, 3], 'int32');
    const flatX = tf.reshape(x, [6, 4]);
    const flatIds = tf.tensor1d(ids, 'int32');
    // The cpu kernel itself only takes one id axis, so the reference runs on the flattened rows.
    const reference = runKernelOn('cpu', 'UnsortedSegmentSum', { x: flatX, segmentIds: flatIds }, { numSegments: 3 });
    const actual = runKernelOn('wasm', 'UnsortedSegmentSum', { x, segmentIds }, { numSegments: 3 });
    expect(actual.shape).toEqual([3, 4]);
    expect(relativeError(actual.values, reference.values)).toBeLessThan(1e-6);
    tf.dispose([x, segmentIds, flatX, flatIds]);
  });

  it('drops rows whose id is negative or ≥ numSegments, as TensorFlow does', () => {
    const x = tf.tensor2d([1, 2, 10, 20, 100, 200, 1000, 2000], [4, 2]);
    const segmentIds = tf.tensor1d([1, -1, 1, 2], 'int32');
    const out = runKernelOn('wasm', 'UnsortedSegmentSum', { x, segmentIds }, { numSegments: 2 });
    expect(out.shape).toEqual([2, 2]);
    expect(Array.from(out.values)).toEqual([0, 0, 101, 202]);
    tf.dispose([x, segmentIds]);
  });

  it('is what the gradient of tf.gather uses', () => {
    const params = randomTensor([6, 3], 3);
    const indices = tf.tensor1d([5, 1, 1, 4], 'int32');
    const gradients = (backend: 'cpu' | 'wasm') => {
      tf.setBackend(backend);
      const g = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(tf.gather(p, indices), tf.reshape(tf.range(1, 13), [4, 3]))))(params);
      const values = Array.from(g.dataSync());
      g.dispose();
      return values;
    };
    expect(gradients('wasm')).toEqual(gradients('cpu'));
    tf.dispose([params, indices]);
  });
});
