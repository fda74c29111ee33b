import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONV_RELATIVE_TOLERANCE as RELATIVE_TOLERANCE, kernelSizes as kernels, padCases as pads, strideCases as strides, type Pad } from './conv-cases.js';
import { expectKernelMatchesCpu, randomTensor, setUpBackends } from './helpers.js';

interface ConvCase {
  input: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
  dimRoundingMode?: 'floor' | 'ceil' | 'round';
}

const inputs: Array<[number, number, number, number]> = [
  [1, 7, 9, 3],
  [3, 8, 8, 2],
  [2, 9, 6, 1],
];

/** Every kernel size × stride × padding, cycling batch (1 or more), odd/even sizes and channel counts. */
const cases: ConvCase[] = kernels.flatMap(([kh, kw], ki) =>
  strides.flatMap((s, si) =>
    pads.map((pad, pi): ConvCase => {
      const input = inputs[(ki + si + pi) % inputs.length]!;
      const outChannels = 2 + ((ki + pi) % 3);
      return { input, filter: [kh, kw, input[3], outChannels], strides: s, pad, dimRoundingMode: typeof pad === 'number' ? 'floor' : undefined };
    }),
  ),
);

// Short patches (kh·kw·ci < co): the filter gradient goes through patches instead (grey first
// layers, 1×1 projections).
cases.push(
  { input: [2, 9, 9, 1], filter: [3, 3, 1, 16], strides: 1, pad: 'same' },
  { input: [2, 9, 8, 1], filter: [3, 3, 1, 12], strides: 2, pad: 'valid' },
  { input: [3, 8, 8, 4], filter: [1, 1, 4, 8], strides: 2, pad: 'valid' },
  { input: [1, 7, 9, 2], filter: [2, 3, 2, 13], strides: [2, 1], pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
);

// Input channels in fours and output channels in eights: the filter gradient is computed directly
// by the package's SIMD blocks; the same kernel × stride × padding matrix.
const directInputs: Array<[number, number, number, number]> = [
  [1, 7, 9, 4],
  [3, 8, 8, 8],
  [2, 9, 6, 12],
];
cases.push(
  ...kernels.flatMap(([kh, kw], ki) =>
    strides.flatMap((s, si) =>
      pads.map((pad, pi): ConvCase => {
        const input = directInputs[(ki + si + pi) % directInputs.length]!;
        return { input, filter: [kh, kw, input[3], 8 * (1 + ((ki + pi) % 2))], strides: s, pad, dimRoundingMode: typeof pad === 'number' ? 'floor' : undefined };
      }),
    ),
  ),
);

function label(c: ConvCase): string {
  return `x ${c.input} w ${c.filter} stride ${JSON.stringify(c.strides)} pad ${JSON.stringify(c.pad)}`;
}

describe('Conv2DBackpropFilter and Conv2DBackpropInput on wasm match the cpu backend', () => {
  beforeAll(setUpBackends);

  it.each(cases.map((c) => [label(c), c] as const))('%s', (_label, c) => {
    const x = randomTensor(c.input, 1);
    const filter = randomTensor(c.filter, 2);
    tf.setBackend('cpu');
    const outShape = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, c.strides, c.pad, 'NHWC', 1, c.dimRoundingMode).shape;
    const dy = randomTensor(outShape, 3);
    const common = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: c.dimRoundingMode };
    expectKernelMatchesCpu('Conv2DBackpropFilter', { x, dy }, { ...common, filterShape: c.filter }, RELATIVE_TOLERANCE);
    expectKernelMatchesCpu('Conv2DBackpropInput', { dy, filter }, { ...common, inputShape: c.input }, RELATIVE_TOLERANCE);
    tf.dispose([x, filter, dy]);
  });

  it('rejects channels-first data with an error naming the format', () => {
    const x = randomTensor([1, 3, 5, 5], 1);
    const dy = randomTensor([1, 2, 5, 5], 2);
    tf.setBackend('wasm');
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 2] })).toThrow(
      /Conv2DBackpropFilter on wasm supports dataFormat 'NHWC' only.*got 'NCHW'/,
    );
    tf.dispose([x, dy]);
  });
});
