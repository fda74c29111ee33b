import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createModel, TRAINING_BATCH_NORM_KERNEL } from '../src/index.js';
import { layerWeights, maxAbsDiff, randomImages, take, useCpuBackend } from './helpers.js';

beforeAll(useCpuBackend);

/**
 * A stand-in for a backend's fused kernel on cpu, in float64 JavaScript: the layer's side (which
 * calls it, and updates the running statistics from its outputs) is what is tested here; the real
 * kernel is tested in @selfkd/wasm-kernels.
 */
let calls = 0;
function registerStandIn(): void {
  tf.registerKernel({
    kernelName: TRAINING_BATCH_NORM_KERNEL,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      calls++;
      const cpu = backend as unknown as { readSync(id: object): Float32Array; makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo };
      const { x, scale, offset } = inputs as Record<string, tf.TensorInfo>;
      const [xs, gamma, beta] = [x!, scale!, offset!].map((t) => cpu.readSync(t.dataId));
      const channels = gamma!.length;
      const rows = xs!.length / channels;
      const mean = new Float32Array(channels);
      const variance = new Float32Array(channels);
      const y = new Float32Array(xs!.length);
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let r = 0; r < rows; r++) sum += xs![r * channels + c]!;
        mean[c] = sum / rows;
        let squares = 0;
        for (let r = 0; r < rows; r++) squares += (xs![r * channels + c]! - mean[c]!) ** 2;
        variance[c] = squares / rows;
        const factor = gamma![c]! / Math.sqrt(variance[c]! + (attrs as { varianceEpsilon: number }).varianceEpsilon);
        for (let r = 0; r < rows; r++) y[r * channels + c] = (xs![r * channels + c]! - mean[c]!) * factor + beta![c]!;
      }
      return [cpu.makeTensorInfo(x!.shape, 'float32', y), cpu.makeTensorInfo([channels], 'float32', mean), cpu.makeTensorInfo([channels], 'float32', variance)];
    },
  });
}

afterEach(() => {
  if (tf.getKernel(TRAINING_BATCH_NORM_KERNEL, 'cpu')) tf.unregisterKernel(TRAINING_BATCH_NORM_KERNEL, 'cpu');
  calls = 0;
});

/** Two training-mode calls and one evaluation call of a fresh model's BatchNorm layer. */
function threeCalls() {
  const model = createModel({ name: 'cnn', channels: [4], dense: 4, batchNorm: true }, { inputShape: [5, 5, 2], numClasses: 3, seed: 2 });
  const bn = model.layersModel.getLayer('conv1_bn');
  const x = tf.tidy(() => tf.add(tf.mul(randomImages(6, [5, 5, 4], 3), 2), 1));
  const outputs = [true, true, false].map((training) => take(bn.apply(x, { training }) as tf.Tensor));
  const weights = layerWeights(bn);
  x.dispose();
  model.dispose();
  return { outputs, weights };
}

describe('BatchNorm layers with a backend that registers TRAINING_BATCH_NORM_KERNEL', () => {
  it('run it in training mode only, with the output and running statistics of tfjs-layers’ own path', () => {
    const reference = threeCalls();
    expect(calls).toBe(0);
    registerStandIn();
    const fused = threeCalls();
    expect(calls).toBe(2);
    reference.outputs.forEach((out, i) => expect(maxAbsDiff(fused.outputs[i]!, out), `call ${i}`).toBeLessThan(1e-5));
    for (const name of ['moving_mean', 'moving_variance']) expect(maxAbsDiff(fused.weights[name]!, reference.weights[name]!), name).toBeLessThan(1e-6);
    // Two updates moved the statistics away from their initial 0 and 1.
    expect(Array.from(fused.weights.moving_mean!).every((m) => m !== 0)).toBe(true);
  });

  it('create no tensors beyond the layer’s output per call', () => {
    registerStandIn();
    const model = createModel({ name: 'cnn', channels: [4], dense: 4, batchNorm: true }, { inputShape: [5, 5, 2], numClasses: 3, seed: 2 });
    const bn = model.layersModel.getLayer('conv1_bn');
    const x = randomImages(2, [5, 5, 4], 4);
    take(bn.apply(x, { training: true }) as tf.Tensor);
    const before = tf.memory().numTensors;
    take(bn.apply(x, { training: true }) as tf.Tensor);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });
});
