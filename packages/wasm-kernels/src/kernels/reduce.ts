import { backend_util, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { withScope } from '../kernel-scope.js';
import { stockKernel } from '../stock.js';

/**
 * Sum and Mean over a run of adjacent axes that are not the innermost (a bias gradient sums
 * [B, H, W, C] over B, H, W; BatchNorm's moments and global pooling likewise): x viewed as
 * [outer, reduced, 1, inner] goes through XNNPACK's average pooling with a [reduced, 1] window,
 * which streams x once with SIMD. The stock kernels first transpose the reduced axes innermost
 * and then add serially. Other reductions, and non-float32 ones, stay with the stock kernels.
 */
function poolingReduction(kernelName: 'Sum' | 'Mean'): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as { x: TensorInfo };
    const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const wasm = backend as BackendWasm;
    const axes = [...new Set(util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
    const first = axes[0];
    const last = axes[axes.length - 1];
    const adjacent = axes.every((a, i) => a === first! + i);
    if (x.dtype !== 'float32' || first === undefined || last === undefined || !adjacent || last === x.shape.length - 1) {
      return stockKernel(kernelName, wasm)(args);
    }
    const size = (dims: number[]) => dims.reduce((p, d) => p * d, 1);
    const outer = size(x.shape.slice(0, first));
    const reduced = size(x.shape.slice(first, last + 1));
    const inner = size(x.shape.slice(last + 1));
    if (reduced < 2 || inner === 0 || outer === 0) return stockKernel(kernelName, wasm)(args);
    const [kept] = backend_util.computeOutAndReduceShapes(x.shape, axes);
    const outShape = keepDims ? backend_util.expandShapeToKeepDim(kept, axes) : kept;
    return withScope(wasm, (scope) => {
      const pooled = scope.run('AvgPool', { x: scope.reshape(x, [outer, reduced, 1, inner]) }, { filterSize: [reduced, 1], strides: [1, 1], pad: 'valid' });
      if (kernelName === 'Sum') {
        const values = scope.view(pooled);
        for (let i = 0; i < values.length; i++) values[i]! *= reduced;
      }
      return scope.reshape(pooled, outShape);
    });
  };
}

export const sum = poolingReduction('Sum');
export const mean = poolingReduction('Mean');
