import type { Code } from './wasm-emitter.js';

/**
 * The 4 × 8 register tile both convolution kernels accumulate in: eight f32x4 locals, rows r = 0…3
 * of the A side, halves h = 0, 1 of 8 consecutive B values, plus three scratch v128 locals.
 */
export class RegisterTile {
  /** `first` is the index of the first of the tile's eleven consecutive v128 locals. */
  constructor(private readonly first: number) {}

  /** The accumulator of row r, half h. */
  acc(r: number, h: number): number {
    return this.first + r * 2 + h;
  }

  /**
   * One reduction step: loads 8 B values at the address in local `b` (two vectors), broadcasts the
   * A value of each row (`pushA(r)` pushes an address and returns the constant byte offset from it)
   * and adds both products into the tile.
   */
  step(c: Code, b: number, pushA: (r: number) => number): void {
    const [b0, b1, splat] = [this.first + 8, this.first + 9, this.first + 10];
    c.get(b).v128Load().set(b0);
    c.get(b).v128Load(16).set(b1);
    for (let r = 0; r < 4; r++) {
      c.v128Load32Splat(pushA(r)).set(splat);
      c.get(splat).get(b0).f32x4Mul().get(this.acc(r, 0)).f32x4Add().set(this.acc(r, 0));
      c.get(splat).get(b1).f32x4Mul().get(this.acc(r, 1)).f32x4Add().set(this.acc(r, 1));
    }
  }

  /** A scratch local free outside `step`. */
  get scratch(): number {
    return this.first + 10;
  }
}
