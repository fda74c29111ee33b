import { escapeHtml, formatNumber } from './format.js';
import { linearScale, niceDomain, niceTicks } from './scale.js';

/**
 * Inline SVG charts. Every data mark has class `mark` and carries its data (`data-series`,
 * `data-x` or `data-group`, `data-value`), so the page's check script, and a test reading the
 * rendered page, can count the marks and compare their values with results.json.
 */

export interface LineSeries {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}

export interface LineChartSpec {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  /** Clamp of the y axis (e.g. [0, 1] for fractions). */
  yClamp?: [number, number];
}

export interface IntervalValue {
  mean: number;
  low: number | null;
  high: number | null;
}

export interface DotSeries {
  name: string;
  color: string;
  /** One per group; null where the series has no value. */
  values: (IntervalValue | null)[];
}

export interface DotPlotSpec {
  id: string;
  title: string;
  yLabel: string;
  groups: string[];
  series: DotSeries[];
  yClamp?: [number, number];
}

export interface ReliabilitySpec {
  id: string;
  title: string;
  color: string;
  bins: { lower: number; upper: number; count: number; confidence: number | null; accuracy: number | null }[];
}

const WIDTH = 720;
const LEGEND_WIDTH = 180;
const MARGIN = { top: 12, left: 64, bottom: 48 };

/** Lines through points, one per series (e.g. test accuracy per epoch, accuracy against ε). */
export function lineChart(spec: LineChartSpec): string {
  const height = 360;
  const points = spec.series.flatMap((s) => s.points);
  const xs = points.map((p) => p.x);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const xDomain: [number, number] = x0 === x1 ? [x0 - 1, x1 + 1] : [x0, x1];
  const yDomain = niceDomain(points.map((p) => p.y), spec.yClamp);
  const plot = { left: MARGIN.left, right: WIDTH - LEGEND_WIDTH, top: MARGIN.top, bottom: height - MARGIN.bottom };
  const x = linearScale(xDomain, [plot.left + 10, plot.right - 10]);
  const y = linearScale(yDomain, [plot.bottom, plot.top]);
  const xTicks = [...new Set(xs)].sort((a, b) => a - b);
  const body = spec.series
    .map((s) => {
      const sorted = [...s.points].sort((a, b) => a.x - b.x);
      const path = sorted.map((p, i) => `${i ? 'L' : 'M'}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(' ');
      const marks = sorted
        .map(
          (p) =>
            `<circle class="mark" data-series="${escapeHtml(s.name)}" data-x="${p.x}" data-value="${p.y}" cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="3" fill="${s.color}"><title>${escapeHtml(s.name)}: ${formatNumber(p.y)} at ${p.x}</title></circle>`,
        )
        .join('');
      return `<g class="series"><path class="line" d="${path}" fill="none" stroke="${s.color}" stroke-width="1.8"/>${marks}</g>`;
    })
    .join('');
  return frame(spec.id, spec.title, height, [
    yAxis(y, yDomain, plot, spec.yLabel),
    xAxis(xTicks.length > 12 ? niceTicks(xDomain[0], xDomain[1], 8) : xTicks, x, plot, spec.xLabel),
    body,
    legend(spec.series, plot.right + 16, plot.top),
  ]);
}

/** Means with their 95 % intervals, grouped (e.g. AUROC per OOD set, accuracy per corruption). */
export function dotPlot(spec: DotPlotSpec): string {
  const height = 400;
  const values = spec.series.flatMap((s) => s.values.flatMap((v) => (v ? [v.mean, v.low ?? v.mean, v.high ?? v.mean] : [])));
  const yDomain = niceDomain(values, spec.yClamp);
  const plot = { left: MARGIN.left, right: WIDTH - LEGEND_WIDTH, top: MARGIN.top, bottom: height - 96 };
  const y = linearScale(yDomain, [plot.bottom, plot.top]);
  const band = (plot.right - plot.left) / spec.groups.length;
  const offset = (i: number): number => band * (0.2 + (0.6 * (i + 0.5)) / spec.series.length);
  const marks = spec.series
    .map((s, i) =>
      s.values
        .map((v, g) => {
          if (!v) return '';
          const cx = (plot.left + g * band + offset(i)).toFixed(1);
          const whisker =
            v.low === null || v.high === null ? '' : `<line class="interval" x1="${cx}" x2="${cx}" y1="${y(v.low).toFixed(1)}" y2="${y(v.high).toFixed(1)}" stroke="${s.color}" stroke-width="1.5"/>`;
          const label = `${escapeHtml(s.name)}, ${escapeHtml(spec.groups[g]!)}: ${formatNumber(v.mean)}`;
          return `${whisker}<circle class="mark" data-series="${escapeHtml(s.name)}" data-group="${escapeHtml(spec.groups[g]!)}" data-value="${v.mean}" cx="${cx}" cy="${y(v.mean).toFixed(1)}" r="3.5" fill="${s.color}"><title>${label}</title></circle>`;
        })
        .join(''),
    )
    .join('');
  const groupLabels = spec.groups
    .map((g, i) => {
      const cx = plot.left + (i + 0.5) * band;
      const divider = i ? `<line x1="${(plot.left + i * band).toFixed(1)}" x2="${(plot.left + i * band).toFixed(1)}" y1="${plot.top}" y2="${plot.bottom}" stroke="#eee"/>` : '';
      return `${divider}<text x="${cx.toFixed(1)}" y="${plot.bottom + 14}" transform="rotate(-35 ${cx.toFixed(1)} ${plot.bottom + 14})" text-anchor="end" font-size="11">${escapeHtml(g)}</text>`;
    })
    .join('');
  return frame(spec.id, spec.title, height, [yAxis(y, yDomain, plot, spec.yLabel), groupLabels, baseLine(plot), marks, legend(spec.series, plot.right + 16, plot.top)]);
}

/** Bins holding less than this share of the images are drawn faint: their accuracy is noise. */
export const SPARSE_BIN = 0.01;

/** Accuracy per confidence bin against the diagonal of perfect calibration. */
export function reliabilityDiagram(spec: ReliabilitySpec): string {
  const size = 240;
  const plot = { left: 44, right: size - 12, top: 30, bottom: size - 36 };
  const x = linearScale([0, 1], [plot.left, plot.right]);
  const y = linearScale([0, 1], [plot.bottom, plot.top]);
  const total = spec.bins.reduce((n, b) => n + b.count, 0);
  const bars = spec.bins
    .filter((b) => b.count > 0 && b.accuracy !== null)
    .map(
      (b) =>
        `<rect class="mark" data-series="${escapeHtml(spec.title)}" data-x="${b.lower}" data-value="${b.accuracy}" x="${x(b.lower).toFixed(1)}" y="${y(b.accuracy!).toFixed(1)}" width="${Math.max(x(b.upper) - x(b.lower) - 1, 1).toFixed(1)}" height="${Math.max(y(0) - y(b.accuracy!), 0.5).toFixed(1)}" fill="${spec.color}" fill-opacity="${b.count < SPARSE_BIN * total ? 0.25 : 0.8}"><title>(${b.lower}, ${b.upper}]: accuracy ${formatNumber(b.accuracy)}, confidence ${formatNumber(b.confidence)}, ${b.count} images</title></rect>`,
    )
    .join('');
  const diagonal = `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#555" stroke-dasharray="4 3"/>`;
  const ticks = [0, 0.5, 1];
  const axes =
    ticks.map((t) => `<text x="${plot.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="10">${t}</text>`).join('') +
    ticks.map((t) => `<text x="${x(t)}" y="${plot.bottom + 14}" text-anchor="middle" font-size="10">${t}</text>`).join('') +
    `<text x="${(plot.left + plot.right) / 2}" y="${size - 6}" text-anchor="middle" font-size="11">confidence</text>` +
    `<text transform="translate(12 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="11">accuracy</text>` +
    `<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="#999"/>`;
  return `<svg class="chart" id="${spec.id}" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}" role="img" aria-label="${escapeHtml(spec.title)}"><text x="${size / 2}" y="18" text-anchor="middle" font-size="12" font-weight="bold">${escapeHtml(spec.title)}</text>${bars}${diagonal}${axes}</svg>`;
}

/** The page heads each chart, so the title is only the SVG's accessible name. */
function frame(id: string, title: string, height: number, parts: string[]): string {
  return `<svg class="chart" id="${id}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeHtml(title)}">${parts.join('')}</svg>`;
}

interface PlotArea {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function yAxis(y: (v: number) => number, domain: [number, number], plot: PlotArea, label: string): string {
  const ticks = niceTicks(domain[0], domain[1])
    .map((t) => `<line x1="${plot.left}" x2="${plot.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eee"/><text x="${plot.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" font-size="11">${t}</text>`)
    .join('');
  return `${ticks}<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.bottom}" stroke="#999"/><text transform="translate(16 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeHtml(label)}</text>`;
}

function xAxis(ticks: number[], x: (v: number) => number, plot: PlotArea, label: string): string {
  const marks = ticks.map((t) => `<text x="${x(t).toFixed(1)}" y="${plot.bottom + 16}" text-anchor="middle" font-size="11">${t}</text>`).join('');
  return `${baseLine(plot)}${marks}<text x="${(plot.left + plot.right) / 2}" y="${plot.bottom + 36}" text-anchor="middle" font-size="12">${escapeHtml(label)}</text>`;
}

function baseLine(plot: PlotArea): string {
  return `<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="#999"/>`;
}

function legend(series: readonly { name: string; color: string }[], left: number, top: number): string {
  return series
    .map(
      (s, i) =>
        `<g class="legend"><rect x="${left}" y="${top + i * 18}" width="12" height="12" fill="${s.color}"/><text x="${left + 18}" y="${top + i * 18 + 10}" font-size="12">${escapeHtml(s.name)}</text></g>`,
    )
    .join('');
}
