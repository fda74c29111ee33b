import type { BenchResults } from '../aggregate/bench-results.js';

const COLUMNS = [
  'combination',
  'group',
  'metric',
  'direction',
  'n',
  'mean',
  'std',
  'ci95_low',
  'ci95_high',
  'diff_vs_baseline',
  'diff_std',
  'diff_ci95_low',
  'diff_ci95_high',
  't',
  'df',
  'p_value',
  'best',
] as const;

/**
 * results.csv: one row per combination and metric, every metric, full precision. The diff
 * columns are the paired comparison with the baseline (empty for the baseline itself).
 */
export function csvReport(results: BenchResults): string {
  const comparisons = new Map(results.comparisons.map((c) => [`${c.combination}\n${c.metric}`, c]));
  const best = new Map(results.best.map((b) => [b.metric, b.combination]));
  const rows = results.metrics.flatMap(({ name: metric, direction }) =>
    results.combinations.flatMap((c) => {
      const summary = c.metrics[metric];
      if (!summary) return [];
      const comparison = comparisons.get(`${c.name}\n${metric}`);
      const d = comparison?.difference;
      return [
        [c.name, c.group, metric, direction, summary.n, summary.mean, summary.std, summary.ciLow, summary.ciHigh, d?.mean, d?.std, d?.ciLow, d?.ciHigh, comparison?.t, comparison?.df, comparison?.p, best.get(metric) === c.name],
      ];
    }),
  );
  return [COLUMNS.join(','), ...rows.map((row) => row.map(csvField).join(','))].join('\n') + '\n';
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
