import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat, softTargetCrossEntropy } from '@selfkd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel, type ClassifierModel } from '../src/index.js';
import { runTorchScript } from '../../../test/support/torch-reference.js';
import { layerWeights, maxAbsDiff, randomImages, take, useCpuBackend } from './helpers.js';

// Debian's python3-torch; the reference is an independent float64 implementation of each architecture.
const SCRIPT = fileURLToPath(new URL('./reference/torch_models.py', import.meta.url));

interface TorchResult {
  evalLogits: number[][];
  trainFeatures: number[][];
  trainLogits: number[][];
  grads: Record<string, number[][]>;
  batchNorm: Record<string, { running_mean: number[]; running_var: number[] }>;
}

const cases = [
  { config: { name: 'mlp', hidden: [10, 7] }, inputShape: [4, 3, 2] },
  { config: { name: 'cnn', channels: [3, 5], dense: 6, batchNorm: true }, inputShape: [8, 6, 2] },
  // 8×6 is even in both axes (as CIFAR's 32×32), where TF 'same' and PyTorch padding=1 differ at stride 2.
  { config: { name: 'resnet18', width: 0.0625 }, inputShape: [8, 6, 3] },
];
const labels = [0, 3, 1, 2, 3];

function weightsByLayer(model: ClassifierModel) {
  return Object.fromEntries(
    model.layersModel.layers
      .filter((l) => l.weights.length > 0)
      .map((l) => [l.name, l.weights.map((w) => ({ shape: w.shape, data: Array.from(w.read().dataSync()) }))]),
  );
}

function flat(nested: unknown): number[] {
  return (nested as number[]).flat(Infinity as 1) as number[];
}

/** max |a − b| relative to the reference's scale, so tiny and large tensors are judged alike. */
function relativeError(actual: ArrayLike<number>, reference: number[]): number {
  const scale = Math.max(1e-3, ...reference.map(Math.abs));
  return maxAbsDiff(actual, reference) / scale;
}

describe('agrees with a PyTorch reference', () => {
  const models = cases.map(({ config, inputShape }) => ({ config, model: createModel(config, { inputShape, numClasses: 4, seed: 13 }), inputShape }));
  let results: TorchResult[];
  let initialWeights: ReturnType<typeof weightsByLayer>[];

  beforeAll(async () => {
    await useCpuBackend();
    initialWeights = models.map(({ model }) => weightsByLayer(model));
    const request = {
      cases: models.map(({ model, inputShape }, i) => {
        const x = randomImages(labels.length, inputShape, 100 + i);
        // The options with defaults filled in, as createModel recorded them.
        const { options } = (model.layersModel.getUserDefinedMetadata() as { selfkd: { options: object } }).selfkd;
        return { kind: model.kind, options, weights: initialWeights[i], x: { shape: x.shape, data: Array.from(take(x)) }, labels };
      }),
    };
    results = (await runTorchScript<{ results: TorchResult[] }>(SCRIPT, request)).results;
  });

  describe.each(cases.map((c, i) => ({ ...c, i })))('$config.name', ({ i, inputShape }) => {
    it('logits in eval mode; features, logits, gradients and running statistics in training mode', () => {
      const { model } = models[i]!;
      const reference = results[i]!;
      const x = randomImages(labels.length, inputShape, 100 + i);

      expect(relativeError(take(tf.tidy(() => model.forward(x, false).logits)), flat(reference.evalLogits))).toBeLessThan(1e-5);

      const target = oneHotFloat(labels, 4);
      let features: Float32Array | undefined;
      let logits: Float32Array | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const out = model.forward(x, true);
        features = Float32Array.from(out.features.dataSync());
        logits = Float32Array.from(out.logits.dataSync());
        return softTargetCrossEntropy(out.logits, target);
      }, model.trainableVariables);
      expect(relativeError(features!, flat(reference.trainFeatures))).toBeLessThan(1e-5);
      expect(relativeError(logits!, flat(reference.trainLogits))).toBeLessThan(1e-5);

      for (const layer of model.layersModel.layers) {
        const expected = reference.grads[layer.name] ?? [];
        expect(layer.trainableWeights.length).toBe(expected.length);
        layer.trainableWeights.forEach((w, k) => {
          expect(relativeError(grads[w.name]!.dataSync(), flat(expected[k])), `${w.name}`).toBeLessThan(1e-4);
        });
        const stats = reference.batchNorm[layer.name];
        if (stats) {
          const now = layerWeights(layer);
          expect(relativeError(now.moving_mean!, stats.running_mean), `${layer.name} running mean`).toBeLessThan(1e-5);
          expect(relativeError(now.moving_variance!, stats.running_var), `${layer.name} running variance`).toBeLessThan(1e-5);
        }
      }
      expect(Object.keys(reference.batchNorm).length).toBe(model.layersModel.layers.filter((l) => l.getClassName() === 'BatchNormalization').length);
      tf.dispose([value, grads, x, target]);
    });
  });
});
