/**
 * Twelve colours chosen to stay apart (every pair at least 25 CIELAB ΔE apart, each far from the
 * white page). Beyond twelve series the colours repeat with another dash pattern and marker, so
 * series 1 and 13 differ in line and point shape.
 */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#1a1a1a', '#0b3d91'] as const;

/** SVG stroke-dasharray per round of twelve ('' is solid). */
const DASHES = ['', '6 3', '2 2', '8 3 2 3'] as const;

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';
const MARKERS: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond'];

/** How one series is drawn in every chart of the page. */
export interface SeriesStyle {
  color: string;
  dash: string;
  marker: MarkerShape;
}

export function seriesStyle(index: number): SeriesStyle {
  const round = Math.floor(index / PALETTE.length);
  return { color: PALETTE[index % PALETTE.length]!, dash: DASHES[round % DASHES.length]!, marker: MARKERS[round % MARKERS.length]! };
}
