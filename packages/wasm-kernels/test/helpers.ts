import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { expect } from 'vitest';
// Registers every tfjs gradient (tfjs-core's Node bundle registers none).
import '@selfkd/core';
import { registerWasmTrainingKernels } from '../src/index.js';

export type Backend = 'cpu' | 'wasm';

/** Initialises both backends and installs this package's kernels on wasm. */
export async function setUpBackends(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
}

/** A seeded standard-normal tensor, made on the cpu backend (tensors move between backends on demand). */
export function randomTensor(shape: number[], seed: number): tf.Tensor {
  tf.setBackend('cpu');
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

/** Runs one kernel on `backend` and returns its values as a fresh array (the output is disposed). */
export function runKernelOn(backend: Backend, kernelName: string, inputs: tf.NamedTensorMap, attrs: object): { values: Float32Array; shape: number[] } {
  tf.setBackend(backend);
  const out = tf.engine().runKernel(kernelName, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
  const result = { values: Float32Array.from(out.dataSync()), shape: out.shape };
  out.dispose();
  return result;
}

/** max |a − b| / max(|reference|, tiny): one number that must stay below a tolerance. */
export function relativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  expect(actual.length).toBe(reference.length);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - reference[i]!));
    scale = Math.max(scale, Math.abs(reference[i]!));
  }
  return worst / Math.max(scale, 1e-30);
}

/**
 * Runs `kernelName` on wasm (this package's kernel) and on cpu (the reference) and compares, also
 * checking that the kernel frees every intermediate it made on the wasm heap.
 */
export function expectKernelMatchesCpu(kernelName: string, inputs: tf.NamedTensorMap, attrs: object, tolerance: number): void {
  const reference = runKernelOn('cpu', kernelName, inputs, attrs);
  const actual = runKernelOn('wasm', kernelName, inputs, attrs);
  // The first run moved the inputs to the wasm heap; a second one must leave the count unchanged.
  const heapTensorsBefore = wasmDataCount();
  runKernelOn('wasm', kernelName, inputs, attrs);
  expect(wasmDataCount()).toBe(heapTensorsBefore);
  expect(actual.shape).toEqual(reference.shape);
  expect(relativeError(actual.values, reference.values)).toBeLessThanOrEqual(tolerance);
}

/** Number of tensors alive on the wasm heap, intermediates made inside kernels included. */
export function wasmDataCount(): number {
  return tf.engine().findBackend('wasm')!.numDataIds();
}

