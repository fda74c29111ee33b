import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@selfkd/core';
import { defocusBlur, gaussianBlur } from '../src/shift/blur.js';
import { CORRUPTION_NAMES, corrupt } from '../src/shift/corruptions.js';
import { pixelate, rotate, translate } from '../src/shift/geometric.js';
import { gaussianNoise, impulseNoise, shotNoise } from '../src/shift/noise.js';
import { brightness, contrast } from '../src/shift/photometric.js';
import { samplePoisson } from '../src/shift/poisson.js';

/** Smooth shapes on a gradient, so every corruption has structure to damage. */
function sceneBatch(batch: number, size: number, channels: number): tf.Tensor4D {
  const data = new Float32Array(batch * size * size * channels);
  for (let n = 0; n < batch; n++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inDisk = (x - size / 2 - n) ** 2 + (y - size / 2) ** 2 < (size / 4) ** 2;
        const inBar = Math.abs(x - y) < 2;
        for (let c = 0; c < channels; c++) {
          const base = 0.15 + (0.5 * x) / size + 0.1 * c;
          data[((n * size + y) * size + x) * channels + c] = inDisk ? 0.9 - 0.2 * c : inBar ? 0.05 : base;
        }
      }
    }
  }
  return tf.tensor4d(data, [batch, size, size, channels]);
}

function meanAbsDifference(a: tf.Tensor, b: tf.Tensor): number {
  const d = tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b))));
  const value = d.dataSync()[0]!;
  d.dispose();
  return value;
}

function stats(values: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length) };
}

const grey = () => sceneBatch(3, 28, 1);
const colour = () => sceneBatch(3, 32, 3);
let images: { name: string; pixels: tf.Tensor4D }[];

beforeAll(async () => {
  await tf.setBackend('cpu');
  images = [
    { name: 'grey 28×28', pixels: grey() },
    { name: 'colour 32×32', pixels: colour() },
  ];
});

afterAll(() => images.forEach((i) => i.pixels.dispose()));

describe('the corruption suite', () => {
  it.each(CORRUPTION_NAMES)('%s: same shape, values in [0, 1], deterministic per seed, damage grows with severity', async (name) => {
    for (const { pixels } of images) {
      const before = tf.memory().numTensors;
      let previous = 0;
      for (let severity = 1; severity <= 5; severity++) {
        const a = await corrupt(name, pixels, severity, Rng.derive(1, name, severity));
        const b = await corrupt(name, pixels, severity, Rng.derive(1, name, severity));
        expect(a.shape).toEqual(pixels.shape);
        const data = a.dataSync();
        expect(Math.min(...data)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...data)).toBeLessThanOrEqual(1);
        expect(meanAbsDifference(a, b)).toBe(0);
        const damage = meanAbsDifference(a, pixels);
        expect(damage).toBeGreaterThan(previous);
        previous = damage;
        tf.dispose([a, b]);
      }
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('random corruptions differ between seeds', async () => {
    const { pixels } = images[1]!;
    for (const name of ['gaussian_noise', 'shot_noise', 'impulse_noise', 'rotate', 'translate'] as const) {
      const a = await corrupt(name, pixels, 3, new Rng(1));
      const b = await corrupt(name, pixels, 3, new Rng(2));
      expect(meanAbsDifference(a, b), name).toBeGreaterThan(0);
      tf.dispose([a, b]);
    }
  });

  it('rejects unknown names and severities outside 1–5', async () => {
    const { pixels } = images[0]!;
    await expect(corrupt('fog' as never, pixels, 1, new Rng(0))).rejects.toThrow(/unknown corruption "fog"; known: gaussian_noise, shot_noise/);
    await expect(corrupt('contrast', pixels, 6, new Rng(0))).rejects.toThrow(/severity must be an integer from 1 to 5, got 6/);
  });
});

describe('noise', () => {
  const flat = () => tf.fill([4, 32, 32, 3], 0.5) as tf.Tensor4D;

  it('gaussian noise has the requested standard deviation', async () => {
    const x = flat();
    const noisy = await gaussianNoise(x, 0.08, new Rng('g'));
    const { mean, std } = stats(noisy.dataSync());
    expect(mean).toBeCloseTo(0.5, 2);
    expect(std).toBeCloseTo(0.08, 2);
    tf.dispose([x, noisy]);
  });

  it('shot noise has variance x/photons around x', async () => {
    const x = flat();
    const noisy = await shotNoise(x, 100, new Rng('s'));
    const { mean, std } = stats(noisy.dataSync());
    expect(mean).toBeCloseTo(0.5, 2);
    expect(std).toBeCloseTo(Math.sqrt(0.5 / 100), 2);
    tf.dispose([x, noisy]);
  });

  it('impulse noise replaces the requested fraction with 0 or 1, half each', async () => {
    const x = flat();
    const noisy = await impulseNoise(x, 0.05, new Rng('i'));
    const data = noisy.dataSync();
    const zeros = data.filter((v) => v === 0).length / data.length;
    const ones = data.filter((v) => v === 1).length / data.length;
    expect(zeros + ones).toBeCloseTo(0.05, 2);
    expect(zeros).toBeCloseTo(0.025, 2);
    expect(data.every((v) => v === 0 || v === 1 || v === 0.5)).toBe(true);
    tf.dispose([x, noisy]);
  });
});

describe('samplePoisson', () => {
  it.each([0.7, 4, 10, 37.5, 500])('has mean and variance λ = %s', (lambda) => {
    const rng = new Rng(`poisson-${lambda}`);
    const draws = Float64Array.from({ length: 40000 }, () => samplePoisson(lambda, rng));
    expect(draws.every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
    const { mean, std } = stats(draws);
    // 40 000 draws: the mean's standard error is sqrt(λ/40000) ≈ 0.5 % of sqrt(λ).
    expect(Math.abs(mean - lambda)).toBeLessThan(4 * Math.sqrt(lambda / 40000));
    expect(std * std).toBeCloseTo(lambda, lambda < 10 ? 1 : -1);
  });

  it('puts exp(−λ) of the mass on 0 for small λ', () => {
    const rng = new Rng('p0');
    const draws = Array.from({ length: 40000 }, () => samplePoisson(2, rng));
    expect(draws.filter((k) => k === 0).length / draws.length).toBeCloseTo(Math.exp(-2), 2);
  });
});

describe('blur', () => {
  it('keeps a constant image constant (mirrored borders) and spreads an impulse over the kernel', () => {
    const constant = tf.fill([1, 9, 9, 2], 0.3) as tf.Tensor4D;
    for (const blurred of [gaussianBlur(constant, 1), defocusBlur(constant, 2)]) {
      blurred.dataSync().forEach((v) => expect(v).toBeCloseTo(0.3, 6));
      blurred.dispose();
    }
    const impulse = tf.tensor4d(Float32Array.from({ length: 81 }, (_, i) => (i === 40 ? 1 : 0)), [1, 9, 9, 1]);
    // Disk of radius 2: offsets with dy² + dx² ≤ 4, which are 13.
    const disk = defocusBlur(impulse, 2).dataSync();
    for (let y = 0; y < 9; y++) {
      for (let x = 0; x < 9; x++) {
        const inside = (y - 4) ** 2 + (x - 4) ** 2 <= 4;
        expect(disk[y * 9 + x]).toBeCloseTo(inside ? 1 / 13 : 0, 6);
      }
    }
    // Gaussian σ = 1: weight at offset (dy, dx) ∝ exp(−(dy² + dx²)/2), truncated at 3σ.
    const gauss = gaussianBlur(impulse, 1).dataSync();
    const oneD = [-3, -2, -1, 0, 1, 2, 3].map((d) => Math.exp(-(d * d) / 2));
    const norm = oneD.reduce((a, b) => a + b, 0) ** 2;
    expect(gauss[40]).toBeCloseTo(1 / norm, 6);
    expect(gauss[4 * 9 + 6]).toBeCloseTo(Math.exp(-2) / norm, 6);
    tf.dispose([constant, impulse]);
  });
});

describe('photometric', () => {
  it('contrast pulls values towards the image mean by the factor', () => {
    const x = tf.tensor4d([0, 0.2, 0.4, 1], [1, 2, 2, 1]);
    expect(Array.from(contrast(x, 0.5).dataSync())).toEqual([0.2, 0.3, 0.4, 0.7].map((v) => expect.closeTo(v, 6)));
    x.dispose();
  });

  it('brightness adds to HSV value and keeps hue and saturation', () => {
    const x = tf.tensor4d([0.2, 0.4, 0.1, 0, 0, 0, 0.9, 0.45, 0.3], [1, 1, 3, 3]);
    const out = brightness(x, 0.2).dataSync();
    // V 0.4 → 0.6: scale 1.5. Black → grey 0.2. V 0.9 → 1 (capped): scale 1/0.9.
    const expected = [0.3, 0.6, 0.15, 0.2, 0.2, 0.2, 1, 0.5, 1 / 3];
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 6));
    x.dispose();
  });
});

describe('geometry', () => {
  it('rotating a square image by 90° permutes its pixels exactly', () => {
    const x = tf.tensor4d(Float32Array.from({ length: 16 }, (_, i) => i / 16), [1, 4, 4, 1]);
    const turned = rotate(x, 90, new Rng(0)).dataSync();
    const source = x.dataSync();
    // Either direction, depending on the drawn sign; compare with both exact quarter-turns.
    const clockwise = Array.from({ length: 16 }, (_, i) => source[(3 - (i % 4)) * 4 + Math.floor(i / 4)]);
    const anticlockwise = Array.from({ length: 16 }, (_, i) => source[(i % 4) * 4 + 3 - Math.floor(i / 4)]);
    expect([clockwise, anticlockwise]).toContainEqual(Array.from(turned));
    x.dispose();
  });

  it('translation shifts whole pixels and fills with black', () => {
    const x = tf.tensor4d(Float32Array.from({ length: 25 }, (_, i) => (i + 1) / 25), [1, 5, 5, 1]);
    const shifted = translate(x, 0.2, new Rng(3)).dataSync();
    const source = x.dataSync();
    // A shift (dy, dx) with |dy|, |dx| ≤ 1: find it from where the value of pixel (2, 2) went.
    const at = shifted.indexOf(source[12]!);
    const [dy, dx] = [Math.floor(at / 5) - 2, (at % 5) - 2];
    expect(Math.abs(dy) + Math.abs(dx)).toBeGreaterThan(0);
    for (let y = 0; y < 5; y++) {
      for (let xx = 0; xx < 5; xx++) {
        const [sy, sx] = [y - dy, xx - dx];
        const expected = sy >= 0 && sy < 5 && sx >= 0 && sx < 5 ? source[sy * 5 + sx] : 0;
        expect(shifted[y * 5 + xx]).toBe(expected);
      }
    }
    x.dispose();
  });

  it('pixelation averages blocks and repeats them', () => {
    const x = tf.tensor4d(Float32Array.from({ length: 16 }, (_, i) => i / 16), [1, 4, 4, 1]);
    const blocks = pixelate(x, 0.5).dataSync();
    // 2×2 blocks of the values i/16, i = 4y + x: means (0+1+4+5)/64 etc.
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / 64;
    const expected = [
      [mean([0, 1, 4, 5]), mean([2, 3, 6, 7])],
      [mean([8, 9, 12, 13]), mean([10, 11, 14, 15])],
    ];
    for (let i = 0; i < 16; i++) expect(blocks[i]).toBeCloseTo(expected[Math.floor(i / 8)]![Math.floor((i % 4) / 2)]!, 6);
    // A 3-pixel side at scale 2/3 becomes 2 coarse pixels covering 1.5 pixels each:
    // (0·1 + 0.6·0.5)/1.5 = 0.2 and (0.6·0.5 + 0.9·1)/1.5 = 0.8; pixel centres 0.5, 1.5, 2.5 map to blocks 0, 1, 1.
    const row = tf.tensor4d([0, 0.6, 0.9], [1, 1, 3, 1]);
    const coarse = pixelate(row, 2 / 3).dataSync();
    expect(Array.from(coarse)).toEqual([0.2, 0.8, 0.8].map((v) => expect.closeTo(v, 6)));
    tf.dispose([x, row]);
  });
});
