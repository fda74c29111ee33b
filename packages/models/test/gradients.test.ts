import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat, softTargetCrossEntropy } from '@selfkd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel, type ClassifierModel } from '../src/index.js';
import { randomImages, useCpuBackend } from './helpers.js';

beforeAll(useCpuBackend);

const spec = { inputShape: [6, 6, 2], numClasses: 3, seed: 4 };
const labels = [0, 2, 1, 1, 0];

function trainingLoss(model: ClassifierModel, x: tf.Tensor, target: tf.Tensor2D): tf.Scalar {
  return softTargetCrossEntropy(model.forward(x, true).logits, target);
}

describe('trainableVariables', () => {
  it.each([
    { name: 'mlp', hidden: [8, 4] },
    { name: 'cnn', channels: [3], dense: 4, batchNorm: true },
    { name: 'resnet18', width: 0.0625 },
  ])('$name: every trainable weight, and no running statistic, gets a gradient from tf.variableGrads', (config) => {
    const model = createModel(config, spec);
    const names = model.trainableVariables.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => /moving_(mean|variance)/.test(n))).toEqual([]);
    expect(model.trainableVariables.every((v) => v.trainable)).toBe(true);
    expect(model.trainableVariables.length).toBe(model.layersModel.trainableWeights.length);

    const x = randomImages(labels.length, spec.inputShape, 6);
    const target = oneHotFloat(labels, spec.numClasses);
    const { value, grads } = tf.variableGrads(() => trainingLoss(model, x, target), model.trainableVariables);
    expect(Object.keys(grads).sort()).toEqual([...names].sort());
    for (const v of model.trainableVariables) {
      expect(grads[v.name]!.shape).toEqual(v.shape);
      expect(tf.tidy(() => tf.any(tf.notEqual(grads[v.name]!, 0)).dataSync()[0])).toBe(1);
    }
    tf.dispose([value, grads, x, target]);
    model.dispose();
  });

  it('gives the gradient that central finite differences measure, through training-mode BatchNorm', () => {
    const model = createModel({ name: 'cnn', channels: [3], dense: 4, batchNorm: true }, spec);
    const x = randomImages(labels.length, spec.inputShape, 7);
    const target = oneHotFloat(labels, spec.numClasses);
    const { value, grads } = tf.variableGrads(() => trainingLoss(model, x, target), model.trainableVariables);
    const lossAt = () => tf.tidy(() => trainingLoss(model, x, target).dataSync()[0]!);

    const h = 1e-2;
    // One entry of each kind of weight: conv kernel, BN scale and shift, hidden dense, head bias.
    for (const [suffix, index] of [['conv1/kernel', 5], ['conv1_bn/gamma', 1], ['conv1_bn/beta', 2], ['features/kernel', 7], ['head/bias', 0]] as const) {
      const variable = model.trainableVariables.find((v) => v.name.startsWith(suffix))!;
      const original = variable.dataSync().slice();
      const shifted = (delta: number) => {
        const values = original.slice();
        values[index] += delta;
        tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
        return lossAt();
      };
      const numeric = (shifted(h) - shifted(-h)) / (2 * h);
      tf.tidy(() => variable.assign(tf.tensor(original, variable.shape)));
      const analytic = grads[variable.name]!.dataSync()[index]!;
      expect(Math.abs(analytic - numeric)).toBeLessThan(1e-4 + 1e-3 * Math.abs(analytic));
    }
    tf.dispose([value, grads, x, target]);
    model.dispose();
  });
});

describe('tensor hygiene', () => {
  it.each([
    { name: 'mlp', hidden: [8, 4] },
    { name: 'cnn', channels: [3, 4], dense: 4, batchNorm: true },
    { name: 'resnet18', width: 0.0625 },
  ])('$name: forward and a gradient step leave exactly what they return', (config) => {
    const before = tf.memory().numTensors;
    const model = createModel(config, spec);
    const withModel = tf.memory().numTensors;
    const x = randomImages(labels.length, spec.inputShape, 8);
    const target = oneHotFloat(labels, spec.numClasses);
    const optimizer = tf.train.sgd(0.01);

    const step = () => {
      const { value, grads } = tf.variableGrads(() => trainingLoss(model, x, target), model.trainableVariables);
      optimizer.applyGradients(grads);
      tf.dispose([value, grads]);
    };
    step();
    const afterFirst = tf.memory().numTensors;
    step();
    step();
    expect(tf.memory().numTensors).toBe(afterFirst);

    for (const training of [true, false]) {
      const start = tf.memory().numTensors;
      const out = model.forward(x, training);
      const taps = new Set(Object.values(out.taps).filter((t) => t !== out.features));
      expect(tf.memory().numTensors).toBe(start + 2 + taps.size);
      tf.dispose([out.features, out.logits, ...taps]);
      const features = model.features(x, training);
      expect(tf.memory().numTensors).toBe(start + 1);
      const logits = model.head(features);
      expect(tf.memory().numTensors).toBe(start + 2);
      tf.dispose([features, logits]);
      expect(tf.memory().numTensors).toBe(start);
    }

    tf.dispose([x, target]);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(withModel);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
