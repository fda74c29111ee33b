import { describe, expect, it } from 'vitest';
import type { Regularizer } from '@selfkd/core';
import { loadCheckpoint } from '@selfkd/trainer';
import { conformanceConfig, entryOf, registeredRegularizers, trainedWith, validated } from './registered-regularizers.js';

describe('the registry the suite runs over', () => {
  // At least these: a method package made with `pnpm new:regularizer` joins the suite without editing it.
  it('holds the built-in regularizers and the example package’s', () => {
    expect(registeredRegularizers.map((p) => p.type)).toEqual(
      expect.arrayContaining(['auxiliary-head', 'bake', 'confidence-penalty', 'cs-kd', 'cutmix', 'ddgsd', 'dlb', 'example-mixup', 'label-smoothing', 'mixup', 'ps-kd', 'sd-dropout', 'tf-kd-reg', 'frskd', 'tf-kd-self', 'byot', 'dks']),
    );
  });
});

describe.each(registeredRegularizers.map((p) => ({ type: p.type, plugin: p })))('$type', ({ type, plugin }) => {
  it('trains and learns the tiny problem, with every loss term finite and a flat tensor count from step to step', async () => {
    const { result, tensorsPerStep, stepsPerEpoch } = await trainedWith(type);
    for (const record of result.history) {
      for (const [term, value] of Object.entries(record.train)) expect(Number.isFinite(value), `${term} in epoch ${record.epoch}`).toBe(true);
    }
    expect(result.metrics.top1).toBeGreaterThan(0.3); // 10 classes: chance is 0.1
    expect(result.history[2]!.test.nll).toBeLessThan(result.history[0]!.test.nll);
    // A regularizer that owns the sampler may change the steps per epoch (BAKE adds same-class rows).
    expect(stepsPerEpoch).toBeGreaterThan(0);
    expect(tensorsPerStep).toHaveLength(3 * stepsPerEpoch);
    // The first step may create what the run keeps (optimizer slots, caches); after it, nothing accumulates.
    expect(new Set(tensorsPerStep.slice(1)).size).toBe(1);
  });

  it('round-trips its state and its own variables through the checkpoint', async () => {
    const { outDir } = await trainedWith(type);
    const { state } = await loadCheckpoint(outDir);
    const spec = validated(conformanceConfig([entryOf(plugin)])).regularizers[0]!;
    const fresh: Regularizer = plugin.create(spec.options, { types: [type] });
    const saved = state.regularizers[spec.options.name];
    expect(saved !== undefined).toBe(fresh.state !== undefined);
    if (saved) {
      fresh.loadState!(saved);
      expect(fresh.state!()).toEqual(saved);
    }
    const variables = state.regularizerVariables[spec.options.name];
    if (variables) for (const values of variables.values as Float32Array[]) expect(values.every(Number.isFinite)).toBe(true);
    fresh.dispose?.();
  });
});
