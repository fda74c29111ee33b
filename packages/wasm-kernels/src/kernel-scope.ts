import type { DataType, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { directCorrelation } from './direct-correlation.js';
import { stockKernel } from './stock.js';

export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/**
 * Runs stock wasm kernels from inside a kernelFunc and owns the intermediates they make.
 * Kernels must not return tensors made by `tf.*` ops (the engine would track them twice), so
 * compositions call kernelFuncs directly and free every intermediate with `backend.disposeData`:
 * `result(out)` hands one tensor to the caller and frees the rest, `dispose()` frees all (on error).
 */
export class KernelScope {
  private temps: TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  /** Runs the stock wasm kernel `kernelName`. */
  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    return this.call(stockKernel(kernelName, this.backend), inputs, attrs);
  }

  /** Runs any kernel function on this scope's backend. */
  call(kernelFunc: KernelFunc, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const out = kernelFunc({ inputs, backend: this.backend, attrs });
    if (Array.isArray(out)) throw new Error('KernelScope expects kernels that return one tensor');
    this.temps.push(out);
    return out;
  }

  /** A fresh all-zero tensor. */
  zeros(shape: number[], dtype: DataType): TensorInfo {
    const out = this.output(shape, dtype);
    this.view(out).fill(0);
    return out;
  }

  /** The values of `t` as a live view of the wasm heap (no copy); valid until the next allocation. */
  view(t: TensorInfo): Float32Array | Int32Array | Uint8Array {
    return this.backend.typedArrayFromHeap(t) as Float32Array | Int32Array | Uint8Array;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Zero padding; `paddings[i]` is [before, after] for axis i. */
  pad(x: TensorInfo, paddings: Array<[number, number]>): TensorInfo {
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    return this.run('Slice', { x }, { begin, size });
  }

  reverse(x: TensorInfo, dims: number[]): TensorInfo {
    return this.run('Reverse', { x }, { dims });
  }

  sum(x: TensorInfo, axis: number[]): TensorInfo {
    return this.run('Sum', { x }, { axis, keepDims: false });
  }

  /** An uninitialised tensor, for kernels that write every value. */
  output(shape: number[], dtype: DataType): TensorInfo {
    const out = this.backend.makeOutput(shape, dtype);
    this.temps.push(out);
    return out;
  }

  /** NHWC convolution with explicit padding: the package's SIMD rows where they apply, else XNNPACK. */
  conv2d(x: TensorInfo, filter: TensorInfo, strides: [number, number], dilations: [number, number], pad: ExplicitPadding): TensorInfo {
    const direct = dilations[0] === 1 && dilations[1] === 1 ? directCorrelation(this, x, filter, strides, pad) : undefined;
    if (direct) return direct;
    return this.run('Conv2D', { x, filter }, { strides, dilations, pad, dataFormat: 'NHWC', dimRoundingMode: undefined } as unknown as NamedAttrMap);
  }

  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, strides: [number, number], dilations: [number, number], pad: ExplicitPadding): TensorInfo {
    return this.run('DepthwiseConv2dNative', { x, filter }, { strides, dilations, pad, dataFormat: 'NHWC', dimRoundingMode: undefined } as unknown as NamedAttrMap);
  }

  /** `a [1, m, k] · b [1, k, n]` through the stock kernel, which stays on XNNPACK without transpose flags. */
  matMul(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
  }

  /** Frees every intermediate except `out`, which the caller now owns. */
  result(out: TensorInfo): TensorInfo {
    const index = this.temps.indexOf(out);
    if (index < 0) throw new Error('KernelScope.result: the tensor was not made in this scope');
    this.temps.splice(index, 1);
    this.dispose();
    return out;
  }

  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps = [];
  }
}

/** Runs `body` with a fresh scope; the tensor it returns survives, everything else it made is freed. */
export function withScope(backend: BackendWasm, body: (scope: KernelScope) => TensorInfo): TensorInfo {
  const scope = new KernelScope(backend);
  try {
    return scope.result(body(scope));
  } finally {
    scope.dispose();
  }
}
