import { type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { stockKernel } from '../stock.js';

/**
 * Tile by block copies: x is laid down once, then each axis from the innermost outwards repeats
 * its (already tiled) blocks with `copyWithin`, doubling the copied run each time, so the cost is
 * a few memmoves of the output. The stock kernel computes an index per element, and BatchNorm's
 * gradient tiles a [1, 1, 1, C] tensor to the full activation size.
 */
export const tile: KernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const { x } = inputs as { x: TensorInfo };
  const { reps } = attrs as unknown as { reps: number[] };
  const wasm = backend as BackendWasm;
  if (x.dtype === 'string') return stockKernel('Tile', wasm)(args);
  if (reps.length !== x.shape.length || reps.some((r) => !Number.isInteger(r) || r < 0)) {
    throw new Error(`Tile: reps must hold one non-negative integer per axis of x (rank ${x.shape.length}), got [${reps}]`);
  }
  const outShape = x.shape.map((d, i) => d * reps[i]!);
  const out = wasm.makeOutput(outShape, x.dtype);
  const dst = wasm.typedArrayFromHeap(out);
  if (dst.length === 0) return out;
  dst.set(wasm.typedArrayFromHeap(x));
  let tiledInner = 1;
  for (let axis = x.shape.length - 1; axis >= 0; axis--) {
    const chunk = x.shape[axis]! * tiledInner;
    const times = reps[axis]!;
    if (times > 1) {
      const outer = x.shape.slice(0, axis).reduce((p, d) => p * d, 1);
      // Last block first: a block's destination never overlaps the sources of the blocks before it.
      for (let o = outer - 1; o >= 0; o--) repeatBlock(dst, o * chunk, o * chunk * times, chunk, times);
    }
    tiledInner = chunk * times;
  }
  return out;
};

function repeatBlock(data: { copyWithin(target: number, start: number, end: number): unknown }, from: number, to: number, length: number, times: number): void {
  data.copyWithin(to, from, from + length);
  const total = length * times;
  for (let filled = length; filled < total; filled *= 2) {
    data.copyWithin(to + filled, to, to + Math.min(filled, total - filled));
  }
}
