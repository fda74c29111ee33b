import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { kernelNames, registerWasmTrainingKernels } from '@selfkd/wasm-kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADAM_UPDATE_KERNEL, createOptimizer } from '../src/optimizers.js';

/** Sizes with and without a tail beyond the SIMD pass's groups of four. Seeds start at 1: tfjs draws an unseeded stream for seed 0. */
const SHAPES = [[3, 3, 4, 8], [7], [1]];
const STEPS = 4;

/** Four Adam steps on `backend` from the same weights and gradients; the final weights and moments, and the kernels run. */
async function adamSteps(backend: 'cpu' | 'wasm', weightDecay: number): Promise<{ values: number[][]; kernels: Set<string>; tensorsPerStep: number[] }> {
  tf.setBackend(backend);
  const variables = SHAPES.map((shape, i) => tf.variable(tf.randomNormal(shape, 0, 1, 'float32', i + 1)));
  const optimizer = createOptimizer({ name: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay }, variables);
  const kernels = new Set<string>();
  const tensorsPerStep: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    const grads = SHAPES.map((shape, i) => tf.randomNormal(shape, 0, step + 1, 'float32', 100 * (step + 1) + i));
    const profile = await tf.profile(() => optimizer.apply(grads, 0.01 * (step + 1)));
    for (const name of profile.kernelNames) kernels.add(name);
    tf.dispose(grads);
    tensorsPerStep.push(tf.memory().numTensors);
  }
  const { slots } = await optimizer.state();
  const values = [...variables.map((v) => Array.from(v.dataSync())), ...slots.map((s) => Array.from(s.data))];
  optimizer.dispose();
  tf.dispose(variables);
  return { values, kernels, tensorsPerStep };
}

describe('Adam on wasm with @selfkd/wasm-kernels', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.setBackend('wasm');
    registerWasmTrainingKernels();
  });

  it('the kernel the optimizer asks for is one @selfkd/wasm-kernels registers', () => {
    expect(kernelNames).toContain(ADAM_UPDATE_KERNEL);
  });

  it.each([0, 5e-4])('takes one fused kernel per variable and equals the tensor formula on cpu to the bit, weight decay %s', async (weightDecay) => {
    const reference = await adamSteps('cpu', weightDecay);
    const fused = await adamSteps('wasm', weightDecay);
    expect(fused.kernels).toContain(ADAM_UPDATE_KERNEL);
    expect(reference.kernels).not.toContain(ADAM_UPDATE_KERNEL);
    expect(fused.values).toEqual(reference.values);
    expect(new Set(fused.tensorsPerStep).size).toBe(1);
  });
});
