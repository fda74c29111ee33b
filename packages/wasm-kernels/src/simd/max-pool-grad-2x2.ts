import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { HeapModule } from './heap-module.js';
import { Code, ValueType } from './wasm-emitter.js';

/**
 * The gradient of 2×2, stride-2 max pooling (every window inside the input, channels a multiple
 * of 4) for one row of windows, four channels per SIMD step: each window position's entries are
 * compared with the window maximum y, and dy goes to the first position that matches (bit masks
 * `eq & ~taken`), zero to the others; no branch depends on the data.
 *
 * routeRow(x, y, dy, dx, windows, channelBytes, rowBytes): byte addresses of the row's first
 * window in x and dx and of its first output in y and dy; `rowBytes` is the distance between the
 * window's two input rows.
 */
function routeRowCode(): Code {
  const [x, y, dy, dx, windows, channelBytes, rowBytes] = [0, 1, 2, 3, 4, 5, 6];
  const [at, xAt, dxAt, max, grad, first, hit, taken] = [7, 8, 9, 10, 11, 12, 13, 14];
  const c = new Code();
  /** dx[dxAt + offset] = grad & mask, where `mask` pushes the mask. */
  const store = (offset: (code: Code) => Code, mask: (code: Code) => Code) => mask(offset(c.get(dxAt)).get(grad)).v128And().v128Store();
  /** hit = (x[xAt + offset] == max). */
  const compare = (offset: (code: Code) => Code) => offset(c.get(xAt)).v128Load().get(max).f32x4Eq().set(hit);
  const right = (code: Code) => code.get(channelBytes).i32Add();
  const below = (code: Code) => code.get(rowBytes).i32Add();
  const here = (code: Code) => code;

  c.block().get(windows).i32Eqz().brIf(0);
  c.loop();
  c.i32Const(0).set(at);
  c.loop();
  c.get(y).get(at).i32Add().v128Load().set(max);
  c.get(dy).get(at).i32Add().v128Load().set(grad);
  c.get(x).get(at).i32Add().set(xAt);
  c.get(dx).get(at).i32Add().set(dxAt);
  // Top left: the first match always wins.
  c.get(xAt).v128Load().get(max).f32x4Eq().set(first);
  store(here, (k) => k.get(first));
  // Top right, bottom left, bottom right: a match wins unless an earlier one did.
  compare(right);
  store(right, (k) => k.get(hit).get(first).v128AndNot());
  c.get(first).get(hit).v128Or().set(taken);
  compare(below);
  store(below, (k) => k.get(hit).get(taken).v128AndNot());
  c.get(taken).get(hit).v128Or().set(taken);
  compare((k) => right(below(k)));
  store((k) => right(below(k)), (k) => k.get(hit).get(taken).v128AndNot());
  c.get(at).i32Const(16).i32Add().tee(at).get(channelBytes).i32LtU().brIf(0);
  c.end();
  // Next window: two entries on in x and dx, one in y and dy.
  for (const [pointer, steps] of [[x, 2], [dx, 2], [y, 1], [dy, 1]] as const) {
    c.get(pointer);
    for (let i = 0; i < steps; i++) c.get(channelBytes).i32Add();
    c.set(pointer);
  }
  c.get(windows).i32Const(1).i32Sub().tee(windows).brIf(0);
  c.end();
  c.end();
  return c;
}

type RouteRow = (x: number, y: number, dy: number, dx: number, windows: number, channelBytes: number, rowBytes: number) => void;

const routeRowModule = new HeapModule<{ routeRow: RouteRow }>(() => [
  {
    name: 'routeRow',
    params: 7,
    locals: [ValueType.I32, ValueType.I32, ValueType.I32, ...Array<ValueType>(5).fill(ValueType.V128)],
    body: routeRowCode(),
  },
]);

/** The row function bound to the backend's heap, or undefined where its memory is not reachable. */
export function routeRow2x2(backend: BackendWasm): RouteRow | undefined {
  return routeRowModule.on(backend)?.routeRow;
}
