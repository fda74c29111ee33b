import { type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { withScope } from '../kernel-scope.js';
import { stockKernel } from '../stock.js';

/**
 * Shares the input's data instead of copying it, as the cpu backend's Identity does: tensor data
 * is immutable, and the backend's reference count frees it when the last holder goes. Under a
 * gradient tape the engine clones (Identity) every tensor it saves for the backward pass, and every
 * ReLU gradient casts float32 to float32, so on the stock wasm kernels these copies add up.
 */
function alias(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  (args.backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export const identity: KernelFunc = (args) => {
  const { x } = args.inputs as { x: TensorInfo };
  return x.dtype === 'string' ? stockKernel('Identity', args.backend as BackendWasm)(args) : alias(args);
};

/**
 * Cast to the dtype the tensor already has is an Identity. Cast to bool is `x ≠ 0`: the stock
 * kernel copies the numbers into bytes, so −2 became 254 instead of true. Other conversions stay
 * stock.
 */
export const cast: KernelFunc = (args) => {
  const { x } = args.inputs as { x: TensorInfo };
  const { dtype } = args.attrs as unknown as { dtype: string };
  const wasm = args.backend as BackendWasm;
  if (x.dtype === 'string') return stockKernel('Cast', wasm)(args);
  if (x.dtype === dtype) return alias(args);
  if (dtype === 'bool') {
    return withScope(wasm, (scope) => scope.run('NotEqual', { a: x, b: scope.zeros([], x.dtype) }));
  }
  return stockKernel('Cast', wasm)(args);
};
