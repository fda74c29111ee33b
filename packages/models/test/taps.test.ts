import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel, loadModel, modelCatalog } from '../src/index.js';
import { maxAbsDiff, randomImages, useCpuBackend } from './helpers.js';

beforeAll(useCpuBackend);

const cases = [
  { config: { name: 'mlp', hidden: [16, 8] }, inputShape: [6, 5, 1], shapes: { hidden1: [16], hidden2: [8] }, layers: { hidden1: 'hidden1', hidden2: 'features' } },
  { config: { name: 'cnn', channels: [4, 8], dense: 12 }, inputShape: [8, 8, 3], shapes: { block1: [4, 4, 4], block2: [2, 2, 8] }, layers: { block1: 'pool1', block2: 'pool2' } },
  {
    config: { name: 'resnet18', width: 0.125 },
    inputShape: [8, 8, 3],
    shapes: { stage1: [8, 8, 8], stage2: [4, 4, 16], stage3: [2, 2, 32], stage4: [1, 1, 64] },
    layers: { stage1: 'stage1_block2_relu2', stage2: 'stage2_block2_relu2', stage3: 'stage3_block2_relu2', stage4: 'stage4_block2_relu2' },
  },
];

describe.each(cases)('taps of $config.name', ({ config, inputShape, shapes, layers }) => {
  const spec = { inputShape, numClasses: 5, seed: 3 };

  it('are the names the catalog announces for these options, with the shapes of the layers they read', () => {
    const { name, ...options } = config;
    const entry = modelCatalog.find((m) => m.name === name)!;
    expect(entry.taps!(entry.options.parse(options) as Record<string, unknown>)).toEqual(Object.keys(shapes));
    const model = createModel(config, spec);
    expect(model.tapShapes).toEqual(shapes);
    model.dispose();
  });

  it('come out of the same forward pass, equal to the outputs of their layers, and survive save and load', async () => {
    const model = createModel(config, spec);
    const x = randomImages(3, inputShape, 1);
    const probe = tfl.model({ inputs: model.layersModel.inputs, outputs: Object.values(layers).map((l) => model.layersModel.getLayer(l).output as tfl.SymbolicTensor) });
    const expected = tf.tidy(() => (probe.predict(x) as tf.Tensor[]).map((t) => t.dataSync()));
    const taps = tf.tidy(() => Object.values(model.forward(x, false).taps).map((t) => t.dataSync()));
    taps.forEach((values, i) => expect(maxAbsDiff(values, expected[i]!)).toBe(0));

    const dir = join(await mkdtemp(join(tmpdir(), 'selfkd-taps-')), 'model');
    await model.save(dir);
    const loaded = await loadModel(dir);
    expect(loaded.tapShapes).toEqual(shapes);
    const again = tf.tidy(() => Object.values(loaded.forward(x, false).taps).map((t) => t.dataSync()));
    again.forEach((values, i) => expect(maxAbsDiff(values, expected[i]!)).toBe(0));
    tf.dispose(x);
    loaded.dispose();
    model.dispose();
  });

  it('give gradients to the layers below them', () => {
    const model = createModel(config, spec);
    const x = randomImages(2, inputShape, 2);
    const firstTap = Object.keys(shapes)[0]!;
    const grads = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(model.forward(x, true).taps[firstTap]!) as tf.Scalar, model.trainableVariables);
      return Object.entries(grads).map(([name, g]) => [name, tf.max(tf.abs(g)).dataSync()[0]!] as const);
    });
    expect(grads.some(([, g]) => g > 0)).toBe(true);
    tf.dispose(x);
    model.dispose();
  });
});
