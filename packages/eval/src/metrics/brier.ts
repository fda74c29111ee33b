import { countRows, type Labels, type ScoreRows } from './rows.js';

/**
 * Multi-class Brier score (Brier 1950): `mean_i Σ_k (p_ik − onehot(y_i)_k)²`, summed over
 * classes and averaged over samples, so it lies in [0, 2]. (Some libraries divide by K as well.)
 *
 * @param probabilities N·K row-major class probabilities (rows summing to 1)
 * @param labels N true classes in [0, K)
 * @returns NaN for zero rows
 */
export function brierScore(probabilities: ScoreRows, labels: Labels, numClasses: number): number {
  const n = countRows(probabilities, numClasses, labels);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const base = i * numClasses;
    for (let k = 0; k < numClasses; k++) {
      const d = probabilities[base + k]! - (k === labels[i] ? 1 : 0);
      total += d * d;
    }
  }
  return total / n;
}
