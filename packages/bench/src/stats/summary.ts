import { studentTQuantile } from './student-t.js';

/** The confidence level of every interval the bench reports. */
export const CONFIDENCE = 0.95;

/**
 * Mean, sample standard deviation (n − 1) and the t-based 95 % confidence interval of the mean,
 * mean ± t_{0.975, n−1} · s / √n. With one value, std and the interval are null: a single seed
 * says nothing about spread.
 */
export interface Summary {
  n: number;
  mean: number;
  std: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) throw new RangeError('cannot summarize an empty list of values');
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { n, mean, std: null, ciLow: null, ciHigh: null };
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const halfWidth = studentTQuantile(1 - (1 - CONFIDENCE) / 2, n - 1) * (std / Math.sqrt(n));
  return { n, mean, std, ciLow: mean - halfWidth, ciHigh: mean + halfWidth };
}
