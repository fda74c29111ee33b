import type { BenchResults } from '../aggregate/bench-results.js';
import { isPlainObject } from '../config/deep-merge.js';
import { describeOptions } from '../config/describe-options.js';

/** `cs-kd(T=4, w=1) + sd-dropout(rate=0.5)`, or `none` for the baseline. */
export function describeRegularizers(regularizers: readonly unknown[]): string {
  if (regularizers.length === 0) return 'none';
  return regularizers
    .map((entry) => (isPlainObject(entry) ? describeOptions(entry, 'type') : String(entry)))
    .join(' + ');
}

/** Counts of runs by status, e.g. `24 done, 1 failed`. */
export function describeRunCounts(results: BenchResults): string {
  const counts = new Map<string, number>();
  for (const run of results.runs) counts.set(run.status, (counts.get(run.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ') || 'no runs';
}
