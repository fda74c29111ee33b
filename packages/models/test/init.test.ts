import { beforeAll, describe, expect, it } from 'vitest';
import { createModel, type ModelSpec } from '../src/index.js';
import { layerWeights, useCpuBackend } from './helpers.js';

beforeAll(useCpuBackend);

const configs = [
  { name: 'mlp', hidden: [16, 16, 16] },
  { name: 'cnn', channels: [4, 8], dense: 16, batchNorm: true },
  { name: 'resnet18', width: 0.125 },
];
const spec = (seed: number): ModelSpec => ({ inputShape: [8, 8, 3], numClasses: 4, seed });

function allWeights(config: (typeof configs)[number], seed: number): Float32Array[] {
  const model = createModel(config, spec(seed));
  const values = model.layersModel.getWeights().map((w) => Float32Array.from(w.dataSync()));
  model.dispose();
  return values;
}

describe('seeded initialisation', () => {
  it.each(configs)('$name: same seed → identical weights, different seed → different kernels', (config) => {
    const a = allWeights(config, 11);
    expect(allWeights(config, 11)).toEqual(a);
    const b = allWeights(config, 12);
    expect(b).toHaveLength(a.length);
    // Every kernel and random bias changes; BatchNorm's constant γ=1, β=0, mean 0, var 1 cannot.
    const changed = a.filter((w, i) => w.some((v, j) => v !== b[i]![j])).length;
    const constant = a.filter((w) => w.every((v) => v === w[0])).length;
    expect(changed + constant).toBe(a.length);
    expect(changed).toBeGreaterThan(0);
  });

  it('gives each layer, and kernel and bias, their own stream', () => {
    const model = createModel(configs[0]!, spec(3));
    const hidden2 = layerWeights(model.layersModel.getLayer('hidden2'));
    const features = layerWeights(model.layersModel.getLayer('features'));
    expect(hidden2.kernel!.length).toBe(features.kernel!.length);
    expect(hidden2.kernel).not.toEqual(features.kernel);
    expect(hidden2.kernel!.slice(0, 16)).not.toEqual(hidden2.bias);
    model.dispose();
  });

  it("draws kernels and biases from PyTorch's default U(−1/√fanIn, 1/√fanIn)", () => {
    const model = createModel({ name: 'cnn', channels: [64], dense: 8 }, { inputShape: [4, 4, 16], numClasses: 4, seed: 5 });
    const conv = layerWeights(model.layersModel.getLayer('conv1'));
    const bound = 1 / Math.sqrt(3 * 3 * 16);
    const kernel = conv.kernel!;
    const mean = kernel.reduce((s, v) => s + v, 0) / kernel.length;
    const variance = kernel.reduce((s, v) => s + (v - mean) ** 2, 0) / kernel.length;
    expect(Math.max(...kernel.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...kernel.map(Math.abs))).toBeGreaterThan(0.99 * bound);
    // 9216 draws: the mean is within ~4 standard errors of 0, the variance within 5 % of bound²/3.
    expect(Math.abs(mean)).toBeLessThan((4 * bound) / Math.sqrt(3 * kernel.length));
    expect(variance / (bound * bound / 3)).toBeCloseTo(1, 1);
    expect(Math.max(...conv.bias!.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(new Set(conv.bias).size).toBe(64);
    model.dispose();
  });
});
