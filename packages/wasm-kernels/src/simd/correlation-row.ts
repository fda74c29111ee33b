import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { HeapModule } from './heap-module.js';
import { RegisterTile } from './register-tile.js';
import { Code, ValueType } from './wasm-emitter.js';

/**
 * One row of output pixels of a stride-s correlation of a zero-padded NHWC input with a filter
 * packed as [co / 8][kh · kw · ci][8] (implicit GEMM: the input is read in place, no patches are
 * written). Four adjacent output pixels × 8 output channels form a register tile of eight f32x4
 * accumulators; each reduction step costs two vector loads of the filter, four broadcasts of the
 * input and sixteen multiply/add instructions. Every step of a tap row (kw · ci values) is
 * contiguous in the padded input because the dilation is 1.
 *
 * row(x, w, out, pixels, taps, tapLength, tapJump, panels, rowBytes, pixelStep, bias, relu): byte
 * addresses of the first pixel's receptive field in x, of the packed filter and of the row's first output;
 * `pixels` outputs in the row; `taps` filter rows of `tapLength` values, `tapJump` bytes from the
 * end of one to the start of the next; `panels` groups of 8 output channels; rowBytes = output
 * channels · 4; pixelStep = stride · ci · 4; `bias`, the address of co values that start every
 * sum (FusedConv2D's bias, or zeros); `relu` ≠ 0 clamps the results at 0. A last block of fewer than four pixels still reads
 * four pixels' inputs (the caller pads x so that stays inside it) but stores only its own.
 */
function rowCode(): Code {
  const [x, w, out, pixels, taps, tapLength, tapJump, panels, rowBytes, pixelStep, bias, relu] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [panel, a, b, tap, k, block, blockOut, left, second, third, fourth] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
  const tile = new RegisterTile(23);
  const acc = (r: number, h: number) => tile.acc(r, h);
  const offsets = [undefined, second, third, fourth] as const;
  const c = new Code();

  c.get(pixelStep).set(second);
  c.get(pixelStep).i32Const(2).i32Mul().set(third);
  c.get(pixelStep).i32Const(3).i32Mul().set(fourth);
  c.get(x).set(block);
  c.get(out).set(blockOut);
  c.get(pixels).set(left);
  c.loop();
  c.i32Const(0).set(panel);
  c.loop();
  for (let r = 0; r < 4; r++) for (let h = 0; h < 2; h++) c.get(bias).get(panel).i32Const(32).i32Mul().i32Add().v128Load(h * 16).set(acc(r, h));
  c.get(block).set(a);
  c.get(w).get(panel).get(taps).get(tapLength).i32Mul().i32Const(32).i32Mul().i32Mul().i32Add().set(b);
  c.get(taps).set(tap);
  c.loop();
  c.get(tapLength).set(k);
  c.loop();
  // The tile's rows are 4 adjacent output pixels.
  tile.step(c, b, (r) => {
    c.get(a);
    const offset = offsets[r];
    if (offset !== undefined) c.get(offset).i32Add();
    return 0;
  });
  c.get(a).i32Const(4).i32Add().set(a);
  c.get(b).i32Const(32).i32Add().set(b);
  c.get(k).i32Const(1).i32Sub().tee(k).brIf(0);
  c.end();
  c.get(a).get(tapJump).i32Add().set(a);
  c.get(tap).i32Const(1).i32Sub().tee(tap).brIf(0);
  c.end();
  c.block().get(relu).i32Eqz().brIf(0);
  c.v128Zero().set(tile.scratch);
  for (let r = 0; r < 4; r++) for (let h = 0; h < 2; h++) c.get(acc(r, h)).get(tile.scratch).f32x4Max().set(acc(r, h));
  c.end();
  for (let r = 0; r < 4; r++) {
    // Row r exists when more than r pixels are left.
    c.block().get(left).i32Const(r + 1).i32LtU().brIf(0);
    for (let h = 0; h < 2; h++) {
      c.get(blockOut).get(panel).i32Const(32).i32Mul().i32Add();
      if (r > 0) c.get(rowBytes).i32Const(r).i32Mul().i32Add();
      c.get(acc(r, h)).v128Store(h * 16);
    }
    c.end();
  }
  c.get(panel).i32Const(1).i32Add().tee(panel).get(panels).i32LtU().brIf(0);
  c.end();
  c.get(block).get(fourth).i32Add().get(pixelStep).i32Add().set(block);
  c.get(blockOut).get(rowBytes).i32Const(4).i32Mul().i32Add().set(blockOut);
  c.get(left).i32Const(4).i32Sub().tee(left).i32Const(0).i32GtS().brIf(0);
  c.end();
  return c;
}

export type CorrelationRow = (
  x: number,
  w: number,
  out: number,
  pixels: number,
  taps: number,
  tapLength: number,
  tapJump: number,
  panels: number,
  rowBytes: number,
  pixelStep: number,
  bias: number,
  relu: number,
) => void;

const rowModule = new HeapModule<{ row: CorrelationRow }>(() => [
  {
    name: 'row',
    params: 12,
    locals: [...Array<ValueType>(11).fill(ValueType.I32), ...Array<ValueType>(11).fill(ValueType.V128)],
    body: rowCode(),
  },
]);

/** The row function bound to the backend's heap, or undefined where its memory is not reachable. */
export function correlationRow(backend: BackendWasm): CorrelationRow | undefined {
  return rowModule.on(backend)?.row;
}
