import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { TOKENS, composeLoss, createRegularizerContainer, oneHotFloat, Rng, validateConfig, type Regularizer } from '@selfkd/core';
import { module, plugin, smoothLabels } from '../src/index.js';
import { noModelInStep } from '../../../test/support/step-context.js';

describe('smoothLabels', () => {
  it('gives 1 − ε + ε/K to the true class and ε/K elsewhere', () => {
    const rows = smoothLabels(oneHotFloat([2, 0], 4), 0.1).arraySync();
    // Hand-computed: ε/K = 0.025, 1 − 0.1 + 0.025 = 0.925.
    expect(rows[0]![0]).toBeCloseTo(0.025, 7);
    expect(rows[0]![2]).toBeCloseTo(0.925, 7);
    expect(rows[1]![0]).toBeCloseTo(0.925, 7);
    for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('rejects ε outside [0, 1]', () => {
    expect(() => smoothLabels(oneHotFloat([0], 2), 1.5)).toThrow(/epsilon must be in \[0, 1\], got 1.5/);
  });
});

describe('label-smoothing plugin', () => {
  const catalog = { plugins: [plugin], models: [], datasets: [] };

  it('is bound through inversify and resolved from a config entry', () => {
    const container = createRegularizerContainer([module], [{ type: 'label-smoothing', options: { epsilon: 0.2, weight: 1, name: 'ls' } }]);
    const [regularizer] = container.get<Regularizer[]>(TOKENS.Regularizers);
    expect(regularizer!.name).toBe('ls');
    const out = regularizer!.transformTarget!(oneHotFloat([1], 2), {} as never, undefined).arraySync();
    expect(out[0]).toEqual([expect.closeTo(0.1, 7), expect.closeTo(0.9, 7)]);
  });

  it('makes the task loss equal to cross-entropy with smoothed targets (hand-computed)', () => {
    const container = createRegularizerContainer([module], [{ type: 'label-smoothing', options: { epsilon: 0.1, weight: 1, name: 'label-smoothing' } }]);
    const regularizers = container.get<Regularizer[]>(TOKENS.Regularizers);
    const logits = tf.tensor2d([[2, 0, -1]]);
    const { total, terms } = composeLoss(
      regularizers,
      {
        logits,
        features: logits,
        ...noModelInStep,
        head: (f) => f,
        labels: Int32Array.from([0]),
        oneHot: oneHotFloat([0], 3),
        indices: Int32Array.from([0]),
        epoch: 0,
        totalEpochs: 1,
        step: 0,
        numClasses: 3,
        numTrainSamples: 1,
      },
      () => new Rng(0),
      [undefined],
    );
    const lse = Math.log(Math.exp(2) + Math.exp(0) + Math.exp(-1));
    const logp = [2 - lse, 0 - lse, -1 - lse];
    const expected = -(0.9 + 0.1 / 3) * logp[0]! - (0.1 / 3) * logp[1]! - (0.1 / 3) * logp[2]!;
    expect(total.dataSync()[0]).toBeCloseTo(expected, 6);
    expect(Object.keys(terms)).toEqual(['task']);
  });

  it('validates its options, naming the path and the value', () => {
    const raw = {
      data: { name: 'x' },
      model: { name: 'y' },
      train: { epochs: 1, optimizer: { name: 'sgd', lr: 0.1 } },
      regularizers: [{ type: 'label-smoothing', epsilon: 1.5 }],
    };
    expect(() => validateConfig(raw, catalog)).toThrow(/regularizers\[0\]\.epsilon: .* \(got 1\.5\)/);
  });
});
