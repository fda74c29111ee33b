import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { HeapModule } from './heap-module.js';
import { Code, ValueType } from './wasm-emitter.js';

/** Offsets (in floats) of the update's constants in the block whose address `adam` takes. */
export const AdamConstant = { weightDecay: 0, beta1: 1, oneMinusBeta1: 2, beta2: 3, oneMinusBeta2: 4, varianceCorrection: 5, epsilon: 6, stepSize: 7 } as const;
export const ADAM_CONSTANTS = 8;

/**
 * adam(w, g, m, v, wOut, mOut, vOut, bytes, constants): one Adam step over `bytes` (a positive
 * multiple of 16) of float32s, four per SIMD step, each operation rounded to float32 in the order
 * of the trainer's tensor formula (so the result is the same to the bit):
 *   g' = g + w·weightDecay;  m' = m·β1 + g'·(1 − β1);  v' = v·β2 + (g'·g')·(1 − β2)
 *   w' = w − (m' / (√v' / varianceCorrection + ε))·stepSize
 */
function adamCode(): Code {
  const [w, g, m, v, wOut, mOut, vOut, bytes, constants] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const at = 9;
  // One splatted local per constant, then g', m', v'.
  const constantLocal = (offset: number) => 10 + offset;
  const [gLocal, mLocal, vLocal] = [10 + ADAM_CONSTANTS, 11 + ADAM_CONSTANTS, 12 + ADAM_CONSTANTS];
  const k = (name: keyof typeof AdamConstant) => constantLocal(AdamConstant[name]);
  const c = new Code();
  for (let i = 0; i < ADAM_CONSTANTS; i++) c.get(constants).v128Load32Splat(4 * i).set(constantLocal(i));
  const load = (pointer: number) => c.get(pointer).get(at).i32Add().v128Load();
  c.i32Const(0).set(at);
  c.loop();
  load(g);
  load(w).get(k('weightDecay')).f32x4Mul().f32x4Add().set(gLocal);
  c.get(mOut).get(at).i32Add();
  load(m).get(k('beta1')).f32x4Mul();
  c.get(gLocal).get(k('oneMinusBeta1')).f32x4Mul().f32x4Add().tee(mLocal).v128Store();
  c.get(vOut).get(at).i32Add();
  load(v).get(k('beta2')).f32x4Mul();
  c.get(gLocal).get(gLocal).f32x4Mul().get(k('oneMinusBeta2')).f32x4Mul().f32x4Add().tee(vLocal).v128Store();
  c.get(wOut).get(at).i32Add();
  load(w);
  c.get(mLocal);
  c.get(vLocal).f32x4Sqrt().get(k('varianceCorrection')).f32x4Div().get(k('epsilon')).f32x4Add();
  c.f32x4Div().get(k('stepSize')).f32x4Mul().f32x4Sub().v128Store();
  c.get(at).i32Const(16).i32Add().tee(at).get(bytes).i32LtU().brIf(0);
  c.end();
  return c;
}

type Adam = (w: number, g: number, m: number, v: number, wOut: number, mOut: number, vOut: number, bytes: number, constants: number) => void;

const adamModule = new HeapModule<{ adam: Adam }>(() => [
  { name: 'adam', params: 9, locals: [ValueType.I32, ...Array<ValueType>(ADAM_CONSTANTS + 3).fill(ValueType.V128)], body: adamCode() },
]);

/** The function bound to the backend's heap, or undefined where its memory is not reachable. */
export function simdAdam(backend: BackendWasm): Adam | undefined {
  return adamModule.on(backend)?.adam;
}
