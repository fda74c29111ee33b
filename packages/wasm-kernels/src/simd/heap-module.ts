import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { emitModule, type FunctionSpec } from './wasm-emitter.js';

/** The parts of the WebAssembly global used here (the Node typings in use do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => object;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/**
 * A module of emitted functions, compiled once, instantiated once per tfjs heap so that its
 * functions work on tensors in place (byte addresses of `backend.typedArrayFromHeap` views).
 * V8 runs new wasm code in its baseline compiler first and optimises it after some calls, so the
 * first few convolutions of a process are slower than the steady state the benchmarks report.
 */
export class HeapModule<Exports extends object> {
  private compiled: object | undefined;
  private readonly instances = new WeakMap<object, Exports>();

  constructor(private readonly functions: () => FunctionSpec[]) {}

  /** The functions bound to the backend's heap, or undefined where its memory is not reachable. */
  on(backend: BackendWasm): Exports | undefined {
    const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
    if (!(memory instanceof wasmApi.Memory)) return undefined;
    let exports = this.instances.get(memory);
    if (!exports) {
      this.compiled ??= new wasmApi.Module(emitModule(this.functions()));
      exports = new wasmApi.Instance(this.compiled, { env: { memory } }).exports as Exports;
      this.instances.set(memory, exports);
    }
    return exports;
  }
}
