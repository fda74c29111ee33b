import { describe, expect, it } from 'vitest';
import { logGamma } from '../src/stats/log-gamma.js';
import { regularizedIncompleteBeta } from '../src/stats/incomplete-beta.js';
import { studentTCdf, studentTQuantile, studentTTwoSidedP } from '../src/stats/student-t.js';

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** For integer a, b: I_x(a, b) = P(Binomial(a + b − 1, x) ≥ a), an independent closed form. */
function binomialTail(x: number, a: number, b: number): number {
  const n = a + b - 1;
  let sum = 0;
  for (let j = a; j <= n; j++) sum += binomial(n, j) * x ** j * (1 - x) ** (n - j);
  return sum;
}

describe('logGamma', () => {
  it('matches ln((n−1)!) and Γ(½) = √π', () => {
    let factorial = 1;
    for (let n = 1; n <= 20; n++) {
      expect(logGamma(n)).toBeCloseTo(Math.log(factorial), 12);
      factorial *= n;
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 13);
  });

  it('rejects x ≤ 0', () => {
    expect(() => logGamma(0)).toThrow(/x > 0, got 0/);
  });
});

describe('regularizedIncompleteBeta', () => {
  it('equals the binomial tail for integer parameters on both sides of the symmetry switch', () => {
    for (const [a, b] of [[1, 1], [2, 3], [5, 2], [7, 7], [12, 4], [30, 50]] as const) {
      for (const x of [0.01, 0.2, 0.37, 0.5, 0.81, 0.99]) {
        expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(binomialTail(x, a, b), 12);
      }
    }
  });

  it('satisfies I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b and I_½(a, a) = ½ for real parameters', () => {
    for (const x of [0.05, 0.3, 0.66, 0.95]) {
      expect(regularizedIncompleteBeta(x, 2.7, 1)).toBeCloseTo(x ** 2.7, 13);
      expect(regularizedIncompleteBeta(x, 1, 0.4)).toBeCloseTo(1 - (1 - x) ** 0.4, 13);
      expect(regularizedIncompleteBeta(x, 3.3, 0.5) + regularizedIncompleteBeta(1 - x, 0.5, 3.3)).toBeCloseTo(1, 13);
    }
    expect(regularizedIncompleteBeta(0.5, 4.5, 4.5)).toBeCloseTo(0.5, 13);
  });

  it('is 0 at x = 0, 1 at x = 1, and names bad arguments', () => {
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expect(() => regularizedIncompleteBeta(1.5, 2, 3)).toThrow(/x in \[0, 1\], got 1.5/);
    expect(() => regularizedIncompleteBeta(0.5, -1, 3)).toThrow(/a = -1/);
  });
});

describe("Student's t", () => {
  // Closed forms of the CDF for 1, 2 and 3 degrees of freedom.
  const closedForms: Record<number, (t: number) => number> = {
    1: (t) => 0.5 + Math.atan(t) / Math.PI,
    2: (t) => 0.5 + t / (2 * Math.sqrt(t * t + 2)),
    3: (t) => 0.5 + (t / (Math.sqrt(3) * (1 + (t * t) / 3)) + Math.atan(t / Math.sqrt(3))) / Math.PI,
  };

  it('has the closed-form CDF for 1, 2 and 3 degrees of freedom', () => {
    for (const [df, cdf] of Object.entries(closedForms)) {
      for (const t of [-25, -3.2, -1, -0.1, 0, 0.4, 1.7, 6, 40]) {
        expect(studentTCdf(t, Number(df))).toBeCloseTo(cdf(t), 12);
        expect(studentTTwoSidedP(t, Number(df))).toBeCloseTo(2 * (1 - cdf(Math.abs(t))), 12);
      }
    }
  });

  it('gives the published two-sided 95 % critical values', () => {
    // t_{0.975, df} from standard statistical tables.
    const table: [number, number][] = [
      [1, 12.7062047],
      [2, 4.3026527],
      [3, 3.1824463],
      [4, 2.7764451],
      [5, 2.5705818],
      [9, 2.2621572],
      [10, 2.2281389],
      [30, 2.0422725],
      [100, 1.9839715],
    ];
    for (const [df, critical] of table) {
      expect(studentTQuantile(0.975, df)).toBeCloseTo(critical, 6);
      expect(studentTQuantile(0.025, df)).toBeCloseTo(-critical, 6);
      expect(studentTTwoSidedP(critical, df)).toBeCloseTo(0.05, 8);
    }
  });

  it('handles infinite statistics and bad degrees of freedom', () => {
    expect(studentTCdf(Infinity, 4)).toBe(1);
    expect(studentTCdf(-Infinity, 4)).toBe(0);
    expect(studentTTwoSidedP(Infinity, 4)).toBe(0);
    expect(() => studentTCdf(1, 0)).toThrow(/degrees of freedom > 0, got 0/);
    expect(() => studentTQuantile(1, 3)).toThrow(/p in \(0, 1\), got 1/);
  });
});
