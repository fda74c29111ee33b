import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  Rng,
  TOKENS,
  composeLoss,
  createRegularizerContainer,
  defineRegularizerPlugin,
  oneHotFloat,
  softTargetCrossEntropy,
  validateConfig,
  z,
  type Regularizer,
  type RegularizerPlugin,
} from '@selfkd/core';
import { module, plugin, sdDropoutLoss } from '../src/index.js';
import { B, C, K, denseHead, headParams } from './fixtures.js';
import { configIssues, configWithRegularizers, pluginCatalog } from '../../../test/support/plugin-catalog.js';
import { noModelInStep } from '../../../test/support/step-context.js';

const other = defineRegularizerPlugin({
  type: 'other',
  description: 'stands for any second regularizer',
  options: z.strictObject({}),
  defaultWeight: () => 1,
  create: ({ weight, name }) => ({ type: 'other', name, weight }),
});
const catalog = pluginCatalog([plugin, other] as RegularizerPlugin<object>[]);
const config = configWithRegularizers;
const specsOf = (raw: unknown) => validateConfig(raw, catalog).regularizers;

const issuesOf = (raw: unknown) => configIssues(raw, catalog);

describe('sd-dropout config', () => {
  it('fills the docs/methods.md defaults; λ is 1 alone and 0.1 next to any other regularizer', () => {
    expect(specsOf(config([{ type: 'sd-dropout' }]))).toEqual([
      { type: 'sd-dropout', options: { rate: 0.5, temperature: 3, direction: 'both', detach: false, samples: 2, weight: 1, name: 'sd-dropout' } },
    ]);
    expect(specsOf(config([{ type: 'other' }, { type: 'sd-dropout' }]))[1]!.options.weight).toBe(0.1);
    expect(specsOf(config([{ type: 'other' }, { type: 'sd-dropout', weight: 0.5 }]))[1]!.options.weight).toBe(0.5);
  });

  it('rejects bad options, naming the path and the value', () => {
    const issues = issuesOf(config([{ type: 'sd-dropout', rate: 1.5, temperature: 0, direction: 'up', samples: 1, detach: 'yes', p: 0.1 }]));
    for (const path of ['rate | 1.5', 'temperature | 0', 'direction | "up"', 'samples | 1', 'detach | "yes"']) {
      expect(issues.some((i) => i.startsWith(`regularizers[0].${path} |`)), path).toBe(true);
    }
    expect(issues.some((i) => i.startsWith('regularizers[0].p | 0.1 | unknown key "p"; allowed keys: rate, temperature, direction, detach, samples'))).toBe(true);
  });
});

describe('sd-dropout plugin in a composed step', () => {
  const p = headParams(31);
  const options = { rate: 0.5, temperature: 3, direction: 'both' as const, detach: false, samples: 2, weight: 0.1, name: 'sdd' };

  function resolve(): Regularizer[] {
    return createRegularizerContainer([module], [{ type: 'sd-dropout', options }]).get<Regularizer[]>(TOKENS.Regularizers);
  }

  function step(regularizers: Regularizer[], weight: tf.Tensor2D, bias: tf.Tensor1D) {
    const features = tf.tensor2d(p.features);
    const head = denseHead(weight, bias);
    const logits = head(features);
    const labels = Int32Array.from([0, 1, 2, 3]);
    // Rows after the anchors (as CS-KD's sampler adds) must not enter the dropout pair.
    const extra = { x: tf.zeros([B, 1, 1, 1]), labels, indices: Int32Array.from([4, 5, 6, 7]) };
    return composeLoss(
      regularizers,
      { logits, features, ...noModelInStep, head, labels, oneHot: oneHotFloat(labels, K), indices: Int32Array.from([0, 1, 2, 3]), extra, epoch: 0, totalEpochs: 1, step: 0, numClasses: K, numTrainSamples: 8 },
      () => new Rng('step-rng'),
      [undefined],
    );
  }

  it('is resolved from the container with its options and adds λ·L_sdd to the clean task loss', () => {
    const regularizers = resolve();
    expect(regularizers.map((r) => [r.type, r.name, r.weight])).toEqual([['sd-dropout', 'sdd', 0.1]]);
    tf.tidy(() => {
      const weight = tf.tensor2d(p.weight);
      const bias = tf.tensor1d(p.bias);
      const { total, terms } = step(regularizers, weight, bias);
      const features = tf.tensor2d(p.features);
      const expectedTerm = sdDropoutLoss(features, denseHead(weight, bias), options, new Rng('step-rng')).dataSync()[0]!;
      // The task loss sees the clean logits: dropout never reaches the predictions used for the task (or evaluation).
      const clean = softTargetCrossEntropy(denseHead(weight, bias)(features), oneHotFloat([0, 1, 2, 3], K)).dataSync()[0]!;
      expect(terms.sdd!.dataSync()[0]).toBeCloseTo(expectedTerm, 6);
      expect(terms.task!.dataSync()[0]).toBeCloseTo(clean, 6);
      expect(total.dataSync()[0]).toBeCloseTo(clean + 0.1 * expectedTerm, 6);
      expect(expectedTerm).toBeGreaterThan(0);
    });
  });

  it('contributes only a loss term: no target transform, sampler, state or prediction hook', () => {
    const [r] = resolve();
    expect(Object.keys(r!).sort()).toEqual(['loss', 'name', 'type', 'weight']);
  });

  it('leaves no tensor behind across a gradient step', () => {
    const regularizers = resolve();
    const weight = tf.variable(tf.tensor2d(p.weight));
    const bias = tf.variable(tf.tensor1d(p.bias));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => step(regularizers, weight, bias).total, [weight, bias]);
        expect(grads[weight.name]!.shape).toEqual([C, K]);
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([weight, bias]);
  });
});
