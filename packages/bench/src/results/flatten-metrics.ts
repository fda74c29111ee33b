import type { MetricValue } from '@selfkd/core';
import { evalMetrics, type EvalSuite } from '@selfkd/eval';
import { isPlainObject } from '../config/deep-merge.js';
import { bestValidationMetrics } from './best-validation-metrics.js';
import { costMetrics } from './cost-metrics.js';

/**
 * Every scalar metric of a run's result.json, in a fixed order: its evaluation report flattened by
 * the suites (default: the built-ins), each naming its own metrics. Test top-1 and NLL come from the classification
 * suite when it ran (the whole test set), else from the last epoch's test metrics, read as that
 * suite's part. Runs with a validation split add the test metrics at their best-validation epoch
 * (`bestVal.top1`, …, see best-validation-metrics.ts). Last, what the run cost (`cost.cpuSeconds`, …,
 * see cost-metrics.ts).
 */
export function flattenMetrics(result: unknown, evalSuites?: readonly EvalSuite[]): MetricValue[] {
  const root = isPlainObject(result) ? result : {};
  const report = isPlainObject(root.eval) ? root.eval : {};
  const evaluated = evalMetrics(isPlainObject(report.classification) ? report : { ...report, classification: root.metrics }, evalSuites);
  return [...evaluated, ...bestValidationMetrics(root), ...costMetrics(root)];
}
