import { corruptionOf, fgsmEpsilon, FGSM_CLEAN, oodAurocParts } from '@selfkd/eval';
import type { BenchResults } from '../aggregate/bench-results.js';
import type { Summary } from '../stats/summary.js';
import { seriesColor } from './palette.js';
import { dotPlot, lineChart, reliabilityDiagram, SPARSE_BIN, type IntervalValue } from './svg-charts.js';

/** One figure of the page: its SVG(s) and how many data marks it must show. */
export interface ReportChart {
  id: string;
  title: string;
  caption: string;
  svg: string;
  marks: number;
}

const FRACTION: [number, number] = [0, 1];

/** The plots of report.html, each only when the runs measured what it shows. */
export function reportCharts(results: BenchResults): ReportChart[] {
  return [accuracyPerEpoch(results), reliability(results), fgsmCurve(results), oodAuroc(results), corruptionAccuracy(results)].filter(
    (chart): chart is ReportChart => chart !== null,
  );
}

function colored(results: BenchResults): { name: string; color: string; index: number }[] {
  return results.combinations.map((c, index) => ({ name: c.name, color: seriesColor(index), index }));
}

function accuracyPerEpoch(results: BenchResults): ReportChart | null {
  const series = colored(results)
    .map(({ name, color, index }) => ({ name, color, points: results.combinations[index]!.curve.map((p) => ({ x: p.epoch, y: p.top1.mean })) }))
    .filter((s) => s.points.length > 0);
  if (series.length === 0) return null;
  const title = 'Test accuracy per epoch';
  return {
    id: 'accuracy-per-epoch',
    title,
    caption: 'Top-1 on the test set after each epoch (metrics.jsonl), mean over seeds.',
    svg: lineChart({ id: 'chart-accuracy-per-epoch', title, xLabel: 'epoch', yLabel: 'test top-1', series, yClamp: FRACTION }),
    marks: series.reduce((n, s) => n + s.points.length, 0),
  };
}

function reliability(results: BenchResults): ReportChart | null {
  const diagrams = colored(results).flatMap(({ name, color, index }) => {
    const bins = results.combinations[index]!.reliability;
    return bins ? [{ name, color, bins }] : [];
  });
  if (diagrams.length === 0) return null;
  return {
    id: 'reliability',
    title: 'Reliability diagrams',
    caption: `Accuracy per confidence bin, bins pooled over seeds; the dashed diagonal is perfect calibration. Faint bars hold under ${SPARSE_BIN * 100} % of the images.`,
    svg: diagrams.map((d) => reliabilityDiagram({ id: `chart-reliability-${d.name}`, title: d.name, color: d.color, bins: d.bins })).join(''),
    marks: diagrams.reduce((n, d) => n + d.bins.filter((b) => b.count > 0 && b.accuracy !== null).length, 0),
  };
}

function fgsmCurve(results: BenchResults): ReportChart | null {
  const epsilons = results.metrics.flatMap((m) => {
    const eps = fgsmEpsilon(m.name);
    return eps === null ? [] : [{ metric: m.name, eps }];
  });
  if (epsilons.length === 0) return null;
  const points = [{ metric: FGSM_CLEAN, eps: 0 }, ...epsilons];
  const series = colored(results).map(({ name, color, index }) => {
    const metrics = results.combinations[index]!.metrics;
    return { name, color, points: points.flatMap((p) => (metrics[p.metric] ? [{ x: p.eps, y: metrics[p.metric]!.mean }] : [])) };
  });
  const title = 'Accuracy under FGSM';
  return {
    id: 'fgsm',
    title,
    caption: 'Test accuracy against the FGSM radius ε (pixel units of [0, 1]; ε = 0 is the same images unattacked), mean over seeds.',
    svg: lineChart({ id: 'chart-fgsm', title, xLabel: 'ε', yLabel: 'accuracy', series, yClamp: FRACTION }),
    marks: series.reduce((n, s) => n + s.points.length, 0),
  };
}

function oodAuroc(results: BenchResults): ReportChart | null {
  const groups = results.metrics.flatMap((m) => {
    const parts = oodAurocParts(m.name);
    return parts ? [{ metric: m.name, label: `${parts.set} · ${parts.score}` }] : [];
  });
  if (groups.length === 0) return null;
  const title = 'OOD detection AUROC';
  return groupedChart(results, 'ood-auroc', title, 'AUROC', groups, 'AUROC of telling the test set from each OOD set by each score (MSP, ODIN, energy); mean and 95 % interval over seeds.');
}

function corruptionAccuracy(results: BenchResults): ReportChart | null {
  const groups = results.metrics.flatMap((m) => {
    const corruption = corruptionOf(m.name);
    return corruption ? [{ metric: m.name, label: corruption }] : [];
  });
  if (groups.length === 0) return null;
  const title = 'Accuracy per corruption';
  return groupedChart(results, 'corruptions', title, 'accuracy', groups, 'Test accuracy under each corruption, mean over its severities; mean and 95 % interval over seeds.');
}

function groupedChart(results: BenchResults, id: string, title: string, yLabel: string, groups: { metric: string; label: string }[], caption: string): ReportChart {
  const series = colored(results).map(({ name, color, index }) => ({
    name,
    color,
    values: groups.map((g) => intervalOf(results.combinations[index]!.metrics[g.metric])),
  }));
  return {
    id,
    title,
    caption,
    svg: dotPlot({ id: `chart-${id}`, title, yLabel, groups: groups.map((g) => g.label), series, yClamp: FRACTION }),
    marks: series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0),
  };
}

function intervalOf(summary: Summary | undefined): IntervalValue | null {
  return summary ? { mean: summary.mean, low: summary.ciLow, high: summary.ciHigh } : null;
}
