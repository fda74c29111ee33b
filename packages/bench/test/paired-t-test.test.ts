import { describe, expect, it } from 'vitest';
import { pairedTTest } from '../src/stats/paired-t-test.js';
import { summarize } from '../src/stats/summary.js';

describe('summarize', () => {
  it('computes mean, sample std and the t interval by hand', () => {
    // values 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(v − 5)² = 32, s = √(32/7); t_{0.975,7} = 2.3646243.
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
    const std = Math.sqrt(32 / 7);
    const half = (2.3646243 * std) / Math.sqrt(8);
    expect(s.n).toBe(8);
    expect(s.mean).toBe(5);
    expect(s.std).toBeCloseTo(std, 12);
    expect(s.ciLow).toBeCloseTo(5 - half, 6);
    expect(s.ciHigh).toBeCloseTo(5 + half, 6);
  });

  it('reports no spread for one value and refuses none', () => {
    expect(summarize([0.7])).toEqual({ n: 1, mean: 0.7, std: null, ciLow: null, ciHigh: null });
    expect(() => summarize([])).toThrow(/empty/);
  });
});

describe('pairedTTest', () => {
  it('tests the per-pair differences with n − 1 degrees of freedom', () => {
    // Differences 1, 2, 3, 4: mean 2.5, s = √(5/3), t = 2.5 / (s / 2) = 3.8729833; df 3.
    const result = pairedTTest([11, 12, 13, 14], [10, 10, 10, 10]);
    const t = 2.5 / (Math.sqrt(5 / 3) / 2);
    // Two-sided p from the closed-form CDF of t with 3 degrees of freedom.
    const cdf3 = 0.5 + (t / (Math.sqrt(3) * (1 + (t * t) / 3)) + Math.atan(t / Math.sqrt(3))) / Math.PI;
    expect(result.difference.mean).toBe(2.5);
    expect(result.df).toBe(3);
    expect(result.t).toBeCloseTo(t, 12);
    expect(result.p).toBeCloseTo(2 * (1 - cdf3), 12);
    expect(result.difference.ciLow).toBeCloseTo(2.5 - (3.1824463 * Math.sqrt(5 / 3)) / 2, 6);
  });

  it('is symmetric: swapping the arms negates t and keeps p', () => {
    const a = [0.91, 0.93, 0.9];
    const b = [0.9, 0.9, 0.91];
    const forward = pairedTTest(a, b);
    const backward = pairedTTest(b, a);
    expect(backward.t).toBeCloseTo(-forward.t!, 12);
    expect(backward.p).toBeCloseTo(forward.p!, 12);
  });

  it('handles constant differences, single pairs and mismatched lengths', () => {
    expect(pairedTTest([2, 3, 4], [1, 2, 3])).toMatchObject({ t: Infinity, p: 0, df: 2 });
    expect(pairedTTest([1, 2], [1, 2])).toMatchObject({ t: 0, p: 1, df: 1 });
    expect(pairedTTest([1], [0])).toMatchObject({ t: null, p: null, df: null });
    expect(() => pairedTTest([1, 2], [1])).toThrow(/got 2 and 1/);
  });
});
