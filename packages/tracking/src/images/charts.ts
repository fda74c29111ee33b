import { Raster, type Rgb } from './raster.js';

export const SERIES_COLORS: readonly Rgb[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
];
const AXIS: Rgb = [120, 120, 120];
const GRID: Rgb = [225, 225, 225];
const MARGIN = 16;

/**
 * Line chart of one or more series over their index (epochs), each in its SERIES_COLORS colour,
 * on a shared y range with grid lines at quarters. Images carry no text: the tag names the chart.
 */
export function lineChart(series: readonly (readonly number[])[], width = 480, height = 320): Raster {
  const raster = new Raster(width, height);
  const finite = series.flat().filter(Number.isFinite);
  const low = finite.length ? Math.min(...finite) : 0;
  const high = finite.length ? Math.max(...finite) : 1;
  const span = high - low || 1;
  const longest = Math.max(2, ...series.map((s) => s.length));
  const px = (i: number) => MARGIN + ((width - 2 * MARGIN) * i) / (longest - 1);
  const py = (v: number) => height - MARGIN - ((height - 2 * MARGIN) * (v - low)) / span;
  drawFrame(raster);
  series.forEach((values, k) => {
    const color = SERIES_COLORS[k % SERIES_COLORS.length]!;
    for (let i = 1; i < values.length; i++) {
      if (Number.isFinite(values[i - 1]) && Number.isFinite(values[i])) raster.line(px(i - 1), py(values[i - 1]!), px(i), py(values[i]!), color);
    }
    if (values.length === 1 && Number.isFinite(values[0])) raster.fillRect(px(0) - 2, py(values[0]!) - 2, px(0) + 2, py(values[0]!) + 2, color);
  });
  return raster;
}

export interface ReliabilityBar {
  lower: number;
  upper: number;
  /** Fraction correct in the bin; null for an empty bin. */
  accuracy: number | null;
  /** Mean confidence in the bin; null for an empty bin. */
  confidence: number | null;
}

/**
 * Reliability diagram on the unit square: one bar per bin up to its accuracy (blue), a red line at
 * its mean confidence (the over-confidence gap above the bar shaded light red), and the diagonal of
 * perfect calibration in grey.
 */
export function reliabilityChart(bars: readonly ReliabilityBar[], size = 320): Raster {
  const raster = new Raster(size, size);
  const inner = size - 2 * MARGIN;
  const px = (v: number) => MARGIN + inner * v;
  const py = (v: number) => size - MARGIN - inner * v;
  drawFrame(raster);
  for (const bar of bars) {
    if (bar.accuracy === null || bar.confidence === null) continue;
    const x0 = px(bar.lower) + 1;
    const x1 = px(bar.upper) - 1;
    raster.fillRect(x0, py(0), x1, py(bar.accuracy), [31, 119, 180]);
    if (bar.confidence > bar.accuracy) raster.fillRect(x0, py(bar.accuracy), x1, py(bar.confidence), [255, 152, 150]);
    raster.fillRect(x0, py(bar.confidence), x1, py(bar.confidence) + 1, [214, 39, 40]);
  }
  raster.line(px(0), py(0), px(1), py(1), AXIS);
  return raster;
}

function drawFrame(raster: Raster): void {
  const { width, height } = raster;
  for (let q = 1; q < 4; q++) {
    const y = MARGIN + ((height - 2 * MARGIN) * q) / 4;
    raster.fillRect(MARGIN, y, width - MARGIN, y, GRID);
  }
  raster.fillRect(MARGIN, height - MARGIN, width - MARGIN, height - MARGIN, AXIS);
  raster.fillRect(MARGIN, MARGIN, MARGIN, height - MARGIN, AXIS);
}
