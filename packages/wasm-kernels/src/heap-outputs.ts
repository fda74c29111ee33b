import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The wasm heap as float32, for byte addresses of tensors on it. */
function heapAddress(backend: BackendWasm, t: TensorInfo): { heap: Float32Array; at: number } {
  const view = backend.typedArrayFromHeap(t) as Float32Array;
  return { heap: new Float32Array(view.buffer), at: view.byteOffset };
}

/**
 * Makes a kernel's float32 outputs and a scratch tensor of `scratchFloats`, runs `fill` on the
 * heap with a byte-address lookup (views taken after every allocation: growing the heap replaces
 * its buffer), frees the scratch, and the outputs too if `fill` throws.
 */
export function withOutputs(
  wasm: BackendWasm,
  shapes: number[][],
  scratchFloats: number,
  fill: (heap: Float32Array, address: (t: TensorInfo) => number, outputs: TensorInfo[], scratchAt: number) => void,
): TensorInfo[] {
  const outputs = shapes.map((shape) => wasm.makeOutput(shape, 'float32'));
  const scratch = wasm.makeOutput([scratchFloats], 'float32');
  try {
    const { heap, at: scratchAt } = heapAddress(wasm, scratch);
    fill(heap, (t) => heapAddress(wasm, t).at, outputs, scratchAt);
  } catch (error) {
    for (const t of outputs) wasm.disposeData(t.dataId);
    throw error;
  } finally {
    wasm.disposeData(scratch.dataId);
  }
  return outputs;
}
