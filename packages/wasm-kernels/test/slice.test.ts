import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { expectKernelMatchesCpu, randomTensor, setUpBackends } from './helpers.js';

describe('Slice on wasm matches the cpu backend', () => {
  beforeAll(setUpBackends);

  it.each([
    { shape: [4, 10, 10, 3], begin: [0, 1, 1, 0], size: [4, 8, 8, 3] },
    { shape: [4, 10, 10, 3], begin: [1, 0, 2, 1], size: [2, 10, 5, 2] },
    { shape: [5, 200], begin: [1, 3], size: [3, 150] },
    { shape: [6, 7], begin: [2, 0], size: [-1, -1] },
    { shape: [9], begin: [4], size: [3] },
    { shape: [2, 3, 4, 5, 6], begin: [1, 0, 1, 2, 0], size: [1, 3, 2, 2, 6] },
    { shape: [3, 4], begin: [0, 0], size: [3, 4] },
    { shape: [3, 4], begin: [1, 1], size: [0, 2] },
  ])('[$shape] from $begin, size $size', ({ shape, begin, size }) => {
    const x = randomTensor(shape, 3);
    expectKernelMatchesCpu('Slice', { x }, { begin, size }, 0);
    x.dispose();
  });

  it('slices int32 and bool tensors', () => {
    const ints = tf.tensor3d([...Array(24).keys()], [2, 3, 4], 'int32');
    const bools = tf.tensor2d([true, false, true, true, false, false], [2, 3], 'bool');
    expectKernelMatchesCpu('Slice', { x: ints }, { begin: [1, 1, 1], size: [1, 2, 3] }, 0);
    expectKernelMatchesCpu('Slice', { x: bools }, { begin: [0, 1], size: [2, 2] }, 0);
    tf.dispose([ints, bools]);
  });
});
