import { backend_util, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { withScope } from '../kernel-scope.js';
import { stockKernel } from '../stock.js';
import { tile } from './tile.js';

/**
 * XNNPACK's binary ops broadcast a short operand row by row, one microkernel call per row, so
 * `[B, H, W, C] · [C]` with C = 16 (BatchNorm and its gradient, per-channel biases) makes B·H·W
 * calls of 16 elements each. Repeating the short operand k times and viewing the long one as
 * [B·H·W / k, k·C] gives rows of ROW_TARGET-ish length instead. Other shapes and dtypes, and
 * operands that are already long rows, go to the stock kernel unchanged.
 */
const ROW_TARGET = 4096;

export function withWideRows(kernelName: string): KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const wasm = backend as BackendWasm;
    const plan = a.dtype === 'float32' && b.dtype === 'float32' ? planRows(a.shape, b.shape) : undefined;
    if (!plan) return stockKernel(kernelName, wasm)(args);
    return withScope(wasm, (scope) => {
      const shortOne = plan.longIsA ? b : a;
      const longOne = plan.longIsA ? a : b;
      const repeated = scope.call(tile, { x: scope.reshape(shortOne, [1, plan.row]) }, { reps: [plan.repeats, 1] });
      const wideShort = scope.reshape(repeated, [plan.repeats * plan.row]);
      const wideLong = scope.reshape(longOne, [plan.rows, plan.repeats * plan.row]);
      const out = scope.run(kernelName, plan.longIsA ? { a: wideLong, b: wideShort } : { a: wideShort, b: wideLong });
      return scope.reshape(out, plan.outShape);
    });
  };
}

interface RowPlan {
  longIsA: boolean;
  /** Length of the short operand, which repeats along the long one. */
  row: number;
  repeats: number;
  /** Rows of the long operand after widening. */
  rows: number;
  outShape: number[];
}

/** A plan when one operand is a trailing block of the other's shape (with leading 1s) and short. */
export function planRows(aShape: number[], bShape: number[]): RowPlan | undefined {
  const outShape = backend_util.assertAndGetBroadcastShape(aShape, bShape);
  const size = util.sizeFromShape(outShape);
  const longIsA = util.sizeFromShape(aShape) === size;
  const longShape = longIsA ? aShape : bShape;
  const shortShape = longIsA ? bShape : aShape;
  if (util.sizeFromShape(longShape) !== size || !util.arraysEqual(longShape, outShape)) return undefined;
  const row = util.sizeFromShape(shortShape);
  if (row < 2 || row >= ROW_TARGET || row === size) return undefined;
  // The short operand must be the trailing axes of the long one, up to leading 1s.
  const trailing = shortShape.slice(shortShape.findIndex((d) => d !== 1));
  if (!util.arraysEqual(trailing, longShape.slice(longShape.length - trailing.length))) return undefined;
  const outer = size / row;
  let repeats = Math.min(outer, Math.floor(ROW_TARGET / row));
  while (outer % repeats !== 0) repeats--;
  if (repeats < 2) return undefined;
  return { longIsA, row, repeats, rows: outer / repeats, outShape };
}

export const multiply = withWideRows('Multiply');
export const add = withWideRows('Add');
export const sub = withWideRows('Sub');
export const realDiv = withWideRows('RealDiv');
export const squaredDifference = withWideRows('SquaredDifference');
