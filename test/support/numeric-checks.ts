import { expect } from 'vitest';

/** The tolerance of the proof of correctness: 1e-5 relative. */
export const RELATIVE_TOLERANCE = 1e-5;

export interface CloseOptions {
  rtol?: number;
  /**
   * The magnitude errors are relative to; by default the largest |expected| entry. Pass the largest
   * entry of the whole gradient when one part of it (say a bias) is zero up to rounding.
   */
  scale?: number;
}

/**
 * Asserts `actual ≈ expected` elementwise within `rtol` relative to the largest expected magnitude
 * (a per-element relative test would fail on entries that are zero up to rounding).
 */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, options: CloseOptions = {}): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const scale = options.scale ?? maxAbs(expected);
  const allowed = (options.rtol ?? RELATIVE_TOLERANCE) * Math.max(scale, Number.MIN_VALUE);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i]! - expected[i]!);
    if (!(error <= worst)) {
      worst = error;
      worstAt = i;
    }
  }
  expect(worst, `${what}: largest error at [${worstAt}] (${actual[worstAt]} vs ${expected[worstAt]}), scale ${scale}`).toBeLessThanOrEqual(allowed);
}

export function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]!));
  return max;
}

/** Central finite differences `(f(x + h·e_i) − f(x − h·e_i)) / 2h` of a float64 function, for every i. */
export function centralDifferences(f: (x: Float64Array) => number, at: ArrayLike<number>, h = 1e-5): Float64Array {
  const x = Float64Array.from(at);
  return Float64Array.from(x, (xi, i) => {
    x[i] = xi + h;
    const plus = f(x);
    x[i] = xi - h;
    const minus = f(x);
    x[i] = xi;
    return (plus - minus) / (2 * h);
  });
}

/** A nested array's numbers in row-major order. */
export function flat(values: number | readonly unknown[]): number[] {
  return typeof values === 'number' ? [values] : (values as unknown[]).flatMap((v) => flat(v as number | unknown[]));
}
