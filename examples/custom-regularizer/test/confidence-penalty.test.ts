import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Rng, TOKENS, composeLoss, createRegularizerContainer, oneHotFloat, readConfigFile, validateConfig, z, type Regularizer } from '@selfkd/core';
import { randomMatrix, softmaxRows, unflatten } from '../../../test/support/float64-reference.js';
import { centralDifferences, expectAllClose, flat } from '../../../test/support/numeric-checks.js';
import { confidencePenalty, confidencePenaltyPlugin as plugin, module } from '../src/index.js';
import { noModelInStep } from '../../../test/support/step-context.js';

const entropy = (row: number[]) => -row.reduce((s, p) => s + p * Math.log(p), 0);

describe('confidencePenalty', () => {
  it('is −H: −ln 2 for two equal logits, 0 for a certain prediction (hand-computed)', () => {
    expect(confidencePenalty(tf.tensor2d([[0, 0]])).dataSync()[0]).toBeCloseTo(-Math.log(2), 6);
    expect(confidencePenalty(tf.tensor2d([[50, 0, 0]])).dataSync()[0]).toBeCloseTo(0, 6);
  });

  it('with a threshold Γ is mean max(0, Γ − H)', () => {
    // Rows with entropies ln 2 ≈ 0.693 and ≈ 0: with Γ = 1 they give 1 − ln 2 and 1; with Γ = 0.5, 0 and 0.5.
    const logits = tf.tensor2d([[0, 0], [50, 0]]);
    expect(confidencePenalty(logits, 1).dataSync()[0]).toBeCloseTo((1 - Math.log(2) + 1) / 2, 5);
    expect(confidencePenalty(logits, 0.5).dataSync()[0]).toBeCloseTo(0.25, 5);
    expect(() => confidencePenalty(logits, -1)).toThrow(/threshold must be a non-negative number .* got -1/);
  });

  it('has the gradient p_k·(log p_k + H)/B, which central finite differences confirm', () => {
    const rng = new Rng('penalty');
    const logits = randomMatrix(4, 5, () => rng.next(), 3);
    const grad = tf.tidy(() => tf.grad((z: tf.Tensor) => confidencePenalty(z as tf.Tensor2D))(tf.tensor2d(logits)).dataSync());
    const analytic = softmaxRows(logits).flatMap((p) => p.map((pk) => (pk * (Math.log(pk) + entropy(p))) / 4));
    expectAllClose(grad, analytic, 'analytic gradient');
    const negEntropy = (x: ArrayLike<number>) => -softmaxRows(unflatten(x, [[4, 5]])[0]!).reduce((s, p) => s + entropy(p), 0) / 4;
    expectAllClose(grad, centralDifferences(negEntropy, flat(logits)), 'finite differences');
  });
});

describe('the confidence-penalty plugin', () => {
  it('is registered by the example config and validated like a built-in', () => {
    const file = fileURLToPath(new URL('../confidence-penalty.yaml', import.meta.url));
    const loose = z.looseObject({});
    const catalog = { plugins: [plugin], models: [{ name: 'mlp', description: '', options: loose }], datasets: [{ name: 'mnist-digits', description: '', options: loose }] };
    const config = validateConfig(readConfigFile(file), catalog);
    expect(config.plugins).toEqual(['./examples/custom-regularizer/dist/index.js']);
    expect(config.regularizers).toEqual([{ type: 'confidence-penalty', options: { weight: 0.1, name: 'confidence-penalty' } }]);
    const bad = { ...(readConfigFile(file) as object), regularizers: [{ type: 'confidence-penalty', threshold: -2 }] };
    expect(() => validateConfig(bad, catalog)).toThrow(/regularizers\[0\]\.threshold: .*\(got -2\)/);
  });

  it('adds −β·H to the task loss when resolved from the container', () => {
    const [r] = createRegularizerContainer([module], [{ type: 'confidence-penalty', options: { weight: 0.1, name: 'confidence-penalty' } }]).get<Regularizer[]>(TOKENS.Regularizers);
    tf.tidy(() => {
      const logits = tf.tensor2d([[0, 0], [Math.log(3), 0]]);
      const labels = Int32Array.from([0, 1]);
      const { total, terms } = composeLoss(
        [r!],
        { logits, features: logits, ...noModelInStep, head: (f) => f, labels, oneHot: oneHotFloat(labels, 2), indices: labels, epoch: 0, totalEpochs: 1, step: 0, numClasses: 2, numTrainSamples: 2 },
        () => new Rng(0),
        [undefined],
      );
      // Row 0: p = [1/2, 1/2]; row 1: p = [3/4, 1/4], label 1.
      const ce = (Math.log(2) + Math.log(4)) / 2;
      const h = (Math.log(2) + entropy([0.75, 0.25])) / 2;
      expect(terms['confidence-penalty']!.dataSync()[0]).toBeCloseTo(-h, 6);
      expect(total.dataSync()[0]).toBeCloseTo(ce - 0.1 * h, 6);
    });
  });
});
