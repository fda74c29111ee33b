import { type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { KernelScope, withScope } from '../kernel-scope.js';
import { stockKernel } from '../stock.js';

/**
 * The stock BatchMatMul and _FusedMatMul run on XNNPACK only for a single matrix pair without
 * transpose flags, and otherwise fall back to a scalar triple loop. Every gradient of a dense layer
 * sets a flag (dy·Wᵀ, xᵀ·dy), so here the operands are transposed with the wasm Transpose kernel
 * and the flag-free XNNPACK path does the product. Batched products keep the stock kernel.
 */
interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * XNNPACK packs its right operand into an operator cached per tensor (≈3 times the cost of a
 * transpose per element, measured), so for op(A)·op(B) = C with op(A) [m, k] and op(B) [k, n] it
 * can pay to compute Cᵀ = op(B)ᵀ·op(A)ᵀ instead, which packs k·m entries rather than k·n at the
 * price of transposing the result. A flag-free product whose right operand was seen before
 * (weights at inference, or in an evaluation pass) takes the direct form, so that the operator
 * XNNPACK caches for that tensor is reused instead of repacked.
 */
const PACK_COST_PER_TRANSPOSE = 3;
const seenRightOperands = new WeakSet<object>();

function costs(m: number, k: number, n: number, { transposeA, transposeB }: MatMulAttrs): { direct: number; transposedProduct: number } {
  const direct = (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + PACK_COST_PER_TRANSPOSE * k * n;
  const transposedProduct = (transposeA ? 0 : m * k) + (transposeB ? 0 : k * n) + m * n + PACK_COST_PER_TRANSPOSE * k * m;
  return { direct, transposedProduct };
}

export const batchMatMul: KernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const flags = attrs as unknown as MatMulAttrs;
  const wasm = backend as BackendWasm;
  if (batchSize(a) !== 1 || batchSize(b) !== 1) return stockKernel('BatchMatMul', wasm)(args);
  const [m, k] = matrixShape(a, flags.transposeA);
  const n = matrixShape(b, flags.transposeB)[1];
  const { direct, transposedProduct } = costs(m, k, n, flags);
  if (!flags.transposeA && !flags.transposeB) {
    const seen = seenRightOperands.has(b.dataId);
    seenRightOperands.add(b.dataId);
    if (seen || direct <= transposedProduct) return stockKernel('BatchMatMul', wasm)(args);
  }
  const outShape = [...(a.shape.length >= b.shape.length ? a : b).shape.slice(0, -2), m, n];
  return withScope(wasm, (scope) => {
    if (direct <= transposedProduct) {
      const product = scope.matMul(plainMatrix(scope, a, flags.transposeA), plainMatrix(scope, b, flags.transposeB));
      return scope.reshape(product, outShape);
    }
    // Cᵀ = op(B)ᵀ · op(A)ᵀ, where op(X)ᵀ is X itself when its flag is set.
    const productT = scope.matMul(plainMatrix(scope, b, !flags.transposeB), plainMatrix(scope, a, !flags.transposeA));
    return scope.reshape(scope.transpose(scope.reshape(productT, [n, m]), [1, 0]), outShape);
  });
};

/** _FusedMatMul's bias and activation apply to C, so only the direct form is used. */
export const fusedMatMul: KernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const flags = attrs as unknown as MatMulAttrs;
  const wasm = backend as BackendWasm;
  if ((!flags.transposeA && !flags.transposeB) || batchSize(a) !== 1 || batchSize(b) !== 1) return stockKernel('_FusedMatMul', wasm)(args);
  return withScope(wasm, (scope) => {
    const plain = { a: batchOfOne(scope, plainMatrix(scope, a, flags.transposeA)), b: batchOfOne(scope, plainMatrix(scope, b, flags.transposeB)) };
    const newAttrs: NamedAttrMap = { ...attrs, transposeA: false, transposeB: false };
    return scope.run('_FusedMatMul', { ...inputs, ...plain }, newAttrs);
  });
};

function batchSize(t: TensorInfo): number {
  return t.shape.slice(0, -2).reduce((p, d) => p * d, 1);
}

/** [rows, cols] of op(t) for a single matrix (any all-one batch axes dropped). */
function matrixShape(t: TensorInfo, transposed: boolean): [number, number] {
  const [rows, cols] = t.shape.slice(-2) as [number, number];
  return transposed ? [cols, rows] : [rows, cols];
}

/** op(t) as a row-major [1, rows, cols] matrix, transposing when `transposed`. */
function plainMatrix(scope: KernelScope, t: TensorInfo, transposed: boolean): TensorInfo {
  const [rows, cols] = t.shape.slice(-2) as [number, number];
  if (!transposed) return scope.reshape(t, [1, rows, cols]);
  return scope.reshape(scope.transpose(scope.reshape(t, [rows, cols]), [1, 0]), [1, cols, rows]);
}

function batchOfOne(scope: KernelScope, t: TensorInfo): TensorInfo {
  return t.shape.length === 3 ? t : scope.reshape(t, [1, ...t.shape]);
}
