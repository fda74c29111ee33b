import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { Rng, oneHotFloat, type PrepareContext, type Regularizer } from '@selfkd/core';
import { noModelInStep } from '../../../test/support/step-context.js';
import { drawMixup, mixRows, mixupPlugin, sampleGamma, type MixupDraw } from '../src/index.js';

describe('mixRows', () => {
  it('is λ·rows + (1 − λ)·rows[partners] (hand-computed)', () => {
    const mixed = tf.tidy(() => mixRows(tf.tensor2d([[1, 0], [0, 1], [4, 2]]), { lambda: 0.75, partners: Int32Array.from([2, 0, 1]) }).arraySync());
    expect(mixed).toEqual([[0.75 + 1, 0.5], [0.25, 0.75], [3, 1.75]]);
  });

  it('refuses partners that do not cover the rows', () => {
    expect(() => mixRows(tf.zeros([3, 2]), { lambda: 0.5, partners: Int32Array.from([0, 1]) })).toThrow('mixup: 2 partners for 3 rows');
  });
});

describe('drawMixup', () => {
  it('draws λ from Beta(α, α): mean 1/2 and variance 1/(4(2α + 1)) over many draws, partners a permutation', () => {
    const rng = new Rng('mixup-draws');
    for (const alpha of [0.2, 1, 3]) {
      const draws = Array.from({ length: 20000 }, () => drawMixup(4, alpha, rng).lambda);
      const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
      const variance = draws.reduce((s, v) => s + (v - mean) ** 2, 0) / draws.length;
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
      expect(Math.abs(variance - 1 / (4 * (2 * alpha + 1)))).toBeLessThan(0.01);
    }
    expect([...drawMixup(6, 1, rng).partners].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => sampleGamma(0, rng)).toThrow('a Gamma shape must be a positive number, got 0');
  });
});

describe('the mixup plugin', () => {
  it('mixes the inputs and the targets with the same λ and partners', () => {
    const r = mixupPlugin.create({ alpha: 0.4, weight: 1, name: 'mixup' }, { types: ['example-mixup'] }) as Regularizer<MixupDraw>;
    tf.tidy(() => {
      const labels = Int32Array.from([0, 1, 2, 1]);
      const x = tf.tensor4d([1, 2, 3, 4], [4, 1, 1, 1]);
      const info = { epoch: 0, totalEpochs: 1, step: 0, numClasses: 3, numTrainSamples: 4 };
      const ctx: PrepareContext = { ...info, x, labels, indices: labels, forward: noModelInStep.forward, rng: new Rng(11) };
      const draw = r.prepare!(ctx);
      const mixedX = r.transformInput!(x, ctx, draw).dataSync();
      const oneHot = oneHotFloat(labels, 3);
      const target = r.transformTarget!(oneHot, { ...info, ...noModelInStep, logits: oneHot, features: oneHot, head: (f) => f, labels, oneHot, indices: labels, rng: new Rng(0) }, draw).arraySync();
      const { lambda, partners } = draw;
      expect(lambda).toBeGreaterThan(0);
      expect(lambda).toBeLessThan(1);
      [...labels].forEach((y, b) => {
        const p = partners[b]!;
        expect(mixedX[b]).toBeCloseTo(lambda * (b + 1) + (1 - lambda) * (p + 1), 6);
        const expected = [0, 1, 2].map((k) => lambda * (k === y ? 1 : 0) + (1 - lambda) * (k === labels[p] ? 1 : 0));
        target[b]!.forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 6));
      });
    });
  });
});
