import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalize } from '@selfkd/data';
import { createModel, type ClassifierModel } from '@selfkd/models';
import { runEvaluation } from '@selfkd/eval';
import { syntheticDataset } from './synthetic-dataset.js';
import { predictedLabels } from './tiny-model.js';

// The runner against a real @selfkd/models network (tfjs-layers, BatchNorm in inference mode):
// gradients must reach the input through the layers, and nothing may leak.
describe('runEvaluation on a @selfkd/models CNN', () => {
  let model: ClassifierModel;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    model = createModel({ name: 'cnn', channels: [4], dense: 8, batchNorm: true }, { inputShape: [8, 8, 3], numClasses: 3, seed: 1 });
  });
  afterAll(() => model.dispose());

  it('attacks, scores and corrupts colour images through the layers model', async () => {
    const norm = { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] };
    const labelOf = (pixels: tf.Tensor4D) => predictedLabels((p) => tf.tidy(() => model.forward(normalize(p, norm), false).logits), pixels);
    const dataset = syntheticDataset([8, 8, 3], 3, 24, labelOf, 1000);
    const before = tf.memory().numTensors;
    const report = await runEvaluation(model, dataset, {
      batchSize: 10,
      fgsm: { eps: [0.1] },
      pgd: { eps: 0.1, steps: 2, stepSize: 0.05 },
      ood: { sets: ['uniform-noise'] },
      shift: { corruptions: ['brightness', 'pixelate'], severities: [3] },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(report)).toHaveLength(5);
    expect(report.adversarial!.fgsm.results[0]!.accuracy).toBeLessThan(report.adversarial!.fgsm.clean);
    expect(report.ood!.sets[0]!.images).toBe(24);
    expect(report.shift!.corruptions.map((c) => c.accuracy.length)).toEqual([1, 1]);
  });
});
