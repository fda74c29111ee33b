import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectKernelMatchesCpu, randomTensor, relativeError, runKernelOn, setUpBackends } from './helpers.js';

const RELATIVE_TOLERANCE = 1e-5;

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

interface DepthwiseCase {
  input: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  dilations: number;
  pad: Pad;
}

const explicit: Pad = [[0, 0], [2, 1], [0, 3], [0, 0]];
const cases: DepthwiseCase[] = [
  { input: [1, 7, 9, 3], filter: [3, 3, 3, 1], strides: 1, dilations: 1, pad: 'same' },
  { input: [3, 8, 8, 2], filter: [3, 3, 2, 2], strides: 2, dilations: 1, pad: 'same' },
  { input: [2, 9, 7, 3], filter: [5, 5, 3, 1], strides: [2, 1], dilations: 1, pad: 'valid' },
  { input: [2, 9, 9, 2], filter: [1, 1, 2, 3], strides: 2, dilations: 1, pad: 'valid' },
  { input: [1, 10, 7, 4], filter: [3, 2, 4, 2], strides: [1, 3], dilations: 1, pad: explicit },
  { input: [2, 6, 6, 3], filter: [5, 5, 3, 1], strides: 1, dilations: 1, pad: 'same' },
];

/** Dilated cases; the tfjs ops allow dilation only at stride 1, the kernels take both. */
const dilatedCases: DepthwiseCase[] = [
  { input: [1, 11, 9, 2], filter: [3, 3, 2, 3], strides: 1, dilations: 2, pad: 'valid' },
  { input: [2, 12, 10, 3], filter: [3, 2, 3, 1], strides: 1, dilations: 3, pad: 'same' },
  { input: [2, 12, 10, 3], filter: [3, 3, 3, 2], strides: 1, dilations: 2, pad: explicit },
  { input: [2, 13, 12, 2], filter: [3, 3, 2, 2], strides: [2, 3], dilations: 2, pad: 'valid' },
];

function outputShape(c: DepthwiseCase): number[] {
  const x = randomTensor(c.input, 0);
  const w = randomTensor(c.filter, 0);
  const shape = tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dilations).shape;
  tf.dispose([x, w]);
  return shape;
}

/** The filter with d − 1 zeros between taps: a dilated convolution is a plain one with this filter. */
function spreadFilter(filter: tf.Tensor, d: number): tf.Tensor4D {
  const [kh, kw, c, m] = filter.shape as [number, number, number, number];
  const spread = tf.buffer([(kh - 1) * d + 1, (kw - 1) * d + 1, c, m]);
  const values = filter.arraySync() as number[][][][];
  values.forEach((row, i) => row.forEach((col, j) => col.forEach((chan, a) => chan.forEach((v, b) => spread.set(v, i * d, j * d, a, b)))));
  return spread.toTensor() as tf.Tensor4D;
}

describe('DepthwiseConv2dNativeBackpropFilter / Input on wasm', () => {
  beforeAll(setUpBackends);

  it.each(cases.map((c) => [`x ${c.input} w ${c.filter} stride ${JSON.stringify(c.strides)} pad ${JSON.stringify(c.pad)}`, c] as const))(
    'match the cpu backend: %s',
    (_label, c) => {
      const x = randomTensor(c.input, 1);
      const filter = randomTensor(c.filter, 2);
      const dy = randomTensor(outputShape(c), 3);
      const common = { strides: c.strides, dilations: c.dilations, pad: c.pad };
      expectKernelMatchesCpu('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...common, filterShape: c.filter }, RELATIVE_TOLERANCE);
      expectKernelMatchesCpu('DepthwiseConv2dNativeBackpropInput', { dy, filter }, { ...common, inputShape: c.input }, RELATIVE_TOLERANCE);
      tf.dispose([x, filter, dy]);
    },
  );

  // The cpu backend's backprop kernels ignore `dilations`, so the reference for a dilated case is
  // the undilated gradient of the zero-spread filter: its input gradient directly, and its filter
  // gradient sampled at the real taps.
  it.each(dilatedCases.map((c) => [`x ${c.input} w ${c.filter} stride ${JSON.stringify(c.strides)} dilation ${c.dilations} pad ${JSON.stringify(c.pad)}`, c] as const))(
    'handle dilation: %s',
    (_label, c) => {
      const x = randomTensor(c.input, 1);
      const filter = randomTensor(c.filter, 2);
      tf.setBackend('cpu');
      const spread = spreadFilter(filter, c.dilations);
      const dy = randomTensor(outputShape({ ...c, filter: spread.shape, dilations: 1 }), 3);
      const plain = { strides: c.strides, dilations: 1, pad: c.pad };
      const referenceInput = runKernelOn('cpu', 'DepthwiseConv2dNativeBackpropInput', { dy, filter: spread }, { ...plain, inputShape: c.input });
      tf.setBackend('cpu');
      const spreadGrad = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...plain, filterShape: spread.shape }) as tf.Tensor;
      const referenceFilter = tf.stridedSlice(spreadGrad, [0, 0, 0, 0], spreadGrad.shape, [c.dilations, c.dilations, 1, 1]);

      const dilated = { strides: c.strides, dilations: c.dilations, pad: c.pad };
      const input = runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropInput', { dy, filter }, { ...dilated, inputShape: c.input });
      const filterGrad = runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...dilated, filterShape: c.filter });
      expect(input.shape).toEqual(c.input);
      expect(relativeError(input.values, referenceInput.values)).toBeLessThan(RELATIVE_TOLERANCE);
      expect(filterGrad.shape).toEqual(c.filter);
      expect(relativeError(filterGrad.values, referenceFilter.dataSync())).toBeLessThan(RELATIVE_TOLERANCE);
      tf.dispose([x, filter, dy, spread, spreadGrad, referenceFilter]);
    },
  );
});
