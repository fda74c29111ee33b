import { countRows, type Labels, type ScoreRows } from './rows.js';

/**
 * Fraction of rows whose true class is among the `k` highest scores.
 *
 * Ties are broken towards the lower class index (as argmax does), so a tie never counts in the
 * model's favour twice: the true class's rank is the number of classes scoring strictly higher,
 * plus those scoring equal with a smaller index. With `k ≥ numClasses` every row is a hit.
 *
 * @param scores N·K row-major logits or probabilities (any monotone transform gives the same result)
 * @param labels N true classes in [0, K)
 * @returns accuracy in [0, 1]; NaN for zero rows
 */
export function topKAccuracy(scores: ScoreRows, labels: Labels, numClasses: number, k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
  const n = countRows(scores, numClasses, labels);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const base = i * numClasses;
    const y = labels[i]!;
    const target = scores[base + y]!;
    let rank = 0;
    for (let c = 0; c < numClasses && rank < k; c++) {
      const s = scores[base + c]!;
      if (s > target || (s === target && c < y)) rank++;
    }
    if (rank < k) hits++;
  }
  return hits / n;
}
