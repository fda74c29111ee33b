import * as tf from '@tensorflow/tfjs-core';
import { createModel, TRAINING_BATCH_NORM_KERNEL } from '@selfkd/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { kernelNames } from '../src/index.js';
import { randomTensor, relativeError, setUpBackends, wasmDataCount } from './helpers.js';

const EPSILON = 1e-5;
/**
 * Relative to the largest reference value. Against tf.moments + tf.batchNorm on the cpu backend,
 * both float32 (the kernel sums in float32 blocks of 256 rows gathered in float64, cpu in one
 * float32 running sum), the differences measured are at most 1.1e-6 (the variance) and 7e-7
 * (gradients); against float64 finite differences, 1.5e-7.
 */
const FORWARD_TOLERANCE = 5e-6;
const GRADIENT_TOLERANCE = 5e-6;

/** Channels in fours take the SIMD passes, others the scalar ones; 300 and 1 200 rows span several partial sums. */
const shapes = [
  [6, 5, 5, 16],
  [3, 10, 10, 8],
  [12, 10, 10, 4],
  [4, 3, 3, 3],
  [20, 6],
];

interface Parameters {
  x: tf.Tensor;
  scale: tf.Tensor1D;
  offset: tf.Tensor1D;
  /** Weights of the loss Σ w·y, so that every output gets a different gradient. */
  weights: tf.Tensor;
}

/** x with a per-channel mean far from zero (3) and spread 2, as conv outputs may have. */
function parameters(shape: number[], seed: number): Parameters {
  const channels = shape[shape.length - 1]!;
  return tf.tidy(() => ({
    x: tf.add(tf.mul(randomTensor(shape, seed), 2), 3),
    scale: tf.add(tf.mul(randomTensor([channels], seed + 1), 0.5), 1) as tf.Tensor1D,
    offset: randomTensor([channels], seed + 2) as tf.Tensor1D,
    weights: randomTensor(shape, seed + 3),
  }));
}

interface Result {
  y: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
  dx: Float32Array;
  dScale: Float32Array;
  dOffset: Float32Array;
}

/** Forward and the gradients of Σ w·y: the fused kernel on wasm, tf.moments + tf.batchNorm on cpu. */
function run(backend: 'cpu' | 'wasm', { x, scale, offset, weights }: Parameters): Result {
  tf.setBackend(backend);
  const axes = x.shape.map((_, i) => i).slice(0, -1);
  const forward = (xs: tf.Tensor, sc: tf.Tensor, of: tf.Tensor): tf.Tensor[] => {
    if (backend === 'wasm') return tf.engine().runKernel(TRAINING_BATCH_NORM_KERNEL, { x: xs, scale: sc, offset: of }, { varianceEpsilon: EPSILON }) as tf.Tensor[];
    const { mean, variance } = tf.moments(xs, axes);
    return [tf.batchNorm(xs, mean, variance, of, sc, EPSILON), mean, variance];
  };
  const [y, mean, variance] = forward(x, scale, offset);
  const [dx, dScale, dOffset] = tf.grads((xs: tf.Tensor, sc: tf.Tensor, of: tf.Tensor) => tf.sum(tf.mul(forward(xs, sc, of)[0]!, weights)))([x, scale, offset]);
  const all = [y, mean, variance, dx, dScale, dOffset] as tf.Tensor[];
  const values = all.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(all);
  const [yv, meanv, variancev, dxv, dScalev, dOffsetv] = values as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  return { y: yv, mean: meanv, variance: variancev, dx: dxv, dScale: dScalev, dOffset: dOffsetv };
}

/** Σ w·BN(x) in float64, the reference for finite differences. */
function lossFloat64(x: Float64Array, scale: Float64Array, offset: Float64Array, weights: Float32Array): number {
  const channels = scale.length;
  const rows = x.length / channels;
  let loss = 0;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += x[r * channels + c]!;
    const mean = sum / rows;
    let squares = 0;
    for (let r = 0; r < rows; r++) squares += (x[r * channels + c]! - mean) ** 2;
    const inverseStd = 1 / Math.sqrt(squares / rows + EPSILON);
    for (let r = 0; r < rows; r++) loss += weights[r * channels + c]! * ((x[r * channels + c]! - mean) * inverseStd * scale[c]! + offset[c]!);
  }
  return loss;
}

/** Central differences of lossFloat64 with respect to every entry of one argument. */
function finiteDifferences(args: [Float64Array, Float64Array, Float64Array], which: number, weights: Float32Array): Float64Array {
  const h = 1e-5;
  const target = args[which]!;
  return target.map((value, i) => {
    target[i] = value + h;
    const up = lossFloat64(...args, weights);
    target[i] = value - h;
    const down = lossFloat64(...args, weights);
    target[i] = value;
    return (up - down) / (2 * h);
  });
}

describe('SelfkdTrainingBatchNorm (forward, running statistics, gradient) on wasm', () => {
  beforeAll(setUpBackends);

  it('is registered under the name @selfkd/models calls', () => {
    expect(kernelNames).toContain(TRAINING_BATCH_NORM_KERNEL);
    expect(tf.getKernel(TRAINING_BATCH_NORM_KERNEL, 'wasm')).toBeDefined();
  });

  it.each(shapes.map((shape) => [`[${shape}]`, shape] as const))('matches tf.moments + tf.batchNorm on cpu and their gradients, x %s', (_label, shape) => {
    const p = parameters(shape, 7);
    const reference = run('cpu', p);
    const actual = run('wasm', p);
    for (const key of ['y', 'mean', 'variance'] as const) expect(relativeError(actual[key], reference[key]), key).toBeLessThanOrEqual(FORWARD_TOLERANCE);
    for (const key of ['dx', 'dScale', 'dOffset'] as const) expect(relativeError(actual[key], reference[key]), key).toBeLessThanOrEqual(GRADIENT_TOLERANCE);
    // A second pass leaves nothing behind on the wasm heap.
    const heapBefore = wasmDataCount();
    const tensorsBefore = tf.memory().numTensors;
    run('wasm', p);
    expect(wasmDataCount()).toBe(heapBefore);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    tf.dispose(Object.values(p));
  });

  it.each([[[2, 3, 3, 8]], [[5, 2, 2, 3]]])('has the gradient of finite differences in float64, x [%s]', (shape) => {
    const p = parameters(shape, 21);
    const actual = run('wasm', p);
    const weights = p.weights.dataSync() as Float32Array;
    const args: [Float64Array, Float64Array, Float64Array] = [p.x, p.scale, p.offset].map((t) => Float64Array.from(t.dataSync())) as [Float64Array, Float64Array, Float64Array];
    (['dx', 'dScale', 'dOffset'] as const).forEach((key, which) => {
      expect(relativeError(actual[key], finiteDifferences(args, which, weights)), key).toBeLessThanOrEqual(GRADIENT_TOLERANCE);
    });
    tf.dispose(Object.values(p));
  });

  it('rejects parameters whose shape is not [channels], naming them', () => {
    tf.setBackend('wasm');
    const x = tf.zeros([2, 4, 4, 8]);
    const scale = tf.ones([4]);
    const offset = tf.zeros([8]);
    expect(() => tf.engine().runKernel(TRAINING_BATCH_NORM_KERNEL, { x, scale, offset }, { varianceEpsilon: EPSILON })).toThrow(
      /scale must have shape \[8\] \(the channels of x\), got \[4\]/,
    );
    tf.dispose([x, scale, offset]);
  });
});

const layerSpec = { inputShape: [6, 6, 3], numClasses: 4, seed: 5 };
const layerConfig = { name: 'cnn', channels: [8], dense: 4, batchNorm: true };

interface LayerRun {
  /** Loss, dGamma, dBeta, dx. */
  values: Float32Array[];
  /** Moving mean and variance after two training-mode calls. */
  running: Float32Array[];
  kernels: string[];
}

/** Two training-mode calls of a fresh model's BatchNorm layer: one for gamma and beta's gradients, one for x's. */
async function runLayer(backend: 'cpu' | 'wasm', x: tf.Tensor, weights: tf.Tensor): Promise<LayerRun> {
  tf.setBackend(backend);
  const model = createModel(layerConfig, layerSpec);
  const bn = model.layersModel.getLayer('conv1_bn');
  const variables = bn.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = (input: tf.Tensor) => tf.sum(tf.mul(bn.apply(input, { training: true }) as tf.Tensor, weights));
  let values: Float32Array[] = [];
  const { kernelNames: kernels } = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => loss(x) as tf.Scalar, variables);
    const dx = tf.grad(loss)(x);
    values = [value, ...variables.map((v) => grads[v.name]!), dx].map((t) => Float32Array.from(t.dataSync()));
    tf.dispose([value, dx, ...Object.values(grads)]);
  });
  const running = bn.getWeights().slice(2).map((w) => Float32Array.from(w.dataSync()));
  model.dispose();
  return { values, running, kernels };
}

describe('@selfkd/models BatchNorm in training mode on wasm equals tfjs-layers BatchNormalization on cpu', () => {
  beforeAll(setUpBackends);

  it('runs the fused kernel, with equal output, gradients and running statistics', async () => {
    const x = tf.tidy(() => tf.add(tf.mul(randomTensor([5, 6, 6, 8], 31), 1.5), 0.5));
    const weights = randomTensor([5, 6, 6, 8], 32);
    const reference = await runLayer('cpu', x, weights);
    const actual = await runLayer('wasm', x, weights);
    expect(actual.kernels).toContain(TRAINING_BATCH_NORM_KERNEL);
    expect(reference.kernels).not.toContain(TRAINING_BATCH_NORM_KERNEL);
    ['loss', 'dGamma', 'dBeta', 'dx'].forEach((name, i) => {
      expect(relativeError(actual.values[i]!, reference.values[i]!), name).toBeLessThanOrEqual(GRADIENT_TOLERANCE);
    });
    ['moving mean', 'moving variance'].forEach((name, i) => {
      expect(relativeError(actual.running[i]!, reference.running[i]!), name).toBeLessThanOrEqual(FORWARD_TOLERANCE);
    });
    tf.dispose([x, weights]);
  });
});
