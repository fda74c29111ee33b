import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomTensor, relativeError, setUpBackends, wasmDataCount, type Backend } from './helpers.js';

/** Whole training steps on wasm (with this package's kernels) against the cpu backend. */
const LOSS_TOLERANCE = 1e-4;
const STEPS = 5;
const BATCH = 8;
const CLASSES = 10;

type Params = Record<string, tf.Variable>;
type Forward = (x: tf.Tensor4D, p: Params) => tf.Tensor2D;

interface Model {
  inputShape: [number, number, number];
  /** Parameter name → shape. */
  params: Record<string, number[]>;
  forward: Forward;
}

const dense = (x: tf.Tensor2D, p: Params, name: string, relu: boolean): tf.Tensor2D =>
  tf.fused.matMul({ a: x, b: p[`${name}_w`] as tf.Tensor2D, bias: p[`${name}_b`], activation: relu ? 'relu' : 'linear' }) as tf.Tensor2D;

const conv = (x: tf.Tensor4D, p: Params, name: string): tf.Tensor4D =>
  tf.fused.conv2d({ x, filter: p[`${name}_w`] as tf.Tensor4D, strides: 1, pad: 'same', bias: p[`${name}_b`], activation: 'relu' });

const mlp: Model = {
  inputShape: [12, 12, 1],
  params: { h1_w: [144, 64], h1_b: [64], h2_w: [64, 64], h2_b: [64], out_w: [64, CLASSES], out_b: [CLASSES] },
  forward: (x, p) => dense(dense(dense(tf.reshape(x, [x.shape[0], -1]), p, 'h1', true), p, 'h2', true), p, 'out', false),
};

/** conv32-pool-conv64-pool-fc128-fc10, as @selfkd/models builds it, on 12×12 images. */
const cnn: Model = {
  inputShape: [12, 12, 1],
  params: { c1_w: [3, 3, 1, 32], c1_b: [32], c2_w: [3, 3, 32, 64], c2_b: [64], fc_w: [3 * 3 * 64, 128], fc_b: [128], out_w: [128, CLASSES], out_b: [CLASSES] },
  forward: (x, p) => {
    const h1 = tf.maxPool(conv(x, p, 'c1'), 2, 2, 'valid');
    const h2 = tf.maxPool(conv(h1, p, 'c2'), 2, 2, 'valid');
    return dense(dense(tf.reshape(h2, [x.shape[0], -1]), p, 'fc', true), p, 'out', false);
  },
};

/** BatchNorm in training mode (batch statistics), as in the CIFAR ResNet. */
function batchNorm(x: tf.Tensor4D, p: Params, name: string): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.batchNorm(x, mean, variance, p[`${name}_beta`], p[`${name}_gamma`], 1e-5) as tf.Tensor4D;
}

/** A stem and one strided BasicBlock with a projection shortcut, PyTorch padding, global average pool. */
const residual: Model = {
  inputShape: [8, 8, 3],
  params: {
    stem_w: [3, 3, 3, 8], stem_gamma: [8], stem_beta: [8],
    c1_w: [3, 3, 8, 16], c1_gamma: [16], c1_beta: [16],
    c2_w: [3, 3, 16, 16], c2_gamma: [16], c2_beta: [16],
    proj_w: [1, 1, 8, 16], proj_gamma: [16], proj_beta: [16],
    out_w: [16, CLASSES], out_b: [CLASSES],
  },
  forward: (x, p) => {
    const w = (name: string) => p[`${name}_w`] as tf.Tensor4D;
    const stem = tf.relu(batchNorm(tf.conv2d(x, w('stem'), 1, 'same'), p, 'stem'));
    const padded = tf.pad(stem, [[0, 0], [1, 1], [1, 1], [0, 0]]);
    const h = tf.relu(batchNorm(tf.conv2d(padded, w('c1'), 2, 'valid'), p, 'c1'));
    const main = batchNorm(tf.conv2d(h, w('c2'), 1, 'same'), p, 'c2');
    const shortcut = batchNorm(tf.conv2d(stem, w('proj'), 2, 'valid'), p, 'proj');
    const pooled = tf.mean(tf.relu(tf.add(main, shortcut)), [1, 2]) as tf.Tensor2D;
    return dense(pooled, p, 'out', false);
  },
};

/** Seeded initial values, identical for both backends: weights N(0, 1/fanIn), biases and β N(0, 0.01), γ 1 + N(0, 0.01). */
function initialValues(model: Model): Record<string, Float32Array> {
  return Object.fromEntries(
    Object.entries(model.params).map(([name, shape], i) => {
      const seed = 100 + i;
      if (shape.length === 1) {
        const values = randomValues(shape, seed, 0.1);
        return [name, name.endsWith('_gamma') ? values.map((v) => 1 + v) : values];
      }
      const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      return [name, randomValues(shape, seed, 1 / Math.sqrt(fanIn))];
    }),
  );
}

function randomValues(shape: number[], seed: number, scale: number): Float32Array {
  const t = randomTensor(shape, seed);
  const values = Float32Array.from(t.dataSync(), (v) => v * scale);
  t.dispose();
  return values;
}

interface Run {
  losses: number[];
  /** tf.memory().numTensors after each step. */
  tensors: number[];
  /** Tensors on the wasm heap after each step (intermediates of kernels included). */
  heapTensors: number[];
  finalParams: Float32Array;
}

function train(backend: Backend, model: Model, init: Record<string, Float32Array>, images: Float32Array, labels: Float32Array): Run {
  tf.setBackend(backend);
  const params: Params = Object.fromEntries(Object.entries(model.params).map(([name, shape]) => [name, tf.variable(tf.tensor(init[name]!, shape), true, `${backend}_${name}`)]));
  const x = tf.tensor4d(images, [BATCH, ...model.inputShape]);
  const y = tf.tensor2d(labels, [BATCH, CLASSES]);
  const optimizer = tf.train.sgd(0.1);
  const run: Run = { losses: [], tensors: [], heapTensors: [], finalParams: new Float32Array() };
  for (let step = 0; step < STEPS; step++) {
    const loss = optimizer.minimize(() => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(model.forward(x, params))), 1))) as tf.Scalar, true);
    run.losses.push(loss!.dataSync()[0]!);
    loss!.dispose();
    run.tensors.push(tf.memory().numTensors);
    run.heapTensors.push(wasmDataCount());
  }
  run.finalParams = Float32Array.from(Object.values(params).flatMap((v) => Array.from(v.dataSync())));
  tf.dispose([x, y, ...Object.values(params)]);
  optimizer.dispose();
  return run;
}

describe('five SGD steps on wasm with these kernels equal the cpu backend', () => {
  beforeAll(setUpBackends);

  it.each([
    ['MLP', mlp],
    ['small CNN', cnn],
    ['residual block with BatchNorm and a strided projection', residual],
  ] as const)('%s', (_name, model) => {
    const init = initialValues(model);
    const images = randomValues([BATCH, ...model.inputShape], 1, 1);
    const labels = new Float32Array(BATCH * CLASSES).map((_, i) => (i % CLASSES === Math.floor(i / CLASSES) % CLASSES ? 1 : 0));
    const reference = train('cpu', model, init, images, labels);
    const wasm = train('wasm', model, init, images, labels);

    expect(reference.losses[STEPS - 1]).toBeLessThan(reference.losses[0]!);
    for (let step = 0; step < STEPS; step++) expect(Math.abs(wasm.losses[step]! - reference.losses[step]!), `step ${step}`).toBeLessThanOrEqual(LOSS_TOLERANCE);
    expect(relativeError(wasm.finalParams, reference.finalParams)).toBeLessThan(1e-4);
    // Nothing accumulates from step to step, neither tensors nor kernel intermediates on the heap.
    expect(new Set(wasm.tensors).size).toBe(1);
    expect(new Set(wasm.heapTensors).size).toBe(1);
  });
});
