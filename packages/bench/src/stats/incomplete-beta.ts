import { logGamma } from './log-gamma.js';

const MAX_ITERATIONS = 300;
const EPSILON = 1e-15;
/** Stands in for a zero denominator in Lentz's method so the recurrence never divides by 0. */
const TINY = 1e-300;

/**
 * The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), for a, b > 0 and
 * x in [0, 1]. Evaluated by its continued fraction (modified Lentz), which converges fast for
 * x < (a + 1) / (a + b + 2); beyond that the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) is used.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) throw new RangeError(`incomplete beta needs a > 0 and b > 0, got a = ${a}, b = ${b}`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`incomplete beta needs x in [0, 1], got ${x}`);
  if (x === 0 || x === 1) return x;
  // x^a (1−x)^b / B(a, b), the factor in front of the continued fraction.
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/**
 * The continued fraction 1 / (1 + d1 / (1 + d2 / (1 + …))) of I_x(a, b), with
 * d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and d_{2m} = m(b−m)x / ((a+2m−1)(a+2m)).
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let fraction = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    [c, d] = lentzStep(c, d, even);
    fraction *= c * d;
    const odd = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    [c, d] = lentzStep(c, d, odd);
    const delta = c * d;
    fraction *= delta;
    if (Math.abs(delta - 1) < EPSILON) return fraction;
  }
  throw new Error(`incomplete beta continued fraction did not converge for x = ${x}, a = ${a}, b = ${b}`);
}

function lentzStep(c: number, d: number, coefficient: number): [number, number] {
  let nextD = 1 + coefficient * d;
  if (Math.abs(nextD) < TINY) nextD = TINY;
  let nextC = 1 + coefficient / c;
  if (Math.abs(nextC) < TINY) nextC = TINY;
  return [nextC, 1 / nextD];
}
