import type { MetricValue } from '@selfkd/core';
import { isPlainObject } from '../config/deep-merge.js';

/** What a run cost (result.json `cost`, written by the trainer): every one of them is better smaller. */
export const COST_PREFIX = 'cost.';

/** The model's size and work per image, and the CPU time of the training process. */
const COST_METRICS = ['parameters', 'trainingFlopsPerImage', 'cpuSeconds'];

/** `cost.parameters`, `cost.trainingFlopsPerImage`, `cost.cpuSeconds`, where result.json has them. */
export function costMetrics(result: unknown): MetricValue[] {
  const cost = isPlainObject(result) && isPlainObject(result.cost) ? result.cost : {};
  return COST_METRICS.flatMap((name) => {
    const value = cost[name];
    return typeof value === 'number' && Number.isFinite(value) ? [{ name: COST_PREFIX + name, value }] : [];
  });
}
