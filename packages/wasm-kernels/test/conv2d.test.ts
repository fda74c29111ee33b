import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { CONV_RELATIVE_TOLERANCE as RELATIVE_TOLERANCE, kernelSizes as kernels, padCases as pads, strideCases as strides, type Pad } from './conv-cases.js';
import { expectKernelMatchesCpu, randomTensor, setUpBackends } from './helpers.js';

// Widths that leave 0 to 3 pixels in a row's last block of four; one image and several.
const inputs: Array<[number, number, number, number]> = [
  [1, 7, 9, 3],
  [3, 8, 8, 8],
  [2, 9, 6, 1],
  [2, 5, 11, 4],
];

interface ForwardCase {
  input: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

/**
 * Output channels in eights take the package's SIMD rows, others the stock kernel; every kernel
 * size × stride × padding with both.
 */
const cases: ForwardCase[] = kernels.flatMap(([kh, kw], ki) =>
  strides.flatMap((s, si) =>
    pads.flatMap((pad, pi) =>
      [8, 16, 5].map((outChannels, oi): ForwardCase => {
        const input = inputs[(ki + si + pi + oi) % inputs.length]!;
        return { input, filter: [kh, kw, input[3], outChannels], strides: s, pad };
      }),
    ),
  ),
);

describe('Conv2D on wasm matches the cpu backend', () => {
  beforeAll(setUpBackends);

  it.each(cases.map((c) => [`x ${c.input} w ${c.filter} stride ${JSON.stringify(c.strides)} pad ${JSON.stringify(c.pad)}`, c] as const))('%s', (_label, c) => {
    const x = randomTensor(c.input, 1);
    const filter = randomTensor(c.filter, 2);
    const dimRoundingMode = typeof c.pad === 'number' ? 'floor' : undefined;
    expectKernelMatchesCpu('Conv2D', { x, filter }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1, dimRoundingMode }, RELATIVE_TOLERANCE);
    tf.dispose([x, filter]);
  });

  it('keeps the stock kernel for dilated convolutions', () => {
    const x = randomTensor([2, 9, 9, 4], 1);
    const filter = randomTensor([3, 3, 4, 8], 2);
    expectKernelMatchesCpu('Conv2D', { x, filter }, { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 2 }, RELATIVE_TOLERANCE);
    tf.dispose([x, filter]);
  });
});

describe('FusedConv2D on wasm matches the cpu backend', () => {
  beforeAll(setUpBackends);

  // Bias and ReLU inside the SIMD rows (8 and 16 output channels), PReLU-free activations the rows
  // do not do and a channel count they do not take (stock kernel).
  const fusedCases = cases.filter((_, i) => i % 4 === 0).map((c, i) => ({ ...c, activation: (['relu', 'linear', 'elu'] as const)[i % 3]!, withBias: i % 2 === 0 }));

  it.each(fusedCases.map((c) => [`x ${c.input} w ${c.filter} stride ${JSON.stringify(c.strides)} pad ${JSON.stringify(c.pad)} ${c.activation}${c.withBias ? ' + bias' : ''}`, c] as const))('%s', (_label, c) => {
    const x = randomTensor(c.input, 1);
    const filter = randomTensor(c.filter, 2);
    const bias = randomTensor([c.filter[3]], 3);
    const dimRoundingMode = typeof c.pad === 'number' ? 'floor' : undefined;
    const inputs: tf.NamedTensorMap = c.withBias ? { x, filter, bias } : { x, filter };
    expectKernelMatchesCpu('FusedConv2D', inputs, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1, dimRoundingMode, activation: c.activation }, RELATIVE_TOLERANCE);
    tf.dispose([x, filter, bias]);
  });
});
