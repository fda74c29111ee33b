import { BEST_VALIDATION_PREFIX } from '../results/best-validation-metrics.js';

/** The values a metric can take; a t-interval reaching beyond them is clipped in the report. */
export type MetricRange = readonly [number, number];

const UNBOUNDED: MetricRange = [-Infinity, Infinity];
const FRACTION: MetricRange = [0, 1];

/**
 * The built-in metrics' ranges (their definitions are in @selfkd/eval's README): NLL is any
 * non-negative number, multi-class Brier (a sum over classes) is in [0, 2], every other built-in
 * metric is a fraction. A metric no built-in suite names is taken as unbounded.
 */
const RANGES: [RegExp, MetricRange][] = [
  [/^nll$/, [0, Infinity]],
  [/^brier$/, [0, 2]],
  [/^(top1|top5|ece|ecePsKd|mce|pgd)$/, FRACTION],
  [/^(fgsm|shift|ood)\./, FRACTION],
];

export function metricRange(name: string): MetricRange {
  const base = name.startsWith(BEST_VALIDATION_PREFIX) ? name.slice(BEST_VALIDATION_PREFIX.length) : name;
  return RANGES.find(([pattern]) => pattern.test(base))?.[1] ?? UNBOUNDED;
}

/** The range of a difference of two values of the metric, e.g. [−1, 1] for a fraction. */
export function differenceRange([low, high]: MetricRange): MetricRange {
  return [low - high, high - low];
}

/** An interval cut to a range (null bounds, as with one seed, stay null). */
export function clipInterval<T extends { ciLow: number | null; ciHigh: number | null }>(summary: T, [low, high]: MetricRange): T {
  return {
    ...summary,
    ciLow: summary.ciLow === null ? null : Math.min(Math.max(summary.ciLow, low), high),
    ciHigh: summary.ciHigh === null ? null : Math.max(Math.min(summary.ciHigh, high), low),
  };
}
