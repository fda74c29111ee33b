/** Ten distinguishable colours (Tableau 10); further series get evenly spaced hues. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function seriesColor(index: number): string {
  return PALETTE[index] ?? `hsl(${Math.round((index * 137.5) % 360)}, 55%, 45%)`;
}
