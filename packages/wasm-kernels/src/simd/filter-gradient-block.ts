import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { HeapModule } from './heap-module.js';
import { RegisterTile } from './register-tile.js';
import { Code, ValueType } from './wasm-emitter.js';

/**
 * One block of a convolution's filter gradient: 4 consecutive input channels of one filter tap
 * (kh, kw) against every output channel, dW[tap, ci..ci+3, :] += Σ_pixels x[pixel·s + tap, ci..ci+3] ·
 * dy[pixel, :], summed over one image's output pixels. A register tile of 4 rows × 8 output
 * channels (eight f32x4 accumulators) is kept across the whole pixel loop, so each pixel costs two
 * vector loads of dy, four broadcasts of x and sixteen multiply/add instructions; x is read in
 * place from a zero-padded copy, dy in place, so nothing is packed.
 *
 * block(x, dy, dw, rows, cols, xStep, xRowJump, panels, rowBytes): byte addresses of x at the
 * block's first tap position, of dy's first pixel and of dW's first row of the block; rows × cols
 * output pixels; xStep bytes between horizontally adjacent pixels' taps (stride · channels · 4),
 * xRowJump bytes from the end of one row of taps to the start of the next; `panels` groups of 8
 * output channels; rowBytes = output channels · 4, the row length of both dy and dW.
 */
function blockCode(): Code {
  const [x, dy, dw, rows, cols, xStep, xRowJump, panels, rowBytes] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [panel, a, b, row, col, out] = [9, 10, 11, 12, 13, 14];
  const tile = new RegisterTile(15);
  const acc = (r: number, h: number) => tile.acc(r, h);
  const c = new Code();
  /** Pushes dW's address of row r of the current panel. */
  const outRow = (r: number) => {
    c.get(out);
    if (r > 0) c.get(rowBytes).i32Const(r).i32Mul().i32Add();
    return c;
  };

  c.i32Const(0).set(panel);
  c.loop();
  c.get(dw).get(panel).i32Const(32).i32Mul().i32Add().set(out);
  for (let r = 0; r < 4; r++) for (let h = 0; h < 2; h++) outRow(r).v128Load(h * 16).set(acc(r, h));
  c.get(x).set(a);
  c.get(dy).get(panel).i32Const(32).i32Mul().i32Add().set(b);
  c.get(rows).set(row);
  c.loop();
  c.get(cols).set(col);
  c.loop();
  // The tile's rows are 4 consecutive input channels of one pixel.
  tile.step(c, b, (r) => {
    c.get(a);
    return r * 4;
  });
  c.get(a).get(xStep).i32Add().set(a);
  c.get(b).get(rowBytes).i32Add().set(b);
  c.get(col).i32Const(1).i32Sub().tee(col).brIf(0);
  c.end();
  c.get(a).get(xRowJump).i32Add().set(a);
  c.get(row).i32Const(1).i32Sub().tee(row).brIf(0);
  c.end();
  for (let r = 0; r < 4; r++) for (let h = 0; h < 2; h++) outRow(r).get(acc(r, h)).v128Store(h * 16);
  c.get(panel).i32Const(1).i32Add().tee(panel).get(panels).i32LtU().brIf(0);
  c.end();
  return c;
}

export type FilterGradientBlock = (
  x: number,
  dy: number,
  dw: number,
  rows: number,
  cols: number,
  xStep: number,
  xRowJump: number,
  panels: number,
  rowBytes: number,
) => void;

const blockModule = new HeapModule<{ block: FilterGradientBlock }>(() => [
  {
    name: 'block',
    params: 9,
    locals: [...Array<ValueType>(6).fill(ValueType.I32), ...Array<ValueType>(11).fill(ValueType.V128)],
    body: blockCode(),
  },
]);

/** The block function bound to the backend's heap, or undefined where its memory is not reachable. */
export function filterGradientBlock(backend: BackendWasm): FilterGradientBlock | undefined {
  return blockModule.on(backend)?.block;
}
