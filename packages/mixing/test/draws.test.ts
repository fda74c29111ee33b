import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { Rng, oneHotFloat, type PrepareContext, type StepContext } from '@selfkd/core';
import { cutMixInputs, cutMixPlugin, drawCutMix, drawMixup, mixTargets, sampleBeta } from '../src/index.js';

function moments(draws: number[]) {
  const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
  return { mean, variance: draws.reduce((s, v) => s + (v - mean) ** 2, 0) / draws.length };
}

describe('the random draws of mixup and CutMix', () => {
  it.each([
    [0.4, 0.4],
    [1, 1],
    [2, 5],
    [0.2, 3],
  ])('Beta(%f, %f) draws have the distribution\'s mean and variance (20000 draws, 4 standard errors)', (a, b) => {
    const rng = new Rng(`beta-${a}-${b}`);
    const draws = Array.from({ length: 20000 }, () => sampleBeta(a, b, rng));
    const mean = a / (a + b);
    const variance = (a * b) / ((a + b) ** 2 * (a + b + 1));
    const got = moments(draws);
    expect(draws.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(Math.abs(got.mean - mean)).toBeLessThan(4 * Math.sqrt(variance / draws.length));
    expect(Math.abs(got.variance - variance) / variance).toBeLessThan(0.05);
  });

  it('mixup: partners are a permutation of the batch; α = 0 gives λ = 0.5 as the reference does', () => {
    const rng = new Rng('mixup');
    const draw = drawMixup(9, 0.4, rng);
    expect([...draw.partners].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(drawMixup(3, 0, rng).lambda).toBe(0.5);
    expect(() => drawMixup(3, -1, rng)).toThrow('mixup alpha must be a finite number ≥ 0, got -1');
  });

  it("cutmix: λ is the kept pixel fraction, and its mean over draws is the expectation over λ ~ U(0, 1) and uniform centres", () => {
    const rng = new Rng('cutmix');
    const draws = Array.from({ length: 4000 }, () => drawCutMix([2, 32, 32, 3], 1, rng));
    for (const { lambda, box } of draws.slice(0, 50)) {
      expect(lambda).toBeCloseTo(1 - ((box.bottom - box.top) * (box.right - box.left)) / (32 * 32), 12);
    }
    // The expectation by midpoint integration over λ and a sum over centres, from the box rule in
    // words: sides ⌊32·√(1 − λ)⌋, centre ± half of that rounded down, clipped to the image.
    const span = (centre: number, side: number) => Math.min(centre + Math.floor(side / 2), 32) - Math.max(centre - Math.floor(side / 2), 0);
    let expected = 0;
    const steps = 400;
    for (let s = 0; s < steps; s++) {
      const side = Math.floor(32 * Math.sqrt(1 - (s + 0.5) / steps));
      let covered = 0;
      for (let c = 0; c < 32; c++) covered += span(c, side);
      expected += 1 - (covered / 32) ** 2 / (32 * 32);
    }
    expected /= steps;
    const { mean, variance } = moments(draws.map((d) => d.lambda));
    expect(Math.abs(mean - expected)).toBeLessThan(4 * Math.sqrt(variance / draws.length) + 1e-3);
    expect(() => drawCutMix([2, 64], 1, rng)).toThrow('cutmix needs image batches [B, H, W, C], got shape [2, 64]');
  });

  it('the cutmix plugin pastes its own draw into the anchors and mixes the targets by the same λ and partners', () => {
    const regularizer = cutMixPlugin.create({ alpha: 1, weight: 1, name: 'cutmix' }, { types: ['cutmix'] });
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
      const labels = Int32Array.from([0, 1, 2]);
      const ctx = { x, labels, rng: new Rng('plugin') } as unknown as PrepareContext;
      const mixing = regularizer.prepare!(ctx) as ReturnType<typeof drawCutMix>;
      expect(mixing).toEqual(drawCutMix(x.shape, 1, new Rng('plugin')));
      const mixed = regularizer.transformInput!(x, ctx, mixing);
      expect(mixed.arraySync()).toEqual(cutMixInputs(x, mixing).arraySync());
      const target = regularizer.transformTarget!(oneHotFloat(labels, 3), {} as StepContext, mixing);
      expect(target.arraySync()).toEqual(mixTargets(oneHotFloat(labels, 3), mixing).arraySync());
      target.arraySync().forEach((row) => expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6));
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
