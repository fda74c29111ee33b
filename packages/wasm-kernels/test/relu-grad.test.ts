import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, unregisterWasmTrainingKernels } from '../src/index.js';
import { randomTensor, setUpBackends, wasmDataCount } from './helpers.js';

/** The gradient of Σ w·relu(x) and the kernels that computed it, on one backend. */
async function reluGradient(backend: 'cpu' | 'wasm', x: tf.Tensor, w: tf.Tensor): Promise<{ dx: Float32Array; kernels: string[] }> {
  tf.setBackend(backend);
  let dx = new Float32Array();
  const { kernelNames } = await tf.profile(() => {
    const grad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.relu(input), w)))(x);
    dx = Float32Array.from(grad.dataSync());
    grad.dispose();
  });
  return { dx, kernels: kernelNames };
}

describe('Relu gradient on wasm', () => {
  beforeAll(setUpBackends);

  // Sizes with and without a tail beyond the last group of four; x has exact zeros (gradient 0).
  it.each([[[4, 6, 6, 8]], [[3, 5, 7]], [[2]]])('equals tfjs dy·step(x) on cpu exactly, in one SelfkdReluGrad kernel, x [%s]', async (shape) => {
    const x = tf.tidy(() => tf.mul(tf.round(tf.mul(randomTensor(shape, 3), 2)), 0.5));
    const w = randomTensor(shape, 4);
    const reference = await reluGradient('cpu', x, w);
    const actual = await reluGradient('wasm', x, w);
    // Exactly, except that dy·0 keeps dy's sign where the mask gives +0: adding 0 makes −0 +0.
    expect(Array.from(actual.dx, (v) => v + 0)).toEqual(Array.from(reference.dx, (v) => v + 0));
    expect(actual.kernels).toContain('SelfkdReluGrad');
    expect(actual.kernels).not.toContain('Step');
    const heapBefore = wasmDataCount();
    await reluGradient('wasm', x, w);
    expect(wasmDataCount()).toBe(heapBefore);
    tf.dispose([x, w]);
  });

  it('goes back to tfjs’s gradient when the kernels are unregistered, and to this one when registered again', async () => {
    const x = randomTensor([8], 5);
    const w = randomTensor([8], 6);
    unregisterWasmTrainingKernels();
    expect((await reluGradient('wasm', x, w)).kernels).toContain('Step');
    registerWasmTrainingKernels({ replaceSlow: false });
    expect((await reluGradient('wasm', x, w)).kernels).toContain('Step');
    registerWasmTrainingKernels();
    expect((await reluGradient('wasm', x, w)).kernels).toContain('SelfkdReluGrad');
    tf.dispose([x, w]);
  });
});
