/**
 * Selective classification by confidence: accept the most confident predictions first. At
 * coverage i/N (the i most confident accepted) the risk is the error rate among them. The area
 * under this risk-coverage curve (AURC) is the mean of the N risks, and E-AURC subtracts the area an
 * oracle ranking (every error last) would reach at the same error rate r:
 * `r + (1 − r)·ln(1 − r)`. This is how PS-KD computes them (their `calc_aurc_eaurc`), including
 * ties in confidence, which keep the samples' order (a stable sort); they print both ×1000.
 */
export interface RiskCoverage {
  /** Error rate among the `i + 1` most confident samples, i = 0 … N − 1. */
  risk: Float64Array;
  aurc: number;
  eaurc: number;
}

/**
 * @param confidence N confidences (e.g. the max softmax probability)
 * @param correct N flags (1/true = correct)
 */
export function riskCoverage(confidence: ArrayLike<number>, correct: ArrayLike<number | boolean>): RiskCoverage {
  const n = confidence.length;
  if (correct.length !== n) throw new Error(`correct has ${correct.length} entries but confidence has ${n}`);
  if (n === 0) throw new Error('risk-coverage needs at least one sample');
  // Array.prototype.sort is stable: equal confidences keep their order, as in PS-KD's Python sort.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => confidence[b]! - confidence[a]!);
  const risk = new Float64Array(n);
  let errors = 0;
  let area = 0;
  order.forEach((sample, i) => {
    if (!correct[sample]) errors++;
    risk[i] = errors / (i + 1);
    area += risk[i]!;
  });
  const aurc = area / n;
  const r = errors / n;
  // (1 − r)·ln(1 − r) → 0 as r → 1: every prediction wrong leaves an oracle area of 1.
  const optimal = r === 1 ? 1 : r + (1 - r) * Math.log(1 - r);
  return { risk, aurc, eaurc: aurc - optimal };
}
