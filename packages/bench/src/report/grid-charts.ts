import type { BenchResults, CombinationResult } from '../aggregate/bench-results.js';
import { metricRange } from './metric-range.js';
import { seriesStyle } from './palette.js';
import type { ReportChart } from './report-charts.js';
import { lineChart, type LineSeries } from './svg-charts.js';

type GridValue = string | number | boolean;

/**
 * For each grid (a group of points with `gridValues`) and each option it varies: the metrics
 * against the option's values, one panel per metric, one line per setting of the grid's other
 * options, mean over seeds with a band from the lowest to the highest seed.
 */
export function gridCharts(results: BenchResults, metrics: readonly string[]): ReportChart[] {
  const groups = [...new Set(results.combinations.flatMap((c) => (c.group !== null && c.gridValues !== null ? [c.group] : [])))];
  return groups.flatMap((group) => {
    const points = results.combinations.filter((c): c is CombinationResult & { gridValues: Record<string, GridValue> } => c.group === group && c.gridValues !== null);
    const paths = Object.keys(points[0]!.gridValues);
    return paths.flatMap((path) => {
      const values = distinct(points.map((p) => p.gridValues[path]!));
      if (values.length < 2) return [];
      return [optionChart(results, group, path, values, points, paths.filter((other) => other !== path), metrics)];
    });
  });
}

function optionChart(
  results: BenchResults,
  group: string,
  path: string,
  values: GridValue[],
  points: (CombinationResult & { gridValues: Record<string, GridValue> })[],
  others: string[],
  metrics: readonly string[],
): ReportChart {
  const settingOf = (p: (typeof points)[number]): string => others.map((o) => `${o}=${String(p.gridValues[o])}`).join(', ') || group;
  const settings = distinct(points.map(settingOf));
  const legend = settings.map((name, i) => ({ name, style: seriesStyle(i) }));
  const seedRange = (combination: string, metric: string): { low: number; high: number } | Record<string, never> => {
    const seeds = results.runs.flatMap((r) => (r.combination === combination && r.status === 'done' && r.metrics[metric] !== undefined ? [r.metrics[metric]] : []));
    return seeds.length > 1 ? { low: Math.min(...seeds), high: Math.max(...seeds) } : {};
  };
  const panels = metrics
    .filter((metric) => points.some((p) => p.metrics[metric]))
    .map((metric) => {
      const series: LineSeries[] = legend
        .map(({ name, style }) => ({
          name,
          style,
          points: points
            .filter((p) => settingOf(p) === name && p.metrics[metric])
            .map((p) => ({ x: values.indexOf(p.gridValues[path]!), y: p.metrics[metric]!.mean, ...seedRange(p.name, metric) })),
        }))
        .filter((s) => s.points.length > 0);
      const direction = results.metrics.find((m) => m.name === metric)?.direction === 'lower' ? '↓' : '↑';
      const title = `${group}: ${metric} against ${path}`;
      const svg = lineChart({ id: `chart-grid-${group}-${path}-${metric}`, title, xLabel: path, yLabel: `${metric} ${direction}`, series, yClamp: metricRange(metric), xCategories: values.map(String), width: 480, height: 300 });
      return { svg, marks: series.reduce((n, s) => n + s.points.length, 0) };
    });
  const lines = others.length ? `one line per setting of ${others.join(', ')}` : 'one line';
  return {
    id: `grid-${group}-${path}`,
    title: `Grid ${group}: metrics against ${path}`,
    caption: `Each point of grid ${group} at its value of ${path} (equally spaced, in the grid's order), ${lines}: mean over seeds, the band spans the lowest to the highest seed.`,
    svg: panels.map((p) => p.svg).join(''),
    legend,
    marks: panels.reduce((n, p) => n + p.marks, 0),
    seeds: 0,
  };
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
