import type { MetricDirection, MetricValue } from '@selfkd/core';
import { metricDirection, type EvalSuite } from '@selfkd/eval';
import { isPlainObject } from '../config/deep-merge.js';
import { COST_PREFIX } from './cost-metrics.js';

/**
 * Test metrics at the epoch a run selected on its validation split (`result.json`'s
 * `bestValidation`, written when the config holds out `data.validation`) carry this prefix:
 * `bestVal.top1` beside the last epoch's `top1`. Never a maximum over the test history.
 */
export const BEST_VALIDATION_PREFIX = 'bestVal.';

/**
 * `bestVal.<metric>` for each test metric at the best-validation epoch; none without a validation
 * split. The epoch itself stays in each run's result.json: it has no better direction to rank by.
 */
export function bestValidationMetrics(result: unknown): MetricValue[] {
  const best = isPlainObject(result) && isPlainObject(result.bestValidation) ? result.bestValidation : undefined;
  if (!best || !isPlainObject(best.test)) return [];
  const out: MetricValue[] = [];
  for (const [name, value] of Object.entries(best.test)) {
    if (typeof value === 'number' && Number.isFinite(value)) out.push({ name: BEST_VALIDATION_PREFIX + name, value });
  }
  return out;
}

/** A metric's direction; a `bestVal.` metric goes the way of the test metric it repeats, a cost is better lower. */
export function benchMetricDirection(name: string, evalSuites?: readonly EvalSuite[]): MetricDirection {
  if (name.startsWith(COST_PREFIX)) return 'lower';
  return metricDirection(name.startsWith(BEST_VALIDATION_PREFIX) ? name.slice(BEST_VALIDATION_PREFIX.length) : name, evalSuites);
}
