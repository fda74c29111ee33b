import type { Rng } from '@selfkd/core';

/** One draw of Beta(a, b) as `X / (X + Y)` with X ~ Gamma(a), Y ~ Gamma(b). */
export function sampleBeta(a: number, b: number, rng: Rng): number {
  const x = sampleGamma(a, rng);
  const y = sampleGamma(b, rng);
  return x / (x + y);
}

/**
 * One draw of Gamma(shape, 1). Shapes ≥ 1 use Marsaglia and Tsang's squeeze-free rejection method
 * (ACM TOMS 2000); smaller shapes, which mixup's α = 0.4 needs, are boosted: a Gamma(shape + 1)
 * draw times U^(1/shape) is Gamma(shape).
 */
export function sampleGamma(shape: number, rng: Rng): number {
  if (!(shape > 0 && Number.isFinite(shape))) throw new RangeError(`a Gamma shape must be a positive finite number, got ${shape}`);
  if (shape < 1) {
    const boosted = sampleGamma(shape + 1, rng);
    return boosted * Math.pow(1 - rng.next(), 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / (3 * Math.sqrt(d));
  for (;;) {
    const z = rng.normal();
    const cube = Math.pow(1 + c * z, 3);
    if (cube <= 0) continue;
    const logU = Math.log(1 - rng.next());
    if (logU < z * z / 2 + d * (1 - cube + Math.log(cube))) return d * cube;
  }
}
