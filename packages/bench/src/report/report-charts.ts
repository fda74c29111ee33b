import { corruptionOf, fgsmEpsilon, FGSM_CLEAN, oodAurocParts } from '@selfkd/eval';
import type { BenchResults, CombinationResult } from '../aggregate/bench-results.js';
import type { EpochBand } from '../aggregate/learning-curves.js';
import { gridCharts } from './grid-charts.js';
import { clipInterval, metricRange } from './metric-range.js';
import { seriesStyle, type SeriesStyle } from './palette.js';
import { dotPlot, lineChart, reliabilityDiagram, SPARSE_BIN, type IntervalValue, type LinePoint, type LineSeries } from './svg-charts.js';

/** One figure of the page: its SVG(s), its legend, and how many data marks and seed points it must show. */
export interface ReportChart {
  id: string;
  title: string;
  caption: string;
  svg: string;
  legend: { name: string; style: SeriesStyle }[];
  marks: number;
  seeds: number;
}

const FRACTION: [number, number] = [0, 1];
const NON_NEGATIVE: [number, number] = [0, Infinity];
/** The headline metrics plotted per combination, when the runs have them. */
const SUMMARY_METRICS = ['top1', 'bestVal.top1', 'nll', 'ece'];

/** The plots of report.html, each only when the runs measured what it shows. */
export function reportCharts(results: BenchResults): ReportChart[] {
  return [
    summary(results),
    ...gridCharts(results, SUMMARY_METRICS),
    perEpochChart(results, TEST_TOP1_PER_EPOCH),
    trainLoss(results),
    perEpochChart(results, LEARNING_RATE_PER_EPOCH),
    reliability(results),
    fgsmCurve(results),
    oodAuroc(results),
    corruptionAccuracy(results),
  ].filter((chart): chart is ReportChart => chart !== null);
}

function styled(results: BenchResults): { name: string; style: SeriesStyle; index: number }[] {
  return results.combinations.map((c, index) => ({ name: c.name, style: seriesStyle(index), index }));
}

function counts(series: readonly LineSeries[]): number {
  return series.reduce((n, s) => n + s.points.length, 0);
}

/** Each finished seed's value of a metric for a combination, in seed order. */
function seedValues(results: BenchResults, combination: string, metric: string): { seed: number; value: number }[] {
  return results.runs
    .filter((r) => r.combination === combination && r.status === 'done' && r.metrics[metric] !== undefined)
    .map((r) => ({ seed: r.seed, value: r.metrics[metric]! }))
    .sort((a, b) => a.seed - b.seed);
}

/** Mean, 95 % interval clipped to the metric's range, and every seed's value. */
function intervalOf(results: BenchResults, combination: string, metric: string): IntervalValue | null {
  const summary = results.combinations.find((c) => c.name === combination)?.metrics[metric];
  if (!summary) return null;
  const clipped = clipInterval(summary, metricRange(metric));
  return { mean: summary.mean, low: clipped.ciLow, high: clipped.ciHigh, seeds: seedValues(results, combination, metric) };
}

function summary(results: BenchResults): ReportChart | null {
  const metrics = SUMMARY_METRICS.filter((m) => results.combinations.some((c) => c.metrics[m]));
  if (metrics.length === 0) return null;
  const legend = styled(results).map(({ name, style }) => ({ name, style }));
  const panels = metrics.map((metric) => {
    const series = legend.map(({ name, style }) => ({ name, style, values: [intervalOf(results, name, metric)] }));
    const direction = results.metrics.find((m) => m.name === metric)?.direction === 'lower' ? '↓' : '↑';
    const range = metricRange(metric);
    return {
      svg: dotPlot({ id: `chart-summary-${metric}`, title: metric, yLabel: `${metric} ${direction}`, groups: [metric], series, yClamp: range, width: 360, height: 300 }),
      marks: series.filter((s) => s.values[0]).length,
      seeds: series.reduce((n, s) => n + (s.values[0]?.seeds.length ?? 0), 0),
    };
  });
  return {
    id: 'summary',
    title: 'Headline metrics per combination',
    caption: "Mean (large marker), 95 % interval of the mean (line, clipped to the metric's range) and each seed's value (small dots to its right).",
    svg: panels.map((p) => p.svg).join(''),
    legend,
    marks: panels.reduce((n, p) => n + p.marks, 0),
    seeds: panels.reduce((n, p) => n + p.seeds, 0),
  };
}

function bandPoints(bands: readonly EpochBand[]): LinePoint[] {
  return bands.map((b) => (b.n > 1 ? { x: b.epoch, y: b.mean, low: b.min, high: b.max } : { x: b.epoch, y: b.mean }));
}

interface PerEpochChartSpec {
  id: string;
  title: string;
  yLabel: string;
  caption: string;
  yClamp: [number, number];
  height: number;
  bands: (combination: CombinationResult) => readonly EpochBand[];
}

const TEST_TOP1_PER_EPOCH: PerEpochChartSpec = {
  id: 'accuracy-per-epoch',
  title: 'Test accuracy per epoch',
  yLabel: 'test top-1',
  caption: 'Top-1 on the test set after each epoch (metrics.jsonl): mean over seeds, the band spans the lowest to the highest seed.',
  yClamp: FRACTION,
  height: 360,
  bands: (c) => c.curves.testTop1,
};

const LEARNING_RATE_PER_EPOCH: PerEpochChartSpec = {
  id: 'learning-rate',
  title: 'Learning rate per epoch',
  yLabel: 'learning rate',
  caption: 'The learning rate of each epoch (metrics.jsonl), mean over seeds with their range.',
  yClamp: NON_NEGATIVE,
  height: 300,
  bands: (c) => c.curves.lr,
};

/** One line per combination through a per-epoch series, with its seeds' band. */
function perEpochChart(results: BenchResults, spec: PerEpochChartSpec): ReportChart | null {
  const series = styled(results)
    .map(({ name, style, index }) => ({ name, style, points: bandPoints(spec.bands(results.combinations[index]!)) }))
    .filter((s) => s.points.length > 0);
  if (series.length === 0) return null;
  return {
    id: spec.id,
    title: spec.title,
    caption: spec.caption,
    svg: lineChart({ id: `chart-${spec.id}`, title: spec.title, xLabel: 'epoch', yLabel: spec.yLabel, series, yClamp: spec.yClamp, height: spec.height }),
    legend: series,
    marks: counts(series),
    seeds: 0,
  };
}

/** One panel per loss term (`total`, `task`, each regularizer's), with the combinations that have it. */
function trainLoss(results: BenchResults): ReportChart | null {
  const terms = [...new Set(results.combinations.flatMap((c) => Object.keys(c.curves.train)))];
  if (terms.length === 0) return null;
  const all = styled(results);
  const panels = terms.map((term) => {
    const series = all
      .map(({ name, style, index }) => ({ name, style, points: bandPoints(results.combinations[index]!.curves.train[term] ?? []) }))
      .filter((s) => s.points.length > 0);
    return { series, svg: lineChart({ id: `chart-train-loss-${term}`, title: `train loss: ${term}`, xLabel: 'epoch', yLabel: `${term} loss`, series, width: 480, height: 300 }) };
  });
  const shown = new Set(panels.flatMap((p) => p.series.map((s) => s.name)));
  return {
    id: 'train-loss',
    title: 'Training loss per term',
    caption: 'Epoch mean of each loss term (total, the task loss, each regularizer), one panel per term: mean over seeds, the band spans the lowest to the highest seed.',
    svg: panels.map((p) => p.svg).join(''),
    legend: all.filter((s) => shown.has(s.name)),
    marks: panels.reduce((n, p) => n + counts(p.series), 0),
    seeds: 0,
  };
}

function reliability(results: BenchResults): ReportChart | null {
  const diagrams = styled(results).flatMap(({ name, style, index }) => {
    const c = results.combinations[index]!;
    return c.reliability ? [{ name, style, bins: c.reliability, ece: c.metrics.ece ? { mean: c.metrics.ece.mean, std: c.metrics.ece.std } : null }] : [];
  });
  if (diagrams.length === 0) return null;
  return {
    id: 'reliability',
    title: 'Reliability diagrams',
    caption: `Accuracy per confidence bin, bins pooled over seeds; the dashed diagonal is perfect calibration. Each panel is headed by its ECE (mean ± std over seeds, each seed's ECE from its own bins) and the images it holds; the grey strip under it gives the images per bin. Faint bars hold under ${SPARSE_BIN * 100} % of the images.`,
    svg: diagrams.map((d) => reliabilityDiagram({ id: `chart-reliability-${d.name}`, title: d.name, color: d.style.color, ece: d.ece, bins: d.bins })).join(''),
    legend: [],
    marks: diagrams.reduce((n, d) => n + d.bins.filter((b) => b.count > 0 && b.accuracy !== null).length, 0),
    seeds: 0,
  };
}

function fgsmCurve(results: BenchResults): ReportChart | null {
  const epsilons = results.metrics.flatMap((m) => {
    const eps = fgsmEpsilon(m.name);
    return eps === null ? [] : [{ metric: m.name, eps }];
  });
  if (epsilons.length === 0) return null;
  const points = [{ metric: FGSM_CLEAN, eps: 0 }, ...epsilons];
  const series = styled(results).map(({ name, style, index }) => {
    const metrics = results.combinations[index]!.metrics;
    return {
      name,
      style,
      points: points.flatMap((p): LinePoint[] => {
        if (!metrics[p.metric]) return [];
        const seeds = seedValues(results, name, p.metric).map((s) => s.value);
        const range = seeds.length > 1 ? { low: Math.min(...seeds), high: Math.max(...seeds) } : {};
        return [{ x: p.eps, y: metrics[p.metric]!.mean, ...range }];
      }),
    };
  });
  const title = 'Accuracy under FGSM';
  return {
    id: 'fgsm',
    title,
    caption: 'Test accuracy against the FGSM radius ε (pixel units of [0, 1]; ε = 0 is the same images unattacked): mean over seeds, the band spans the lowest to the highest seed.',
    svg: lineChart({ id: 'chart-fgsm', title, xLabel: 'ε', yLabel: 'accuracy', series, yClamp: FRACTION }),
    legend: series,
    marks: counts(series),
    seeds: 0,
  };
}

function oodAuroc(results: BenchResults): ReportChart | null {
  const groups = results.metrics.flatMap((m) => {
    const parts = oodAurocParts(m.name);
    return parts ? [{ metric: m.name, label: `${parts.set} · ${parts.score}` }] : [];
  });
  if (groups.length === 0) return null;
  const title = 'OOD detection AUROC';
  return groupedChart(results, 'ood-auroc', title, 'AUROC', groups, "AUROC of telling the test set from each OOD set by each score (MSP, ODIN, energy): mean, 95 % interval over seeds (clipped to [0, 1]) and each seed's value.");
}

function corruptionAccuracy(results: BenchResults): ReportChart | null {
  const groups = results.metrics.flatMap((m) => {
    const corruption = corruptionOf(m.name);
    return corruption ? [{ metric: m.name, label: corruption }] : [];
  });
  if (groups.length === 0) return null;
  const title = 'Accuracy per corruption';
  return groupedChart(results, 'corruptions', title, 'accuracy', groups, "Test accuracy under each corruption, mean over its severities: mean, 95 % interval over seeds (clipped to [0, 1]) and each seed's value.");
}

function groupedChart(results: BenchResults, id: string, title: string, yLabel: string, groups: { metric: string; label: string }[], caption: string): ReportChart {
  const series = styled(results).map(({ name, style }) => ({
    name,
    style,
    values: groups.map((g) => intervalOf(results, name, g.metric)),
  }));
  return {
    id,
    title,
    caption,
    svg: dotPlot({ id: `chart-${id}`, title, yLabel, groups: groups.map((g) => g.label), series, yClamp: FRACTION }),
    legend: series,
    marks: series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0),
    seeds: series.reduce((n, s) => n + s.values.reduce((k, v) => k + (v?.seeds.length ?? 0), 0), 0),
  };
}
