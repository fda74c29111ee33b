import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { expectKernelMatchesCpu, randomTensor, setUpBackends } from './helpers.js';

/** Sums of up to ~2000 float32 terms; XNNPACK's pooling adds them in another order than cpu. */
const RELATIVE_TOLERANCE = 1e-5;

const cases: Array<{ shape: number[]; axis: number | number[] }> = [
  { shape: [16, 5, 7, 3], axis: [0, 1, 2] },
  { shape: [16, 5, 7, 3], axis: [1, 2] },
  { shape: [16, 5, 7, 3], axis: [2, 1] },
  { shape: [9, 4], axis: 0 },
  { shape: [9, 4, 6], axis: -2 },
  { shape: [2, 3, 4, 5, 6], axis: [1, 2, 3] },
  // Stock fallbacks: innermost axis, non-adjacent axes, everything, a reduced size of one.
  { shape: [6, 7], axis: 1 },
  { shape: [4, 5, 6], axis: [0, 2] },
  { shape: [4, 5, 6], axis: [0, 1, 2] },
  { shape: [1, 5, 6], axis: 0 },
];

describe('Sum and Mean on wasm match the cpu backend', () => {
  beforeAll(setUpBackends);

  for (const kernelName of ['Sum', 'Mean']) {
    it.each(cases.flatMap((c) => [false, true].map((keepDims) => [`${kernelName} of [${c.shape}] over ${JSON.stringify(c.axis)} keepDims ${keepDims}`, c, keepDims] as const)))(
      '%s',
      (_label, c, keepDims) => {
        const x = randomTensor(c.shape, 4);
        expectKernelMatchesCpu(kernelName, { x }, { axis: c.axis, keepDims }, RELATIVE_TOLERANCE);
        x.dispose();
      },
    );
  }

  it('sums int32 tensors exactly (stock kernel)', () => {
    const x = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2], 'int32');
    expectKernelMatchesCpu('Sum', { x }, { axis: [0, 1], keepDims: false }, 0);
    x.dispose();
  });
});
