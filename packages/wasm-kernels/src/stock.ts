import { getKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * The wasm backend's own kernels, captured before this package replaces any of them, so that a
 * replacement can still call the original (the fast non-transposed matmul behind BatchMatMul, say)
 * and unregistering can put the originals back.
 */
const stockConfigs = new Map<string, KernelConfig>();
/** Backends on which a stock kernel's setupFunc has run on our behalf. */
const setUpOn = new WeakMap<BackendWasm, Set<string>>();

/** Remembers the currently registered wasm kernel `name` as the stock one, unless it already is remembered. */
export function captureStock(name: string): KernelConfig | undefined {
  const known = stockConfigs.get(name);
  if (known) return known;
  const config = getKernel(name, 'wasm');
  if (config) stockConfigs.set(name, config);
  return config;
}

/**
 * The stock kernel function, its setup done for `backend`. The engine runs a kernel's setupFunc
 * only for kernels registered when the backend is initialised, so a stock kernel that we
 * unregistered before that would otherwise call an unbound wasm function.
 */
export function stockKernel(name: string, backend: BackendWasm): KernelFunc {
  const config = captureStock(name);
  if (!config) throw new Error(`the wasm backend has no kernel '${name}'; is @tensorflow/tfjs-backend-wasm 4.22 loaded?`);
  let done = setUpOn.get(backend);
  if (!done) setUpOn.set(backend, (done = new Set()));
  if (!done.has(name)) {
    config.setupFunc?.(backend);
    done.add(name);
  }
  return config.kernelFunc;
}
