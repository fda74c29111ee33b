import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { HeapModule } from './heap-module.js';
import { Code, ValueType } from './wasm-emitter.js';

/**
 * reluGrad(dy, x, dx, bytes): dx = dy where x > 0, else 0, four floats per step, as bit masks
 * (`dy & (x > 0)`); byte addresses on the tfjs heap, `bytes` a positive multiple of 16.
 */
function reluGradCode(): Code {
  const [dy, x, dx, bytes] = [0, 1, 2, 3];
  const at = 4;
  const c = new Code();
  c.i32Const(0).set(at);
  c.loop();
  c.get(dx).get(at).i32Add();
  c.get(dy).get(at).i32Add().v128Load();
  c.get(x).get(at).i32Add().v128Load().v128Zero().f32x4Gt();
  c.v128And().v128Store();
  c.get(at).i32Const(16).i32Add().tee(at).get(bytes).i32LtU().brIf(0);
  c.end();
  return c;
}

type ReluGrad = (dy: number, x: number, dx: number, bytes: number) => void;

const reluGradModule = new HeapModule<{ reluGrad: ReluGrad }>(() => [{ name: 'reluGrad', params: 4, locals: [ValueType.I32], body: reluGradCode() }]);

/** The function bound to the backend's heap, or undefined where its memory is not reachable. */
export function simdReluGrad(backend: BackendWasm): ReluGrad | undefined {
  return reluGradModule.on(backend)?.reluGrad;
}
