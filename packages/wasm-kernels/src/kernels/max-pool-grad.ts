import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { PadAttr, RoundingAttr } from '../conv-geometry.js';
import { routeRow2x2 } from '../simd/max-pool-grad-2x2.js';

type PoolInfo = backend_util.Conv2DInfo;

interface Buffers {
  x: Float32Array;
  /** The forward output: each window's maximum. */
  y: Float32Array;
  dy: Float32Array;
  dx: Float32Array;
}

/**
 * Routes each dy entry to the first maximum of its window in row-major order, so that ties go to
 * the earliest entry, as TensorFlow and the tfjs cpu backend do (padding never wins). One pass
 * over the wasm heap, any window, stride and padding. When windows do not overlap (stride ≥
 * window), each input entry gets at most one gradient, so the pass finds the first entry equal to
 * the window's forward maximum without branches on the data (random comparisons mispredict): with
 * SIMD for whole 2×2 windows (the usual pooling), in JavaScript otherwise. Overlapping windows
 * accumulate from a recomputed first maximum.
 */
export const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input, output } = inputs as { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
    filterSize: number | [number, number];
    strides: number | [number, number];
    pad: PadAttr;
    dimRoundingMode?: RoundingAttr;
  };
  const wasm = backend as BackendWasm;
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const dx = wasm.makeOutput(input.shape, 'float32');
  // Views are taken after the allocation: growing the heap detaches earlier ones.
  const buffers: Buffers = {
    x: wasm.typedArrayFromHeap(input) as Float32Array,
    y: wasm.typedArrayFromHeap(output) as Float32Array,
    dy: wasm.typedArrayFromHeap(dy) as Float32Array,
    dx: wasm.typedArrayFromHeap(dx) as Float32Array,
  };
  const routeRow = isWholeWindows2x2(info) ? routeRow2x2(wasm) : undefined;
  if (routeRow) {
    routeWholeWindows2x2(info, buffers, routeRow);
    return dx;
  }
  buffers.dx.fill(0);
  if (info.strideHeight >= info.filterHeight && info.strideWidth >= info.filterWidth) routeDisjointWindows(info, buffers);
  else routeOverlappingWindows(info, buffers);
  return dx;
};

/** 2×2 windows at stride 2 that all lie inside the input, with channels in groups of four. */
function isWholeWindows2x2(info: PoolInfo): boolean {
  return (
    info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2 &&
    info.padInfo.top === 0 && info.padInfo.left === 0 &&
    2 * info.outHeight <= info.inHeight && 2 * info.outWidth <= info.inWidth && info.inChannels % 4 === 0
  );
}

/** The SIMD routing, one call per row of windows (see simd/max-pool-grad-2x2.ts). */
function routeWholeWindows2x2(info: PoolInfo, { x, y, dy, dx }: Buffers, routeRow: NonNullable<ReturnType<typeof routeRow2x2>>): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  // An odd last row or column belongs to no window.
  if (2 * outHeight < inHeight || 2 * outWidth < inWidth) dx.fill(0);
  const bytes = Float32Array.BYTES_PER_ELEMENT;
  const rowBytes = inWidth * channels * bytes;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const inRow = ((b * inHeight + 2 * oh) * inWidth * channels) * bytes;
      const outRow = ((b * outHeight + oh) * outWidth * channels) * bytes;
      routeRow(x.byteOffset + inRow, y.byteOffset + outRow, dy.byteOffset + outRow, dx.byteOffset + inRow, outWidth, channels * bytes, rowBytes);
    }
  }
}

/** Calls `visit` for every output position with its window clipped to the input. */
function forEachWindow(info: PoolInfo, visit: (dyAt: number, corner: number, rows: number, cols: number) => void): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const rowStride = inWidth * channels;
  let dyAt = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const top = oh * info.strideHeight - info.padInfo.top;
      const rowBegin = Math.max(0, top);
      const rows = Math.min(inHeight, top + info.filterHeight) - rowBegin;
      for (let ow = 0; ow < outWidth; ow++) {
        const left = ow * info.strideWidth - info.padInfo.left;
        const colBegin = Math.max(0, left);
        const cols = Math.min(inWidth, left + info.filterWidth) - colBegin;
        visit(dyAt, (b * inHeight + rowBegin) * rowStride + colBegin * channels, rows, cols);
        dyAt += channels;
      }
    }
  }
}

function routeDisjointWindows(info: PoolInfo, { x, y, dy, dx }: Buffers): void {
  const channels = info.inChannels;
  const rowStride = info.inWidth * channels;
  forEachWindow(info, (dyAt, corner, rows, cols) => {
    if (rows === 2 && cols === 2) {
      for (let ch = 0; ch < channels; ch++) {
        const i0 = corner + ch;
        const i1 = i0 + channels;
        const i2 = i0 + rowStride;
        const i3 = i2 + channels;
        const max = y[dyAt + ch]!;
        const g = dy[dyAt + ch]!;
        // 0/1 flags; exactly one of h0…h3 is 1 when the window holds its maximum.
        const h0 = +(x[i0] === max);
        const h1 = +(x[i1] === max) & (1 - h0);
        const h2 = +(x[i2] === max) & (1 - h0 - h1);
        const h3 = +(x[i3] === max) & (1 - h0 - h1 - h2);
        dx[i0] = g * h0;
        dx[i1] = g * h1;
        dx[i2] = g * h2;
        dx[i3] = g * h3;
      }
      return;
    }
    for (let ch = 0; ch < channels; ch++) {
      const max = y[dyAt + ch]!;
      const g = dy[dyAt + ch]!;
      let found = 0;
      for (let r = 0, rowAt = corner + ch; r < rows; r++, rowAt += rowStride) {
        for (let c = 0, at = rowAt; c < cols; c++, at += channels) {
          const hit = +(x[at] === max) & (1 - found);
          dx[at] = g * hit;
          found |= hit;
        }
      }
    }
  });
}

function routeOverlappingWindows(info: PoolInfo, { x, dy, dx }: Buffers): void {
  const channels = info.inChannels;
  const rowStride = info.inWidth * channels;
  forEachWindow(info, (dyAt, corner, rows, cols) => {
    for (let ch = 0; ch < channels; ch++) {
      let best = -Infinity;
      let bestAt = -1;
      for (let r = 0, rowAt = corner + ch; r < rows; r++, rowAt += rowStride) {
        for (let c = 0, at = rowAt; c < cols; c++, at += channels) {
          const v = x[at]!;
          if (v > best) {
            best = v;
            bestAt = at;
          }
        }
      }
      if (bestAt >= 0) dx[bestAt]! += dy[dyAt + ch]!;
    }
  });
}
