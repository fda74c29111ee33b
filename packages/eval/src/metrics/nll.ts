import { countRows, logSumExpRows, type Labels, type ScoreRows } from './rows.js';

/**
 * Mean negative log-likelihood of the true class, `mean_i (logsumexp(z_i) − z_i,y_i)`, from
 * logits rather than probabilities so a confidently wrong prediction is not clipped at log(ε).
 *
 * @param logits N·K row-major logits
 * @param labels N true classes in [0, K)
 * @returns nats per sample; NaN for zero rows
 */
export function negativeLogLikelihood(logits: ScoreRows, labels: Labels, numClasses: number): number {
  const n = countRows(logits, numClasses, labels);
  const lse = logSumExpRows(logits, numClasses);
  let total = 0;
  for (let i = 0; i < n; i++) total += lse[i]! - logits[i * numClasses + labels[i]!]!;
  return total / n;
}
