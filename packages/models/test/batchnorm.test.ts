import * as tf from '@tensorflow/tfjs-core';
import { softTargetCrossEntropy, oneHotFloat } from '@selfkd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../src/index.js';
import { layerWeights, maxAbsDiff, randomImages, take, useCpuBackend } from './helpers.js';

beforeAll(useCpuBackend);

const EPS = 1e-5;
const MOMENTUM = 0.9; // Keras convention: new = 0.9·old + 0.1·batch (PyTorch's momentum 0.1)

/** Per-channel mean and biased variance of channels-last data, in plain JS. */
function channelMoments(x: Float32Array, channels: number): { mean: number[]; variance: number[] } {
  const n = x.length / channels;
  const mean = Array.from({ length: channels }, (_, c) => {
    let s = 0;
    for (let i = c; i < x.length; i += channels) s += x[i]!;
    return s / n;
  });
  const variance = mean.map((m, c) => {
    let s = 0;
    for (let i = c; i < x.length; i += channels) s += (x[i]! - m) ** 2;
    return s / n;
  });
  return { mean, variance };
}

function normalize(x: Float32Array, mean: number[], variance: number[], gamma: number[], beta: number[]): Float32Array {
  const c = mean.length;
  return x.map((v, i) => ((v - mean[i % c]!) / Math.sqrt(variance[i % c]! + EPS)) * gamma[i % c]! + beta[i % c]!);
}

describe('BatchNorm through layer.apply, outside model.fit', () => {
  const channels = 3;
  const gamma = [1.5, 0.5, -1];
  const beta = [0.1, -0.2, 0.3];
  const movingMean = [0.2, -0.1, 0.05];
  const movingVar = [2, 0.5, 1.2];

  function setUp() {
    const model = createModel({ name: 'cnn', channels: [channels], dense: 4, batchNorm: true }, { inputShape: [4, 4, 1], numClasses: 2, seed: 0 });
    const bn = model.layersModel.getLayer('conv1_bn');
    const initial = [gamma, beta, movingMean, movingVar].map((v) => tf.tensor1d(v));
    bn.setWeights(initial);
    tf.dispose(initial);
    const x = tf.tidy(() => tf.mul(randomImages(5, [4, 4, channels], 3), 2));
    return { model, bn, x, values: x.dataSync() as Float32Array };
  }

  it('evaluation normalises with the running statistics and leaves them alone', () => {
    const { model, bn, x, values } = setUp();
    const out = take(bn.apply(x, { training: false }) as tf.Tensor);
    expect(maxAbsDiff(out, normalize(values, movingMean, movingVar, gamma, beta))).toBeLessThan(1e-5);
    expect(Array.from(layerWeights(bn).moving_mean!)).toEqual(movingMean.map(Math.fround));
    expect(Array.from(layerWeights(bn).moving_variance!)).toEqual(movingVar.map(Math.fround));
    x.dispose();
    model.dispose();
  });

  it('training normalises with the batch statistics and updates the running ones on every call', () => {
    const { model, bn, x, values } = setUp();
    const { mean, variance } = channelMoments(values, channels);
    const out = take(bn.apply(x, { training: true }) as tf.Tensor);
    expect(maxAbsDiff(out, normalize(values, mean, variance, gamma, beta))).toBeLessThan(1e-5);

    let expectedMean = movingMean.map((m, c) => MOMENTUM * m + (1 - MOMENTUM) * mean[c]!);
    let expectedVar = movingVar.map((v, c) => MOMENTUM * v + (1 - MOMENTUM) * variance[c]!);
    expect(maxAbsDiff(layerWeights(bn).moving_mean!, expectedMean)).toBeLessThan(1e-6);
    expect(maxAbsDiff(layerWeights(bn).moving_variance!, expectedVar)).toBeLessThan(1e-6);

    take(bn.apply(x, { training: true }) as tf.Tensor);
    expectedMean = expectedMean.map((m, c) => MOMENTUM * m + (1 - MOMENTUM) * mean[c]!);
    expectedVar = expectedVar.map((v, c) => MOMENTUM * v + (1 - MOMENTUM) * variance[c]!);
    expect(maxAbsDiff(layerWeights(bn).moving_mean!, expectedMean)).toBeLessThan(1e-6);
    expect(maxAbsDiff(layerWeights(bn).moving_variance!, expectedVar)).toBeLessThan(1e-6);
    x.dispose();
    model.dispose();
  });
});

describe('BatchNorm through the ClassifierModel', () => {
  const spec = { inputShape: [8, 8, 3], numClasses: 3, seed: 1 };
  const bnLayers = (model: ReturnType<typeof createModel>) => model.layersModel.layers.filter((l) => l.getClassName() === 'BatchNormalization');
  const runningStats = (model: ReturnType<typeof createModel>) =>
    bnLayers(model).map((l) => {
      const w = layerWeights(l);
      return [...w.moving_mean!, ...w.moving_variance!];
    });

  it('features(x, true) updates every running statistic once; features(x, false) none', () => {
    const model = createModel({ name: 'resnet18', width: 0.125 }, spec);
    expect(bnLayers(model)).toHaveLength(1 + 8 * 2 + 3); // stem, two per BasicBlock, three projections
    const x = randomImages(4, spec.inputShape, 5);
    const initial = runningStats(model);
    take(model.features(x, false));
    expect(runningStats(model)).toEqual(initial);
    take(model.features(x, true));
    const afterOne = runningStats(model);
    afterOne.forEach((stats, i) => expect(stats).not.toEqual(initial[i]));
    take(model.features(x, false));
    expect(runningStats(model)).toEqual(afterOne);
    x.dispose();
    model.dispose();
  });

  it('updates the running statistics inside tf.variableGrads, the trainer’s path', () => {
    const model = createModel({ name: 'cnn', channels: [4], dense: 4, batchNorm: true }, spec);
    const bn = model.layersModel.getLayer('conv1_bn');
    const x = randomImages(6, spec.inputShape, 8);
    const target = oneHotFloat([0, 1, 2, 0, 1, 2], 3);
    const conv = take(tf.tidy(() => model.layersModel.getLayer('conv1').apply(x) as tf.Tensor));
    const { mean, variance } = channelMoments(conv, 4);
    const { value, grads } = tf.variableGrads(() => softTargetCrossEntropy(model.forward(x, true).logits, target), model.trainableVariables);
    expect(maxAbsDiff(layerWeights(bn).moving_mean!, mean.map((m) => (1 - MOMENTUM) * m))).toBeLessThan(1e-6);
    expect(maxAbsDiff(layerWeights(bn).moving_variance!, variance.map((v) => MOMENTUM + (1 - MOMENTUM) * v))).toBeLessThan(1e-6);
    tf.dispose([value, grads, x, target]);
    model.dispose();
  });

  it('evaluates each sample on its own; training mode mixes the batch', () => {
    const model = createModel({ name: 'resnet18', width: 0.125 }, spec);
    const x = randomImages(4, spec.inputShape, 9);
    const first = tf.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]);
    const pair = tf.concat([first, first]);
    const firstRow = (input: tf.Tensor, training: boolean) => take(tf.tidy(() => model.head(model.features(input, training)))).slice(0, 3);
    expect(maxAbsDiff(firstRow(x, false), firstRow(first, false))).toBeLessThan(1e-5);
    expect(maxAbsDiff(firstRow(x, true), firstRow(pair, true))).toBeGreaterThan(1e-3);
    tf.dispose([x, first, pair]);
    model.dispose();
  });
});
