import type { BenchResults } from '../aggregate/bench-results.js';
import { isPlainObject } from '../config/deep-merge.js';

/** `cs-kd(T=4, w=1) + sd-dropout(rate=0.5)`, or `none` for the baseline. */
export function describeRegularizers(regularizers: readonly unknown[]): string {
  if (regularizers.length === 0) return 'none';
  return regularizers
    .map((entry) => {
      if (!isPlainObject(entry)) return String(entry);
      const { type, ...options } = entry;
      const settings = Object.entries(options).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
      return settings.length ? `${String(type)}(${settings.join(', ')})` : String(type);
    })
    .join(' + ');
}

/** Counts of runs by status, e.g. `24 done, 1 failed`. */
export function describeRunCounts(results: BenchResults): string {
  const counts = new Map<string, number>();
  for (const run of results.runs) counts.set(run.status, (counts.get(run.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ') || 'no runs';
}
