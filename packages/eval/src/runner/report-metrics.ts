import type { MetricDirection, MetricValue } from '@selfkd/core';
import { builtinEvalSuites } from '../suites/builtin-suites.js';
import type { EvalSuite } from './eval-suite.js';
import { finiteMetrics, objectOr } from './read-part.js';

/**
 * Every scalar of an evaluation report under its flat name, suite by suite in the suites' order,
 * each suite flattening its own part. Suites missing from the report (or from `suites`) give
 * nothing; values that are not finite numbers are left out, never guessed. The report may be read
 * back from a file (a result.json's `eval`).
 */
export function evalMetrics(report: unknown, suites: readonly EvalSuite[] = builtinEvalSuites): MetricValue[] {
  const parts = objectOr(report);
  return suites.flatMap((suite) => (parts[suite.name] === undefined ? [] : finiteMetrics(suite.metrics(parts[suite.name]).map((m) => [m.name, m.value]))));
}

/**
 * Whether a larger or a smaller value of a flattened metric is better, as the suite that makes it
 * says. A name no given suite claims (a suite that is not loaded) counts as higher-is-better, as
 * accuracies, AUROC and AUPR are.
 */
export function metricDirection(name: string, suites: readonly EvalSuite[] = builtinEvalSuites): MetricDirection {
  for (const suite of suites) {
    const direction = suite.direction(name);
    if (direction) return direction;
  }
  return 'higher';
}
