import type { BenchResults } from '../aggregate/bench-results.js';
import { formatInterval, formatMeanStd, formatPValue } from './format.js';
import type { PairedTTest } from '../stats/paired-t-test.js';
import { isHeadlineMetric } from './headline-metrics.js';
import { clipInterval, differenceRange, metricRange, type MetricRange } from './metric-range.js';

/** One table cell: its text, a second line (an interval), emphasis, and data for the page's checks. */
export interface Cell {
  text: string;
  detail?: string;
  strong?: boolean;
  /** For a significant difference: whether it goes the metric's better or worse way. */
  tone?: 'better' | 'worse';
  data?: Record<string, string>;
}

/** A table as both report formats draw it. */
export interface TableModel {
  id: string;
  title: string;
  note: string;
  header: string[];
  rows: Cell[][];
}

export const SIGNIFICANCE = 0.05;

export function headlineMetrics(results: BenchResults): string[] {
  return results.metrics.map((m) => m.name).filter(isHeadlineMetric);
}

/** Which way the metric is better, as the aggregation recorded it from the suite that made it. */
function isHigherBetter(results: BenchResults, metric: string): boolean {
  return results.metrics.find((m) => m.name === metric)?.direction !== 'lower';
}

export function metricLabel(results: BenchResults, metric: string): Cell {
  return { text: `${metric} ${isHigherBetter(results, metric) ? '↑' : '↓'}` };
}

/** Metrics × combinations: mean ± std over seeds, the 95 % interval as detail, the best in bold. */
export function summaryTable(results: BenchResults, metrics: readonly string[]): TableModel {
  const best = new Map(results.best.map((b) => [b.metric, b.combination]));
  return {
    id: 'summary',
    title: 'Mean ± standard deviation over seeds',
    note: `Second line: the 95 % confidence interval of the mean, ${results.method.interval}, clipped to the values the metric can take (e.g. [0, 1] for accuracy). Bold: the best combination (↑ higher is better, ↓ lower is better).`,
    header: ['metric', ...results.combinations.map((c) => `${c.name} (n=${c.seeds.length})`)],
    rows: metrics.map((metric) => [
      metricLabel(results, metric),
      ...results.combinations.map((c): Cell => {
        const summary = c.metrics[metric];
        return {
          text: formatMeanStd(summary),
          detail: formatInterval(summary && clipInterval(summary, metricRange(metric))),
          strong: best.get(metric) === c.name,
          data: { metric, combination: c.name },
        };
      }),
    ]),
  };
}

/** Metrics × combinations: the mean paired difference from the baseline, its p, its interval as detail. */
export function comparisonTable(results: BenchResults, metrics: readonly string[]): TableModel | null {
  if (results.baseline === null) return null;
  const others = results.combinations.filter((c) => c.name !== results.baseline);
  const byKey = new Map(results.comparisons.map((c) => [`${c.combination}\n${c.metric}`, c]));
  return {
    id: 'comparison',
    title: `Difference from ${results.baseline} (paired by seed)`,
    note: `Mean ± standard deviation of (combination − ${results.baseline}) over the seeds both finished, and the p-value of a ${results.method.test}; second line: the 95 % interval of the mean difference, clipped to the differences the metric allows. Bold: p < ${SIGNIFICANCE}, in either direction (the arrow says which way is better; the HTML report colours better green, worse red).`,
    header: ['metric', ...others.map((c) => c.name)],
    rows: metrics.map((metric) => [
      metricLabel(results, metric),
      ...others.map((c): Cell => {
        const comparison = byKey.get(`${c.name}\n${metric}`);
        return comparison ? differenceCell(results, metric, comparison, { combination: c.name }) : { text: '–' };
      }),
    ]),
  };
}

/**
 * A paired difference: mean ± std and p, the 95 % interval (clipped to `range`, by default the
 * differences the metric allows) as detail, bold and coloured by direction when p < 0.05.
 */
export function differenceCell(
  results: BenchResults,
  metric: string,
  test: PairedTTest,
  data: Record<string, string>,
  range: MetricRange = differenceRange(metricRange(metric)),
): Cell {
  const significant = test.p !== null && test.p < SIGNIFICANCE;
  const better = (test.difference.mean > 0) === isHigherBetter(results, metric);
  return {
    text: `${formatMeanStd(test.difference, true)}, p ${formatPValue(test.p)}`,
    detail: formatInterval(clipInterval(test.difference, range), true),
    strong: significant,
    ...(significant ? { tone: better ? ('better' as const) : ('worse' as const) } : {}),
    data: { metric, ...data },
  };
}

/** Every metric with its best combination. */
export function bestTable(results: BenchResults, metrics: readonly string[]): TableModel {
  const best = new Map(results.best.map((b) => [b.metric, b]));
  return {
    id: 'best',
    title: 'Best combination per metric',
    note: 'By the mean over seeds; whether it is better than the baseline beyond noise is in the difference table.',
    header: ['metric', 'best', 'mean'],
    rows: metrics.flatMap((metric) => {
      const entry = best.get(metric);
      return entry ? [[metricLabel(results, metric), { text: entry.combination }, { text: formatMeanStd(results.combinations.find((c) => c.name === entry.combination)?.metrics[metric]) }]] : [];
    }),
  };
}

/** One row per run: how it went and where it ran. */
export function runsTable(results: BenchResults): TableModel {
  return {
    id: 'runs',
    title: 'Runs',
    note: 'CPU and wall seconds of the training process (training and evaluation) in the attempt that finished: CPU time (user + system, all threads) does not grow when other runs share the cores, wall time does.',
    header: ['combination', 'seed', 'status', 'attempts', 'backend', 'CPU seconds', 'wall seconds', 'top1', 'error'],
    rows: results.runs.map((run) => [
      { text: run.combination },
      { text: String(run.seed) },
      { text: run.status },
      { text: String(run.attempts) },
      { text: run.backend ?? '–' },
      { text: run.cpuSeconds === null ? '–' : run.cpuSeconds.toFixed(1) },
      { text: run.seconds === null ? '–' : run.seconds.toFixed(1) },
      { text: run.metrics.top1 === undefined ? '–' : run.metrics.top1.toFixed(4) },
      { text: run.error ? run.error.split('\n').slice(-1)[0]! : '' },
    ]),
  };
}
