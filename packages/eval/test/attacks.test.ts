import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@selfkd/core';
import { fgsm } from '../src/attacks/fgsm.js';
import { lossGradientSign } from '../src/attacks/loss-gradient-sign.js';
import { pgd } from '../src/attacks/pgd.js';
import { crossEntropyRows, predictedLabels, randomPixels, tinyModel, type TinyModel } from './tiny-model.js';

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

let model: TinyModel;
let pixels: tf.Tensor4D;
let labels: Int32Array;

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = tinyModel('attack-model', [6, 6, 1], 4);
  pixels = randomPixels('attack-pixels', [64, 6, 6, 1]);
  labels = predictedLabels(model.logitsOf, pixels);
});

afterAll(() => {
  model.dispose();
  pixels.dispose();
});

function lossesAt(x: tf.Tensor4D): number[] {
  const logits = model.logitsOf(x);
  const losses = crossEntropyRows(logits, labels);
  logits.dispose();
  return losses;
}

function linfDistance(a: tf.Tensor4D, b: tf.Tensor4D): number {
  const distance = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const value = distance.dataSync()[0]!;
  distance.dispose();
  return value;
}

function accuracyAt(x: tf.Tensor4D): number {
  const predicted = predictedLabels(model.logitsOf, x);
  return predicted.filter((p, i) => p === labels[i]).length / labels.length;
}

function range(x: tf.Tensor): [number, number] {
  const data = x.dataSync();
  return [Math.min(...data), Math.max(...data)];
}

describe('lossGradientSign', () => {
  it('matches the sign of the analytic input gradient of a linear classifier', () => {
    // logits = flatten(x)·W, so ∂CE/∂x = W·(softmax − onehot): computed here in float64 JS.
    const rng = new Rng('linear');
    const [d, k] = [8, 3];
    const w = Float32Array.from({ length: d * k }, () => rng.normal());
    const x = Float32Array.from({ length: 2 * d }, () => rng.next());
    const y = [2, 0];
    const weights = tf.tensor2d(w, [d, k]);
    const logitsOf = (p: tf.Tensor4D) => tf.matMul(tf.reshape(p, [p.shape[0], d]), weights) as tf.Tensor2D;
    const input = tf.tensor4d(x, [2, 2, 4, 1]);
    const sign = lossGradientSign(logitsOf, input, y);
    const got = sign.dataSync();
    for (let n = 0; n < 2; n++) {
      const z = Array.from({ length: k }, (_, c) => x.slice(n * d, (n + 1) * d).reduce((s, v, i) => s + v * w[i * k + c]!, 0));
      const e = z.map((v) => Math.exp(v - Math.max(...z)));
      const p = e.map((v) => v / e.reduce((a, b) => a + b, 0));
      for (let i = 0; i < d; i++) {
        const grad = p.reduce((s, pc, c) => s + w[i * k + c]! * (pc - (c === y[n] ? 1 : 0)), 0);
        if (Math.abs(grad) > 1e-5) expect(got[n * d + i]).toBe(Math.sign(grad));
      }
    }
    tf.dispose([weights, input, sign]);
  });
});

describe('fgsm', () => {
  it('raises every sample\'s loss and stays inside the ε-ball and [0, 1]', () => {
    const clean = lossesAt(pixels);
    for (const eps of [0.01, 0.05, 0.2]) {
      const adversarial = fgsm(model.logitsOf, pixels, labels, eps);
      const attacked = lossesAt(adversarial);
      attacked.forEach((loss, i) => expect(loss).toBeGreaterThan(clean[i]!));
      expect(linfDistance(adversarial, pixels)).toBeLessThanOrEqual(eps + 1e-6);
      const [lo, hi] = range(adversarial);
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThanOrEqual(1);
      adversarial.dispose();
    }
  });

  it('moves every unclipped pixel by exactly ε', () => {
    const eps = 0.05;
    const adversarial = fgsm(model.logitsOf, pixels, labels, eps);
    const before = pixels.dataSync();
    const after = adversarial.dataSync();
    let unclipped = 0;
    for (let i = 0; i < before.length; i++) {
      if (after[i]! > 0 && after[i]! < 1) {
        expect(Math.abs(after[i]! - before[i]!)).toBeCloseTo(eps, 6);
        unclipped++;
      }
    }
    expect(unclipped).toBeGreaterThan(before.length / 2);
    adversarial.dispose();
  });

  it('leaves images unchanged at ε = 0, rejects ε < 0 and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const same = fgsm(model.logitsOf, pixels, labels, 0);
    expect(linfDistance(same, pixels)).toBe(0);
    same.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => fgsm(model.logitsOf, pixels, labels, -0.1)).toThrow(/eps must be a finite number ≥ 0 .* got -0.1/);
    expect(() => fgsm(model.logitsOf, pixels, labels.slice(1), 0.1)).toThrow(/labels has 63 entries but the batch has 64 images/);
  });
});

describe('pgd', () => {
  const eps = 0.08;

  it('is at least as strong as FGSM and stays inside the ε-ball and [0, 1]', () => {
    const single = fgsm(model.logitsOf, pixels, labels, eps);
    const iterated = pgd(model.logitsOf, pixels, labels, { eps, steps: 10, stepSize: eps / 4, randomStart: true, rng: new Rng(1) });
    expect(mean(lossesAt(iterated))).toBeGreaterThan(mean(lossesAt(single)));
    expect(accuracyAt(iterated)).toBeLessThanOrEqual(accuracyAt(single));
    expect(accuracyAt(single)).toBeLessThan(1);
    expect(linfDistance(iterated, pixels)).toBeLessThanOrEqual(eps + 1e-6);
    const [lo, hi] = range(iterated);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    tf.dispose([single, iterated]);
  });

  it('one step of size ε from the clean image is FGSM', () => {
    const single = fgsm(model.logitsOf, pixels, labels, eps);
    const oneStep = pgd(model.logitsOf, pixels, labels, { eps, steps: 1, stepSize: eps, randomStart: false });
    expect(linfDistance(single, oneStep)).toBe(0);
    tf.dispose([single, oneStep]);
  });

  it('draws its random start from the rng: same seed, same images; leaks nothing', () => {
    const before = tf.memory().numTensors;
    const options = { eps, steps: 2, stepSize: eps / 2, randomStart: true };
    const a = pgd(model.logitsOf, pixels, labels, { ...options, rng: new Rng(5) });
    const b = pgd(model.logitsOf, pixels, labels, { ...options, rng: new Rng(5) });
    const c = pgd(model.logitsOf, pixels, labels, { ...options, rng: new Rng(6) });
    expect(linfDistance(a, b)).toBe(0);
    expect(linfDistance(a, c)).toBeGreaterThan(0);
    tf.dispose([a, b, c]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad options with the field and value', () => {
    const base = { eps, steps: 3, stepSize: 0.01, randomStart: false };
    expect(() => pgd(model.logitsOf, pixels, labels, { ...base, eps: -1 })).toThrow(/eps must be .* got -1/);
    expect(() => pgd(model.logitsOf, pixels, labels, { ...base, steps: 0 })).toThrow(/pgd steps must be an integer ≥ 1, got 0/);
    expect(() => pgd(model.logitsOf, pixels, labels, { ...base, stepSize: 0 })).toThrow(/pgd stepSize must be a finite number > 0, got 0/);
    expect(() => pgd(model.logitsOf, pixels, labels, { ...base, randomStart: true })).toThrow(/randomStart needs an rng/);
  });
});
