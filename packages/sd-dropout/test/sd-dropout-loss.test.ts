import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { Rng } from '@selfkd/core';
import { centralDifferences, expectAllClose, flat, maxAbs } from '../../../test/support/numeric-checks.js';
import { unflatten } from '../../../test/support/float64-reference.js';
import { dropoutMasks, sdDropoutLoss, sdDropoutLossFromMasks, type KlDirection } from '../src/index.js';
import { B, C, K, denseHead, fixedMasks, headParams } from './fixtures.js';
import { sdDropoutReference, type HeadParams } from './sd-dropout-reference.js';

type Grads = { loss: number; features: Float32Array; weight: Float32Array; bias: Float32Array };

/** Loss and gradients of the package's SD-Dropout on a dense head, with fixed masks. */
function lossAndGrads(p: HeadParams, masks: number[][][], temperature: number, direction: KlDirection, detach: boolean): Grads {
  return tf.tidy(() => {
    const maskTensors = masks.map((m) => tf.tensor2d(m));
    const f = (features: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor) =>
      sdDropoutLossFromMasks(features as tf.Tensor2D, denseHead(weight as tf.Tensor2D, bias as tf.Tensor1D), maskTensors, { temperature, direction, detach });
    const { value, grads } = tf.valueAndGrads(f)([tf.tensor2d(p.features), tf.tensor2d(p.weight), tf.tensor1d(p.bias)]);
    return {
      loss: value.dataSync()[0]!,
      features: grads[0]!.dataSync() as Float32Array,
      weight: grads[1]!.dataSync() as Float32Array,
      bias: grads[2]!.dataSync() as Float32Array,
    };
  });
}

const shapes = [[B, C], [C, K], [1, K]] as const;
const toParams = (x: ArrayLike<number>): HeadParams => {
  const [features, weight, bias] = unflatten(x, shapes);
  return { features: features!, weight: weight!, bias: bias![0]! };
};
const flatParams = (p: HeadParams) => [...flat(p.features), ...flat(p.weight), ...p.bias];

describe('sdDropoutLossFromMasks: hand-computed cases', () => {
  // f = [ln3/2, ln3/2], W = I, b = 0; mask 1 keeps unit 0, mask 2 keeps unit 1 (scale 2):
  // z1 = [ln3, 0] → σ = [3/4, 1/4] and z2 = [0, ln3] → σ = [1/4, 3/4] at T = 1.
  // KL between these two is (3/4 − 1/4)·ln3 = ln3/2 either way round.
  const half = Math.log(3) / 2;
  const params: HeadParams = { features: [[half, half]], weight: [[1, 0], [0, 1]], bias: [0, 0] };
  const masks = [[[2, 0]], [[0, 2]]];
  const at = (temperature: number, direction: KlDirection) =>
    tf.tidy(() =>
      sdDropoutLossFromMasks(tf.tensor2d(params.features), denseHead(tf.tensor2d(params.weight), tf.tensor1d(params.bias)), masks.map((m) => tf.tensor2d(m)), {
        temperature,
        direction,
        detach: false,
      }).dataSync()[0]!,
    );

  it('is T²·(KL(z1‖z2) + KL(z2‖z1)) = ln 3 at T = 1, and ln3/2 for one direction', () => {
    expect(at(1, 'both')).toBeCloseTo(Math.log(3), 6);
    expect(at(1, 'forward')).toBeCloseTo(Math.log(3) / 2, 6);
    expect(at(1, 'reverse')).toBeCloseTo(Math.log(3) / 2, 6);
  });

  it('applies the temperature inside the softmax and T² outside: 4·ln3·(√3 − 1)/(√3 + 1) at T = 2', () => {
    // At T = 2, σ(z1/2) = [√3, 1]/(√3 + 1), and KL between the mirrored pair is (p − q)·ln(p/q) = (p − q)·ln3/2.
    const expected = 4 * Math.log(3) * ((Math.sqrt(3) - 1) / (Math.sqrt(3) + 1));
    expect(at(2, 'both')).toBeCloseTo(expected, 5);
  });

  it('is zero with zero gradient when both draws use the same mask', () => {
    const p = headParams(1);
    const same = fixedMasks(1, 0.5, 2);
    const g = lossAndGrads(p, [same[0]!, same[0]!], 3, 'both', false);
    expect(g.loss).toBeCloseTo(0, 7);
    expect(Math.max(...flat([...g.features, ...g.weight, ...g.bias]).map(Math.abs))).toBeLessThan(1e-6);
  });
});

describe('sdDropoutLossFromMasks: values and gradients against central finite differences of the float64 formula', () => {
  const p = headParams(7);
  const x0 = flatParams(p);
  for (const samples of [2, 3]) {
    const masks = fixedMasks(samples, 0.5, 11 + samples);
    for (const direction of ['both', 'forward', 'reverse'] as const) {
      for (const detach of [false, true]) {
        it(`samples ${samples}, direction ${direction}, detach ${detach}`, () => {
          const temperature = 3;
          const got = lossAndGrads(p, masks, temperature, direction, detach);
          expectAllClose([got.loss], [sdDropoutReference(p, p, masks, temperature, direction)], 'loss');
          // Without detach both sides move with the parameters; with detach only the student side does.
          const fd = centralDifferences(
            (x) => sdDropoutReference(toParams(x), detach ? p : toParams(x), masks, temperature, direction),
            x0,
          );
          // With detach and both directions the bias gradient is zero up to rounding: measure against the whole gradient.
          const scale = { scale: maxAbs(fd) };
          expectAllClose(got.features, fd.subarray(0, B * C), 'd/dfeatures', scale);
          expectAllClose(got.weight, fd.subarray(B * C, B * C + C * K), 'd/dweight', scale);
          expectAllClose(got.bias, fd.subarray(B * C + C * K), 'd/dbias', scale);
        });
      }
    }
  }
});

describe('sdDropoutLossFromMasks: behaviour', () => {
  it('detach stops the target-side gradient: units kept only by the target draw get none', () => {
    // Two disjoint masks: draw 1 keeps units 0–2, draw 2 keeps units 3–5. With direction forward,
    // draw 2 is only ever the target, so with detach its units' features must get zero gradient.
    const p = headParams(3);
    const keepFirst = Array.from({ length: B }, () => [2, 2, 2, 0, 0, 0]);
    const keepSecond = Array.from({ length: B }, () => [0, 0, 0, 2, 2, 2]);
    const detached = lossAndGrads(p, [keepFirst, keepSecond], 3, 'forward', true);
    const attached = lossAndGrads(p, [keepFirst, keepSecond], 3, 'forward', false);
    for (let b = 0; b < B; b++) {
      for (let c = 3; c < C; c++) {
        expect(detached.features[b * C + c]).toBe(0);
        expect(Math.abs(attached.features[b * C + c]!)).toBeGreaterThan(1e-4);
      }
    }
    expect(detached.loss).toBeCloseTo(attached.loss, 6);
  });

  it('with more than two samples averages the pairwise loss over all pairs', () => {
    const p = headParams(5);
    const masks = fixedMasks(3, 0.5, 9);
    const pair = (i: number, j: number) => lossAndGrads(p, [masks[i]!, masks[j]!], 3, 'both', false).loss;
    const three = lossAndGrads(p, masks, 3, 'both', false).loss;
    expect(three).toBeCloseTo((pair(0, 1) + pair(0, 2) + pair(1, 2)) / 3, 5);
  });

  it('rejects bad options and masks, naming the field and the value', () => {
    const f = tf.zeros([2, 3]) as tf.Tensor2D;
    const head = (x: tf.Tensor2D) => x;
    const mask = tf.ones([2, 3]) as tf.Tensor2D;
    const ok = { temperature: 3, direction: 'both' as const, detach: false };
    expect(() => sdDropoutLossFromMasks(f, head, [mask, mask], { ...ok, temperature: 0 })).toThrow(/temperature must be a positive number, got 0/);
    expect(() => sdDropoutLossFromMasks(f, head, [mask, mask], { ...ok, direction: 'sideways' as KlDirection })).toThrow(
      /direction must be one of both, forward, reverse, got "sideways"/,
    );
    expect(() => sdDropoutLossFromMasks(f, head, [mask], ok)).toThrow(/at least 2 dropout masks, got 1/);
    expect(() => sdDropoutLossFromMasks(f, head, [mask, tf.ones([2, 4]) as tf.Tensor2D], ok)).toThrow(/masks\[1\] has shape \[2,4\]/);
    expect(() => sdDropoutLoss(f, head, { ...ok, rate: 1.5, samples: 2 }, 0)).toThrow(/rate must be in \[0, 1\), got 1.5/);
    expect(() => sdDropoutLoss(f, head, { ...ok, rate: 0.5, samples: 1 }, 0)).toThrow(/samples must be an integer of at least 2.*got 1/);
    tf.dispose([f, mask]);
  });
});

describe('sdDropoutLoss (draws its own masks)', () => {
  const p = headParams(21);
  const run = (seed: number | Rng) =>
    tf.tidy(() =>
      sdDropoutLoss(tf.tensor2d(p.features), denseHead(tf.tensor2d(p.weight), tf.tensor1d(p.bias)), { rate: 0.5, temperature: 3, direction: 'both', detach: false, samples: 2 }, seed).dataSync()[0]!,
    );

  it('equals the loss on the masks dropoutMasks draws from the same seed', () => {
    const expected = tf.tidy(() => {
      const masks = dropoutMasks([B, C], 0.5, 2, 42).map((m) => m.arraySync());
      return sdDropoutReference(p, p, masks, 3, 'both');
    });
    expectAllClose([run(42)], [expected], 'loss');
    expect(run(42)).toBe(run(42));
    expect(run(43)).not.toBe(run(42));
  });

  it('leaks no tensor, in a plain call or under a gradient', () => {
    const features = tf.tensor2d(p.features);
    const weight = tf.variable(tf.tensor2d(p.weight));
    const bias = tf.variable(tf.tensor1d(p.bias));
    const before = tf.memory().numTensors;
    const options = { rate: 0.5, temperature: 3, direction: 'both' as const, detach: true, samples: 3 };
    sdDropoutLoss(features, denseHead(weight, bias), options, 1).dispose();
    const { value, grads } = tf.variableGrads(() => sdDropoutLoss(features, denseHead(weight, bias), options, 1), [weight, bias]);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([features, weight, bias]);
  });
});

describe('dropoutMasks', () => {
  it('holds only 0 and 1/(1 − p), keeps about 1 − p of the units, and repeats for a seed', () => {
    const [a, b] = dropoutMasks([200, 100], 0.3, 2, 5);
    const values = a!.dataSync();
    const kept = values.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.7)]));
    expect(kept.length / values.length).toBeGreaterThan(0.67);
    expect(kept.length / values.length).toBeLessThan(0.73);
    expect(Array.from(b!.dataSync())).not.toEqual(Array.from(values));
    const [again] = dropoutMasks([200, 100], 0.3, 1, 5);
    expect(Array.from(again!.dataSync())).toEqual(Array.from(values));
    tf.dispose([a!, b!, again!]);
  });

  it('keeps every unit at rate 0', () => {
    const [m] = dropoutMasks([3, 4], 0, 1, new Rng(1));
    expect(Array.from(m!.dataSync())).toEqual(Array(12).fill(1));
    m!.dispose();
  });
});
