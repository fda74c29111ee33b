/** A linear map from a data interval onto a pixel interval. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** About `count` round tick values (steps of 1, 2 or 5 × 10^k) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (min === max) return [min];
  const rough = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/**
 * A domain around the data, widened by 5 % on each side and to round tick values, so marks never
 * sit on the frame; a single value gets a small interval around it.
 */
export function niceDomain(values: readonly number[], clamp?: readonly [number, number]): [number, number] {
  let min = Math.min(...values);
  let max = Math.max(...values);
  const pad = (max - min) * 0.05 || Math.abs(max) * 0.05 || 0.05;
  min -= pad;
  max += pad;
  if (clamp) {
    min = Math.max(min, clamp[0]);
    max = Math.min(max, clamp[1]);
  }
  const ticks = niceTicks(min, max);
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : pad;
  const low = Math.min(ticks[0]!, Math.floor(min / step) * step);
  const high = Math.max(ticks[ticks.length - 1]!, Math.ceil(max / step) * step);
  return [clamp ? Math.max(low, clamp[0]) : low, clamp ? Math.min(high, clamp[1]) : high];
}
