import { type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * out[s, …] = Σ_{i : ids[i] = s} x[i, …], where `segmentIds` covers the leading axes of x. A
 * scatter-add has no wasm kernel to compose and a one-hot matmul would cost numSegments times
 * more, so this is one pass over x on the wasm heap. Ids outside [0, numSegments) are dropped,
 * as in TensorFlow.
 */
export const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as { numSegments: number };
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new Error(`UnsortedSegmentSum: numSegments must be a non-negative integer, got ${numSegments}`);
  }
  const idRank = segmentIds.shape.length;
  if (segmentIds.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}]`);
  }
  const wasm = backend as BackendWasm;
  const inner = x.shape.slice(idRank);
  const rowSize = inner.reduce((p, d) => p * d, 1);
  const out = wasm.makeOutput([numSegments, ...inner], x.dtype);
  const values = wasm.typedArrayFromHeap(x);
  const ids = wasm.typedArrayFromHeap(segmentIds);
  const sums = wasm.typedArrayFromHeap(out);
  sums.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const segment = ids[i]!;
    if (segment < 0 || segment >= numSegments) continue;
    const from = i * rowSize;
    const to = segment * rowSize;
    for (let j = 0; j < rowSize; j++) sums[to + j]! += values[from + j]!;
  }
  return out;
};
