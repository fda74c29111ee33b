import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { HeapModule } from './heap-module.js';
import { Code, ValueType } from './wasm-emitter.js';

/**
 * Passes over channels-last data `[rows, channels]` with per-channel coefficients, four channels
 * per SIMD step (channels a multiple of 4), that make up a training BatchNorm: one pass of
 * per-channel sums for the statistics (and again for the gradient), one pass that writes the
 * result. Every argument is a byte address on the tfjs heap, except `rows` and `channelBytes`.
 *
 * - sums(a, b, rows, channelBytes, shiftA, shiftB, sumA, sumAB): for every row,
 *   sumA += a − shiftA and sumAB += (a − shiftA)·(b − shiftB), accumulating into f32 vectors.
 * - affine(x, out, rows, channelBytes, scale, offset): out = x·scale + offset.
 * - affine2(p, q, out, rows, channelBytes, kp, kq, k): out = p·kp + q·kq + k.
 */
export interface ChannelPasses {
  sums(a: number, b: number, rows: number, channelBytes: number, shiftA: number, shiftB: number, sumA: number, sumAB: number): void;
  affine(x: number, out: number, rows: number, channelBytes: number, scale: number, offset: number): void;
  affine2(p: number, q: number, out: number, rows: number, channelBytes: number, kp: number, kq: number, k: number): void;
}

/**
 * Loops `rows` times over the channels of a row, the channel's byte offset in local `at`; after
 * each row the `rowPointers` move on by `channelBytes`.
 */
function overRows(c: Code, rows: number, channelBytes: number, at: number, rowPointers: number[], channelStep: (c: Code) => void): Code {
  c.block().get(rows).i32Eqz().brIf(0);
  c.loop();
  c.i32Const(0).set(at);
  c.loop();
  channelStep(c);
  c.get(at).i32Const(16).i32Add().tee(at).get(channelBytes).i32LtU().brIf(0);
  c.end();
  for (const pointer of rowPointers) c.get(pointer).get(channelBytes).i32Add().set(pointer);
  c.get(rows).i32Const(1).i32Sub().tee(rows).brIf(0);
  c.end();
  c.end();
  return c;
}

/** Pushes the v128 at `pointer + at`. */
const load = (c: Code, pointer: number, at: number) => c.get(pointer).get(at).i32Add().v128Load();

function sumsCode(): Code {
  const [a, b, rows, channelBytes, shiftA, shiftB, sumA, sumAB] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [at, da] = [8, 9];
  return overRows(new Code(), rows, channelBytes, at, [a, b], (c) => {
    load(c, a, at);
    load(c, shiftA, at).f32x4Sub().set(da);
    c.get(sumA).get(at).i32Add();
    load(c, sumA, at).get(da).f32x4Add().v128Store();
    c.get(sumAB).get(at).i32Add();
    load(c, sumAB, at).get(da);
    load(c, b, at);
    load(c, shiftB, at).f32x4Sub().f32x4Mul().f32x4Add().v128Store();
  });
}

function affineCode(): Code {
  const [x, out, rows, channelBytes, scale, offset] = [0, 1, 2, 3, 4, 5];
  const at = 6;
  return overRows(new Code(), rows, channelBytes, at, [x, out], (c) => {
    c.get(out).get(at).i32Add();
    load(c, x, at);
    load(c, scale, at).f32x4Mul();
    load(c, offset, at).f32x4Add().v128Store();
  });
}

function affine2Code(): Code {
  const [p, q, out, rows, channelBytes, kp, kq, k] = [0, 1, 2, 3, 4, 5, 6, 7];
  const at = 8;
  return overRows(new Code(), rows, channelBytes, at, [p, q, out], (c) => {
    c.get(out).get(at).i32Add();
    load(c, p, at);
    load(c, kp, at).f32x4Mul();
    load(c, q, at);
    load(c, kq, at).f32x4Mul().f32x4Add();
    load(c, k, at).f32x4Add().v128Store();
  });
}

const channelPassesModule = new HeapModule<ChannelPasses>(() => [
  { name: 'sums', params: 8, locals: [ValueType.I32, ValueType.V128], body: sumsCode() },
  { name: 'affine', params: 6, locals: [ValueType.I32], body: affineCode() },
  { name: 'affine2', params: 8, locals: [ValueType.I32], body: affine2Code() },
]);

/** The passes bound to the backend's heap, or undefined where its memory is not reachable. */
export function channelPasses(backend: BackendWasm): ChannelPasses | undefined {
  return channelPassesModule.on(backend);
}
