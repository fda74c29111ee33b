import { type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { withScope } from '../kernel-scope.js';
import { add, multiply, sub } from './channel-broadcast.js';

/**
 * (x − mean) · scale/√(variance + ε) + offset as three broadcast passes over x with wide rows
 * (see channel-broadcast.ts); the per-channel factor is computed on the small parameter tensors.
 * The stock kernel is a scalar loop about ten times slower. Missing scale/offset mean 1/0.
 */
export const fusedBatchNorm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, mean, variance, offset, scale } = inputs as Record<'x' | 'mean' | 'variance', TensorInfo> & Partial<Record<'offset' | 'scale', TensorInfo>>;
  const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
  return withScope(backend as BackendWasm, (scope) => {
    const epsilon = scope.zeros([], 'float32');
    scope.view(epsilon)[0] = varianceEpsilon;
    const inverseStd = scope.run('Rsqrt', { x: scope.call(add, { a: variance, b: epsilon }) });
    const factor = scale ? scope.call(multiply, { a: inverseStd, b: scale }) : inverseStd;
    const normalized = scope.call(multiply, { a: scope.call(sub, { a: x, b: mean }), b: factor });
    return offset ? scope.call(add, { a: normalized, b: offset }) : normalized;
  });
};
