import { studentTTwoSidedP } from './student-t.js';
import { summarize, type Summary } from './summary.js';

/**
 * A paired t-test of `treatment − control` over matched pairs (here: the same seed). The summary
 * is of the differences (its interval is the 95 % t interval of the mean difference); `t` and the
 * two-sided `p` test "mean difference = 0" with n − 1 degrees of freedom. Null with fewer than two
 * pairs. When every difference is identical the standard error is 0: t is ±∞ with p = 0 if the
 * difference is non-zero, and t = 0 with p = 1 if it is zero.
 */
export interface PairedTTest {
  difference: Summary;
  t: number | null;
  df: number | null;
  p: number | null;
}

export function pairedTTest(treatment: readonly number[], control: readonly number[]): PairedTTest {
  if (treatment.length !== control.length) {
    throw new RangeError(`a paired test needs as many treatment as control values, got ${treatment.length} and ${control.length}`);
  }
  const difference = summarize(treatment.map((v, i) => v - control[i]!));
  if (difference.std === null) return { difference, t: null, df: null, p: null };
  const df = difference.n - 1;
  if (difference.std === 0) {
    return difference.mean === 0 ? { difference, t: 0, df, p: 1 } : { difference, t: Math.sign(difference.mean) * Infinity, df, p: 0 };
  }
  const t = difference.mean / (difference.std / Math.sqrt(difference.n));
  return { difference, t, df, p: studentTTwoSidedP(t, df) };
}
