import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { kernelNames, registerWasmTrainingKernels, unregisterWasmTrainingKernels } from '../src/index.js';

const missing = ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'UnsortedSegmentSum'];
const fused = ['SelfkdTrainingBatchNorm', 'SelfkdTrainingBatchNormGrad', 'SelfkdReluGrad', 'SelfkdAdamUpdate'];
const stockKernels = new Map(kernelNames.map((name) => [name, tf.getKernel(name, 'wasm')]));

describe('registerWasmTrainingKernels', () => {
  it('lists every kernel it can register', () => {
    expect([...kernelNames].sort()).toEqual(
      [...missing, 'Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'MaxPoolGrad', 'BatchMatMul', '_FusedMatMul', 'Tile', 'Sum', 'Mean', 'Identity', 'Cast', 'Multiply', 'Add', 'Sub', 'RealDiv', 'SquaredDifference', 'FusedBatchNorm', 'Slice', ...fused].sort(),
    );
    // The four missing kernels really are missing from the shipped wasm backend.
    for (const name of missing) expect(stockKernels.get(name), name).toBeUndefined();
  });

  it('adds the missing kernels and replaces the slow ones, idempotently', () => {
    const first = registerWasmTrainingKernels();
    expect([...first.added].sort()).toEqual([...missing].sort());
    expect([...first.replaced].sort()).toEqual(kernelNames.filter((n) => !missing.includes(n) && !fused.includes(n)).sort());
    expect(first.fused).toEqual(fused);
    const registered = kernelNames.map((name) => tf.getKernel(name, 'wasm'));
    for (const [i, name] of kernelNames.entries()) {
      expect(registered[i], name).toBeDefined();
      expect(registered[i], name).not.toBe(stockKernels.get(name));
    }
    expect(registerWasmTrainingKernels()).toEqual(first);
    expect(kernelNames.map((name) => tf.getKernel(name, 'wasm'))).toEqual(registered);
  });

  it('with replaceSlow: false only adds the missing kernels and keeps the stock ones', () => {
    registerWasmTrainingKernels();
    const result = registerWasmTrainingKernels({ replaceSlow: false });
    expect(result).toEqual({ added: missing, replaced: [], fused: [] });
    for (const name of kernelNames) {
      if (missing.includes(name)) expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
      else expect(tf.getKernel(name, 'wasm'), name).toBe(stockKernels.get(name));
    }
  });

  it('unregisterWasmTrainingKernels restores the registry as shipped', () => {
    registerWasmTrainingKernels();
    unregisterWasmTrainingKernels();
    for (const name of kernelNames) expect(tf.getKernel(name, 'wasm'), name).toBe(stockKernels.get(name));
    unregisterWasmTrainingKernels();
    for (const name of kernelNames) expect(tf.getKernel(name, 'wasm'), name).toBe(stockKernels.get(name));
  });

  it('works when registered before the wasm backend is initialised, and the stock kernels it calls still run', async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const product = tf.matMul(a, a, false, true);
    expect(Array.from(product.dataSync())).toEqual([14, 32, 32, 77]);
    tf.dispose([a, product]);
  });

  it('rejects a non-boolean replaceSlow, naming the option', () => {
    expect(() => registerWasmTrainingKernels({ replaceSlow: 'yes' as unknown as boolean })).toThrow(/options.replaceSlow must be a boolean, got "yes"/);
  });
});
