import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel, type ClassifierModel } from '../src/index.js';
import { maxAbsDiff, randomImages, take, useCpuBackend } from './helpers.js';

beforeAll(useCpuBackend);

function trainableCount(model: ClassifierModel): number {
  return model.trainableVariables.reduce((n, v) => n + v.size, 0);
}

describe('architectures', () => {
  it('mlp with defaults on 28×28×1 is MLP 784-512-512-10', () => {
    const model = createModel({ name: 'mlp' }, { inputShape: [28, 28, 1], numClasses: 10, seed: 0 });
    expect(model.kind).toBe('mlp');
    expect(model.featureDim).toBe(512);
    expect(trainableCount(model)).toBe(784 * 512 + 512 + (512 * 512 + 512) + (512 * 10 + 10));
    model.dispose();
  });

  it('cnn with defaults on 28×28×1 is conv32-pool-conv64-pool-fc128-fc10', () => {
    const model = createModel({ name: 'cnn' }, { inputShape: [28, 28, 1], numClasses: 10, seed: 0 });
    const conv1 = 3 * 3 * 1 * 32 + 32;
    const conv2 = 3 * 3 * 32 * 64 + 64;
    const fc = 7 * 7 * 64 * 128 + 128; // 28 → 14 → 7 after the two 2×2 pools
    expect(model.featureDim).toBe(128);
    expect(trainableCount(model)).toBe(conv1 + conv2 + fc + (128 * 10 + 10));
    model.dispose();
  });

  it('resnet18 at width 1 has the 11,173,962 trainable parameters of the PyTorch CIFAR ResNet-18', () => {
    const model = createModel({ name: 'resnet18' }, { inputShape: [32, 32, 3], numClasses: 10, seed: 0 });
    expect(model.featureDim).toBe(512);
    expect(trainableCount(model)).toBe(11_173_962);
    // Stage 4 sees 32 / 2³ = 4×4 maps: stride 1 stem, no max-pool.
    expect(model.layersModel.getLayer('stage4_block2_relu2').outputShape).toEqual([null, 4, 4, 512]);
    model.dispose();
  });

  it('resnet18 projects the shortcut exactly where the shape changes', () => {
    const model = createModel({ name: 'resnet18', width: 0.25 }, { inputShape: [8, 8, 3], numClasses: 10, seed: 0 });
    const projections = model.layersModel.layers.map((l) => l.name).filter((n) => n.endsWith('_proj'));
    expect(projections).toEqual(['stage2_block1_proj', 'stage3_block1_proj', 'stage4_block1_proj']);
    expect(model.featureDim).toBe(128);
    model.dispose();
  });
});

const small: { name: string; config: { name: string; [k: string]: unknown }; inputShape: number[]; featureDim: number }[] = [
  { name: 'mlp', config: { name: 'mlp', hidden: [16, 8] }, inputShape: [6, 5, 1], featureDim: 8 },
  { name: 'cnn', config: { name: 'cnn', channels: [4, 8], dense: 12 }, inputShape: [8, 8, 3], featureDim: 12 },
  { name: 'cnn+bn', config: { name: 'cnn', channels: [4], dense: 6, batchNorm: true }, inputShape: [5, 7, 2], featureDim: 6 },
  { name: 'resnet18', config: { name: 'resnet18', width: 0.125 }, inputShape: [8, 6, 3], featureDim: 64 },
];

describe.each(small)('$name on small inputs', ({ config, inputShape, featureDim }) => {
  const spec = { inputShape, numClasses: 5, seed: 7 };

  it('gives features [B, C] and logits [B, K]', () => {
    const model = createModel(config, spec);
    expect([model.inputShape, model.numClasses, model.featureDim]).toEqual([inputShape, 5, featureDim]);
    const x = randomImages(3, inputShape, 1);
    for (const training of [true, false]) {
      const { features, logits } = model.forward(x, training);
      expect(features.shape).toEqual([3, featureDim]);
      expect(logits.shape).toEqual([3, 5]);
      tf.dispose([features, logits]);
    }
    x.dispose();
    model.dispose();
  });

  it('head(features(x)) and forward(x) equal the whole LayersModel, in both modes', () => {
    const model = createModel(config, spec);
    const x = randomImages(4, inputShape, 2);
    for (const training of [false, true]) {
      const whole = take(model.layersModel.apply(x, { training }) as tf.Tensor);
      const split = take(tf.tidy(() => model.head(model.features(x, training))));
      const { features, logits } = model.forward(x, training);
      features.dispose();
      expect(maxAbsDiff(split, whole)).toBeLessThan(1e-6);
      expect(maxAbsDiff(take(logits), whole)).toBeLessThan(1e-6);
    }
    const predicted = take(model.layersModel.predict(x) as tf.Tensor);
    expect(maxAbsDiff(take(tf.tidy(() => model.forward(x, false).logits)), predicted)).toBeLessThan(1e-6);
    x.dispose();
    model.dispose();
  });
});

describe('input checks', () => {
  it('rejects an input of the wrong shape, naming both shapes', () => {
    const model = createModel({ name: 'mlp', hidden: [4] }, { inputShape: [4, 4, 1], numClasses: 3, seed: 0 });
    const x = tf.zeros([2, 4, 4, 3]);
    expect(() => model.features(x, false)).toThrow('mlp expects inputs of shape [B, 4, 4, 1] (images, channels last), got [2, 4, 4, 3]');
    const f = tf.zeros([2, 5]) as tf.Tensor2D;
    expect(() => model.head(f)).toThrow('head expects features of shape [B, 4], got [2, 5]');
    tf.dispose([x, f]);
    model.dispose();
  });
});
