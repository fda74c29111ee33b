import { escapeHtml, formatNumber } from './format.js';
import type { SeriesStyle } from './palette.js';
import { linearScale, niceDomain, niceTicks } from './scale.js';
import { markerSvg } from './series-marker.js';

/**
 * Inline SVG charts. Every data mark has class `mark` and carries its data (`data-series`,
 * `data-x` or `data-group`, `data-value`); per-seed points have class `seed`. The page's check
 * script, and a test reading the rendered page, count them and compare their values with
 * results.json. Legends are HTML beside the SVG (see legend.ts), so many or long names never
 * run out of a chart's view box.
 */

export interface LinePoint {
  x: number;
  y: number;
  /** The seeds' range at x, drawn as a band (absent with one seed). */
  low?: number;
  high?: number;
}

export interface LineSeries {
  name: string;
  style: SeriesStyle;
  points: LinePoint[];
}

export interface LineChartSpec {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  /** Clamp of the y axis (e.g. [0, 1] for fractions). */
  yClamp?: readonly [number, number];
  /** Names of the x positions 0, 1, …, for an axis of settings rather than numbers. */
  xCategories?: readonly string[];
  width?: number;
  height?: number;
}

export interface IntervalValue {
  mean: number;
  low: number | null;
  high: number | null;
  /** Each seed's value, drawn as small dots beside the mean. */
  seeds: { seed: number; value: number }[];
}

export interface DotSeries {
  name: string;
  style: SeriesStyle;
  /** One per group; null where the series has no value. */
  values: (IntervalValue | null)[];
}

export interface DotPlotSpec {
  id: string;
  title: string;
  yLabel: string;
  groups: string[];
  series: DotSeries[];
  yClamp?: readonly [number, number];
  width?: number;
  height?: number;
}

export interface ReliabilitySpec {
  id: string;
  title: string;
  color: string;
  /** The runs' ECE over seeds (the calibration suite's, from each run's own bins). */
  ece: { mean: number; std: number | null } | null;
  bins: { lower: number; upper: number; count: number; confidence: number | null; accuracy: number | null }[];
}

const WIDTH = 720;
const MARGIN = { top: 12, left: 64, right: 16, bottom: 48 };

/** Lines through points, one per series, with the seeds' range as a band (e.g. test accuracy per epoch). */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? WIDTH;
  const height = spec.height ?? 360;
  const points = spec.series.flatMap((s) => s.points);
  const xs = points.map((p) => p.x);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const xDomain: [number, number] = x0 === x1 ? [x0 - 1, x1 + 1] : [x0, x1];
  const yDomain = niceDomain(
    points.flatMap((p) => [p.y, p.low ?? p.y, p.high ?? p.y]),
    spec.yClamp,
  );
  const plot = { left: MARGIN.left, right: width - MARGIN.right, top: MARGIN.top, bottom: height - MARGIN.bottom };
  const x = linearScale(xDomain, [plot.left + 10, plot.right - 10]);
  const y = linearScale(yDomain, [plot.bottom, plot.top]);
  const xTicks = [...new Set(xs)].sort((a, b) => a - b);
  const xTickMarks = spec.xCategories
    ? spec.xCategories.map((label, at) => ({ at, label }))
    : (xTicks.length > 12 ? niceTicks(xDomain[0], xDomain[1], 8) : xTicks).map((at) => ({ at, label: String(at) }));
  const body = spec.series
    .map((s) => {
      const sorted = [...s.points].sort((a, b) => a.x - b.x);
      const path = sorted.map((p, i) => `${i ? 'L' : 'M'}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(' ');
      const banded = sorted.filter((p) => p.low !== undefined && p.high !== undefined);
      const band =
        banded.length > 1
          ? `<path class="band" data-series="${escapeHtml(s.name)}" d="${[...banded.map((p) => [p.x, p.high!] as const), ...[...banded].reverse().map((p) => [p.x, p.low!] as const)]
              .map(([px, py], i) => `${i ? 'L' : 'M'}${x(px).toFixed(1)},${y(py).toFixed(1)}`)
              .join(' ')} Z" fill="${s.style.color}" fill-opacity="0.15" stroke="none"/>`
          : '';
      const marks = sorted
        .map((p) =>
          markerSvg(s.style, x(p.x), y(p.y), 3, {
            class: 'mark',
            'data-series': s.name,
            'data-x': String(p.x),
            'data-value': String(p.y),
            ...(p.low === undefined ? {} : { 'data-low': String(p.low), 'data-high': String(p.high) }),
            title: `${s.name}: ${formatNumber(p.y)} at ${spec.xCategories?.[p.x] ?? p.x}${p.low === undefined ? '' : ` (seeds ${formatNumber(p.low)} to ${formatNumber(p.high)})`}`,
          }),
        )
        .join('');
      const dash = s.style.dash ? ` stroke-dasharray="${s.style.dash}"` : '';
      return `<g class="series">${band}<path class="line" d="${path}" fill="none" stroke="${s.style.color}" stroke-width="1.8"${dash}/>${marks}</g>`;
    })
    .join('');
  return frame(spec.id, spec.title, width, height, [
    yAxis(y, yDomain, plot, spec.yLabel),
    xAxis(xTickMarks, x, plot, spec.xLabel),
    body,
  ]);
}

/** Means with their 95 % intervals and each seed's value, grouped (e.g. AUROC per OOD set). */
export function dotPlot(spec: DotPlotSpec): string {
  const width = spec.width ?? WIDTH;
  const height = spec.height ?? 400;
  const values = spec.series.flatMap((s) => s.values.flatMap((v) => (v ? [v.mean, v.low ?? v.mean, v.high ?? v.mean, ...v.seeds.map((p) => p.value)] : [])));
  const yDomain = niceDomain(values, spec.yClamp);
  const plot = { left: MARGIN.left, right: width - MARGIN.right, top: MARGIN.top, bottom: height - 96 };
  const y = linearScale(yDomain, [plot.bottom, plot.top]);
  const band = (plot.right - plot.left) / spec.groups.length;
  const slot = (0.8 * band) / spec.series.length;
  const offset = (i: number): number => band * 0.1 + slot * (i + 0.35);
  const marks = spec.series
    .map((s, i) =>
      s.values
        .map((v, g) => {
          if (!v) return '';
          const cx = plot.left + g * band + offset(i);
          const group = spec.groups[g]!;
          const whisker =
            v.low === null || v.high === null
              ? ''
              : `<line class="interval" x1="${cx.toFixed(1)}" x2="${cx.toFixed(1)}" y1="${y(v.low).toFixed(1)}" y2="${y(v.high).toFixed(1)}" stroke="${s.style.color}" stroke-width="1.5"/>`;
          const mean = markerSvg(s.style, cx, y(v.mean), 3.5, {
            class: 'mark',
            'data-series': s.name,
            'data-group': group,
            'data-value': String(v.mean),
            title: `${s.name}, ${group}: ${formatNumber(v.mean)}${v.low === null ? '' : ` [${formatNumber(v.low)}, ${formatNumber(v.high)}]`}`,
          });
          // Seeds sit just right of the mean, inside the series' slot, so neighbours never overlap.
          const seedX = cx + Math.min(slot * 0.4, 6);
          const seeds = v.seeds
            .map(
              (p) =>
                `<circle class="seed" data-series="${escapeHtml(s.name)}" data-group="${escapeHtml(group)}" data-seed="${p.seed}" data-value="${p.value}" cx="${seedX.toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="1.6" fill="${s.style.color}" fill-opacity="0.75"><title>${escapeHtml(s.name)}, ${escapeHtml(group)}, seed ${p.seed}: ${formatNumber(p.value)}</title></circle>`,
            )
            .join('');
          return `${whisker}${mean}${seeds}`;
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
  return frame(spec.id, spec.title, width, height, [yAxis(y, yDomain, plot, spec.yLabel), groupLabels, baseLine(plot), marks]);
}

/** Bins holding less than this share of the images are drawn faint: their accuracy is noise. */
export const SPARSE_BIN = 0.01;

/**
 * Accuracy per confidence bin against the diagonal of perfect calibration, headed by the ECE, with
 * the images per bin as a strip of bars and numbers under the confidence axis.
 */
export function reliabilityDiagram(spec: ReliabilitySpec): string {
  const width = 260;
  const height = 330;
  const plot = { left: 44, right: width - 12, top: 44, bottom: 244 };
  const strip = { top: plot.bottom + 34, bottom: height - 8 };
  const x = linearScale([0, 1], [plot.left, plot.right]);
  const y = linearScale([0, 1], [plot.bottom, plot.top]);
  const total = spec.bins.reduce((n, b) => n + b.count, 0);
  const maxCount = Math.max(...spec.bins.map((b) => b.count), 1);
  const binWidth = (b: { lower: number; upper: number }): number => Math.max(x(b.upper) - x(b.lower) - 1, 1);
  const bars = spec.bins
    .filter((b) => b.count > 0 && b.accuracy !== null)
    .map(
      (b) =>
        `<rect class="mark" data-series="${escapeHtml(spec.title)}" data-x="${b.lower}" data-value="${b.accuracy}" x="${x(b.lower).toFixed(1)}" y="${y(b.accuracy!).toFixed(1)}" width="${binWidth(b).toFixed(1)}" height="${Math.max(y(0) - y(b.accuracy!), 0.5).toFixed(1)}" fill="${spec.color}" fill-opacity="${b.count < SPARSE_BIN * total ? 0.25 : 0.8}"><title>(${b.lower}, ${b.upper}]: accuracy ${formatNumber(b.accuracy)}, confidence ${formatNumber(b.confidence)}, ${b.count} images</title></rect>`,
    )
    .join('');
  const counts = spec.bins
    .filter((b) => b.count > 0)
    .map((b) => {
      const barHeight = Math.max(((strip.bottom - strip.top) * b.count) / maxCount, 0.5);
      const cx = x(b.lower) + binWidth(b) / 2;
      return (
        `<rect class="count" data-x="${b.lower}" data-count="${b.count}" x="${x(b.lower).toFixed(1)}" y="${(strip.bottom - barHeight).toFixed(1)}" width="${binWidth(b).toFixed(1)}" height="${barHeight.toFixed(1)}" fill="#ccc"/>` +
        `<text class="count-label" x="${(cx + 3).toFixed(1)}" y="${strip.bottom - 2}" transform="rotate(-90 ${(cx + 3).toFixed(1)} ${strip.bottom - 2})" font-size="8">${b.count}</text>`
      );
    })
    .join('');
  const diagonal = `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#555" stroke-dasharray="4 3"/>`;
  const ticks = [0, 0.5, 1];
  const axes =
    ticks.map((t) => `<text x="${plot.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="10">${t}</text>`).join('') +
    ticks.map((t) => `<text x="${x(t)}" y="${plot.bottom + 14}" text-anchor="middle" font-size="10">${t}</text>`).join('') +
    `<text x="${(plot.left + plot.right) / 2}" y="${plot.bottom + 27}" text-anchor="middle" font-size="11">confidence</text>` +
    `<text transform="translate(12 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="11">accuracy</text>` +
    `<text transform="translate(12 ${(strip.top + strip.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="9">images</text>` +
    `<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="#999"/>`;
  const ece = spec.ece ? `ECE ${formatNumber(spec.ece.mean)}${spec.ece.std === null ? '' : ` ± ${formatNumber(spec.ece.std)}`}` : 'ECE –';
  const heading =
    `<text x="${width / 2}" y="16" text-anchor="middle" font-size="12" font-weight="bold"${squeeze(spec.title, width - 8)}>${escapeHtml(spec.title)}</text>` +
    `<text class="ece" x="${width / 2}" y="32" text-anchor="middle" font-size="11">${ece} · ${total} images</text>`;
  return `<svg class="chart" id="${spec.id}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(spec.title)}">${heading}${bars}${diagonal}${axes}${counts}</svg>`;
}

/** A long title is squeezed into the panel's width rather than cut off by its view box. */
function squeeze(text: string, available: number): string {
  const bold12pxWidth = 7.5 * text.length;
  return bold12pxWidth > available ? ` textLength="${available}" lengthAdjust="spacingAndGlyphs"` : '';
}

/** The page heads each chart, so the title is only the SVG's accessible name. */
function frame(id: string, title: string, width: number, height: number, parts: string[]): string {
  return `<svg class="chart" id="${id}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">${parts.join('')}</svg>`;
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

function xAxis(ticks: { at: number; label: string }[], x: (v: number) => number, plot: PlotArea, label: string): string {
  const marks = ticks.map((t) => `<text x="${x(t.at).toFixed(1)}" y="${plot.bottom + 16}" text-anchor="middle" font-size="11">${escapeHtml(t.label)}</text>`).join('');
  return `${baseLine(plot)}${marks}<text x="${(plot.left + plot.right) / 2}" y="${plot.bottom + 36}" text-anchor="middle" font-size="12">${escapeHtml(label)}</text>`;
}

function baseLine(plot: PlotArea): string {
  return `<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="#999"/>`;
}
