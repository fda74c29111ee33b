import { slice_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { stockKernel } from '../stock.js';

/**
 * The stock Slice copies one innermost row per call of `TypedArray.set`, so cropping the padding
 * off a [B, H, W, C] gradient (ZeroPadding2D's backward pass) makes B·H·W calls of C entries.
 * Here trailing axes taken whole are merged with the last partial one into a single run, and runs
 * shorter than SHORT_RUN are copied by a plain loop instead.
 */
const SHORT_RUN = 64;

export const slice: KernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const { x } = inputs as { x: TensorInfo };
  const wasm = backend as BackendWasm;
  if (x.dtype === 'string') return stockKernel('Slice', wasm)(args);
  const { begin, size } = attrs as unknown as { begin: number | number[]; size: number | number[] };
  const [start, extent] = slice_util.parseSliceParams(x, begin, size);
  const out = wasm.makeOutput(extent, x.dtype);
  const src = wasm.typedArrayFromHeap(x);
  const dst = wasm.typedArrayFromHeap(out);
  if (dst.length === 0) return out;

  // Axes from `inner` on form one contiguous run in x.
  const shape = x.shape;
  let inner = shape.length - 1;
  while (inner > 0 && extent[inner] === shape[inner]) inner--;
  const run = extent.slice(inner).reduce((p, d) => p * d, 1);
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((p, n) => p * n, 1));
  const index = new Array<number>(inner).fill(0);
  const firstOffset = start.reduce((offset, s, d) => offset + s * strides[d]!, 0);
  for (let to = 0; to < dst.length; to += run) {
    const from = firstOffset + index.reduce((offset, i, d) => offset + i * strides[d]!, 0);
    if (run >= SHORT_RUN) dst.set(src.subarray(from, from + run), to);
    else for (let i = 0; i < run; i++) dst[to + i] = src[from + i]!;
    // Next outer index (odometer over the axes before `inner`).
    for (let d = inner - 1; d >= 0 && ++index[d]! === extent[d]; d--) index[d] = 0;
  }
  return out;
};
