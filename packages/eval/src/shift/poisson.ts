import type { Rng } from '@selfkd/core';

/**
 * One Poisson(λ) draw from `rng`: multiplication of uniforms (Knuth) for small λ, Hörmann's
 * transformed rejection with squeeze (PTRS, 1993) from λ = 10, where its constants are valid
 * and the cost stays flat as λ grows.
 */
export function samplePoisson(lambda: number, rng: Rng): number {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new Error(`Poisson rate must be a finite number ≥ 0, got ${lambda}`);
  return lambda < 10 ? byMultiplication(lambda, rng) : byTransformedRejection(lambda, rng);
}

function byMultiplication(lambda: number, rng: Rng): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let product = rng.next();
  while (product > limit) {
    k++;
    product *= rng.next();
  }
  return k;
}

function byTransformedRejection(lambda: number, rng: Rng): number {
  const sqrtLambda = Math.sqrt(lambda);
  const logLambda = Math.log(lambda);
  const b = 0.931 + 2.53 * sqrtLambda;
  const a = -0.059 + 0.02483 * b;
  const logInvAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.next() - 0.5;
    const v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <= -lambda + k * logLambda - logFactorial(k)) return k;
  }
}

const SMALL_LOG_FACTORIALS = [0, 0, Math.log(2), Math.log(6), Math.log(24), Math.log(120), Math.log(720), Math.log(5040), Math.log(40320), Math.log(362880)];

/** ln k!, exact below 10 and by Stirling's series (error < 1e-12) above. */
function logFactorial(k: number): number {
  if (k < SMALL_LOG_FACTORIALS.length) return SMALL_LOG_FACTORIALS[k]!;
  const inv = 1 / k;
  const inv2 = inv * inv;
  return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260));
}
