import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { PadAttr, RoundingAttr } from '../conv-geometry.js';

/**
 * Routes each dy entry to the first maximum of its window in row-major order (strictly greater
 * wins, so ties go to the earliest entry, as TensorFlow and the tfjs cpu backend do; padding never
 * wins). A single pass over x on the wasm heap; any window, stride and padding. Windows with no finite maximum pass no gradient.
 */
export const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
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
  const x = wasm.typedArrayFromHeap(input) as Float32Array;
  const grad = wasm.typedArrayFromHeap(dy) as Float32Array;
  const out = wasm.typedArrayFromHeap(dx) as Float32Array;
  out.fill(0);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const rowStride = inWidth * channels;
  let dyAt = 0;
  for (let b = 0; b < batchSize; b++) {
    const image = b * inHeight * rowStride;
    for (let oh = 0; oh < outHeight; oh++) {
      const top = oh * info.strideHeight - info.padInfo.top;
      const rowBegin = Math.max(0, top);
      const rowEnd = Math.min(inHeight, top + info.filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const left = ow * info.strideWidth - info.padInfo.left;
        const colBegin = Math.max(0, left);
        const colEnd = Math.min(inWidth, left + info.filterWidth);
        const corner = image + rowBegin * rowStride + colBegin * channels;
        for (let ch = 0; ch < channels; ch++, dyAt++) {
          let best = -Infinity;
          let bestAt = -1;
          for (let r = rowBegin, rowAt = corner + ch; r < rowEnd; r++, rowAt += rowStride) {
            for (let c = colBegin, at = rowAt; c < colEnd; c++, at += channels) {
              const v = x[at]!;
              if (v > best) {
                best = v;
                bestAt = at;
              }
            }
          }
          if (bestAt >= 0) out[bestAt]! += grad[dyAt]!;
        }
      }
    }
  }
  return dx;
};
