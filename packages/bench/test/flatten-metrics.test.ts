import { describe, expect, it } from 'vitest';
import { z } from '@selfkd/core';
import { builtinEvalSuites, defineEvalSuite } from '@selfkd/eval';
import { flattenMetrics } from '../src/index.js';
import { benchMetricDirection } from '../src/results/best-validation-metrics.js';

describe('flattenMetrics', () => {
  it('names every scalar of an eval report, in a fixed order', () => {
    const result = {
      metrics: { top1: 0.5, nll: 9 },
      eval: {
        classification: { images: 10, top1: 0.9, top5: 0.99, nll: 0.3, brier: 0.15 },
        calibration: { images: 10, bins: 15, ece: 0.04, mce: 0.2, ecePsKd: 0.05, reliability: [] },
        adversarial: {
          fgsm: { images: 10, clean: 0.9, results: [{ eps: 0.01, accuracy: 0.8 }, { eps: 0.1, accuracy: 0.2 }] },
          pgd: { images: 10, eps: 0.03, steps: 10, stepSize: 0.01, randomStart: true, clean: 0.9, accuracy: 0.05 },
        },
        ood: {
          inDistribution: { name: 'mnist-digits', images: 10 },
          sets: [{ name: 'mnist@/data/k.mnist', images: 10, msp: { auroc: 0.7, auprIn: 0.6, auprOut: 0.5, fprAt95Tpr: 0.4 }, odin: { auroc: 0.8 }, energy: {} }],
        },
        shift: { images: 10, severities: [2, 4], clean: 0.9, corruptions: [{ name: 'rotate', accuracy: [0.7, 0.5], mean: 0.6 }], mean: 0.6 },
      },
    };
    expect(flattenMetrics(result)).toEqual([
      { name: 'top1', value: 0.9 },
      { name: 'top5', value: 0.99 },
      { name: 'nll', value: 0.3 },
      { name: 'brier', value: 0.15 },
      { name: 'ece', value: 0.04 },
      { name: 'ecePsKd', value: 0.05 },
      { name: 'mce', value: 0.2 },
      { name: 'fgsm.clean', value: 0.9 },
      { name: 'fgsm.eps=0.01', value: 0.8 },
      { name: 'fgsm.eps=0.1', value: 0.2 },
      { name: 'pgd', value: 0.05 },
      { name: 'ood.mnist@/data/k.mnist.msp.auroc', value: 0.7 },
      { name: 'ood.mnist@/data/k.mnist.msp.auprIn', value: 0.6 },
      { name: 'ood.mnist@/data/k.mnist.msp.auprOut', value: 0.5 },
      { name: 'ood.mnist@/data/k.mnist.msp.fprAt95Tpr', value: 0.4 },
      { name: 'ood.mnist@/data/k.mnist.odin.auroc', value: 0.8 },
      { name: 'shift.clean', value: 0.9 },
      { name: 'shift.mean', value: 0.6 },
      { name: 'shift.rotate', value: 0.6 },
      { name: 'shift.rotate.s2', value: 0.7 },
      { name: 'shift.rotate.s4', value: 0.5 },
    ]);
  });

  it('falls back to the last epoch metrics without an eval report and skips what is not a finite number', () => {
    expect(flattenMetrics({ metrics: { top1: 0.8, nll: Number.NaN } })).toEqual([{ name: 'top1', value: 0.8 }]);
    expect(flattenMetrics({ eval: { adversarial: { fgsm: { results: [{ eps: 0.1, accuracy: null }] }, pgd: null } } })).toEqual([]);
    expect(flattenMetrics(null)).toEqual([]);
  });
});

describe('flattenMetrics with a third-party suite', () => {
  const fairness = defineEvalSuite({
    name: 'fairness',
    description: 'a suite a plugin package adds',
    options: z.strictObject({}),
    run: async () => ({ gap: 0 }),
    metrics: (part) => [{ name: 'fairness.gap', value: (part as { gap: number }).gap }],
    direction: (metric) => (metric === 'fairness.gap' ? 'lower' : undefined),
  });

  it('flattens its part after the built-ins when given it, and leaves it out otherwise', () => {
    const result = { eval: { fairness: { gap: 0.25 }, calibration: { ece: 0.1 } } };
    expect(flattenMetrics(result, [...builtinEvalSuites, fairness])).toEqual([
      { name: 'ece', value: 0.1 },
      { name: 'fairness.gap', value: 0.25 },
    ]);
    expect(flattenMetrics(result)).toEqual([{ name: 'ece', value: 0.1 }]);
  });
});

describe('cost metrics', () => {
  it('come last, from result.json’s cost, and are better lower', () => {
    const result = { metrics: { top1: 0.5 }, cost: { parameters: 25450, forwardFlopsPerImage: 50816, trainingFlopsPerImage: 152448, cpuSeconds: 12.5 } };
    expect(flattenMetrics(result)).toEqual([
      { name: 'top1', value: 0.5 },
      { name: 'cost.parameters', value: 25450 },
      { name: 'cost.trainingFlopsPerImage', value: 152448 },
      { name: 'cost.cpuSeconds', value: 12.5 },
    ]);
    expect(flattenMetrics({ cost: { cpuSeconds: null } })).toEqual([]);
    expect(benchMetricDirection('cost.cpuSeconds')).toBe('lower');
    expect(benchMetricDirection('cost.parameters')).toBe('lower');
  });
});

describe('best-validation metrics', () => {
  const run = (bestValidation?: unknown) => ({ metrics: { top1: 0.5, nll: 1.2 }, ...(bestValidation ? { bestValidation } : {}) });

  it('adds the test metrics of the best-validation epoch beside the last epoch’s', () => {
    const result = run({ selectBy: 'val-top1', epoch: 3, validation: { top1: 0.7, nll: 0.8 }, test: { top1: 0.6, nll: 0.9 } });
    expect(flattenMetrics(result)).toEqual([
      { name: 'top1', value: 0.5 },
      { name: 'nll', value: 1.2 },
      { name: 'bestVal.top1', value: 0.6 },
      { name: 'bestVal.nll', value: 0.9 },
    ]);
  });

  it('adds nothing for a run without a validation split, and skips values that are not finite numbers', () => {
    expect(flattenMetrics(run()).map((m) => m.name)).toEqual(['top1', 'nll']);
    const damaged = run({ epoch: 2, test: { top1: null, nll: Number.NaN } });
    expect(flattenMetrics(damaged).map((m) => m.name)).toEqual(['top1', 'nll']);
  });

  it('gives a bestVal metric the direction of the test metric it repeats', () => {
    expect(benchMetricDirection('bestVal.nll')).toBe('lower');
    expect(benchMetricDirection('bestVal.top1')).toBe('higher');
    expect(benchMetricDirection('nll')).toBe('lower');
  });
});
