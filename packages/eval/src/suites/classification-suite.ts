import { z, type MetricDirection } from '@selfkd/core';
import { brierScore } from '../metrics/brier.js';
import { negativeLogLikelihood } from '../metrics/nll.js';
import { softmaxRows } from '../metrics/rows.js';
import { topKAccuracy } from '../metrics/top-k-accuracy.js';
import { defineEvalSuite } from '../runner/eval-suite.js';
import { percent } from '../runner/format-values.js';
import { finiteMetrics, objectOr } from '../runner/read-part.js';
import { textTable } from '../runner/text-table.js';

export interface ClassificationReport {
  images: number;
  top1: number;
  /** Only with more than 5 classes (with 5 or fewer it is always 1). */
  top5?: number;
  /** Mean negative log-likelihood, nats. */
  nll: number;
  brier: number;
}

const METRICS = new Map<string, MetricDirection>([
  ['top1', 'higher'],
  ['top5', 'higher'],
  ['nll', 'lower'],
  ['brier', 'lower'],
]);

function classificationReport(logits: Float32Array, labels: Int32Array, numClasses: number): ClassificationReport {
  return {
    images: labels.length,
    top1: topKAccuracy(logits, labels, numClasses, 1),
    ...(numClasses > 5 ? { top5: topKAccuracy(logits, labels, numClasses, 5) } : {}),
    nll: negativeLogLikelihood(logits, labels, numClasses),
    brier: brierScore(softmaxRows(logits, numClasses), labels, numClasses),
  };
}

/** Accuracy, NLL and Brier score on the whole test set (`eval.suite: basic` runs it alone). */
export const classificationSuite = defineEvalSuite({
  name: 'classification',
  description: 'top-1 and top-5 accuracy, negative log-likelihood and Brier score on the whole test set',
  options: z.strictObject({}),
  async run(ctx): Promise<ClassificationReport> {
    const { logits, labels } = await ctx.testLogits();
    return classificationReport(logits, labels, ctx.model.numClasses);
  },
  metrics(part) {
    const report = objectOr(part);
    return finiteMetrics([...METRICS.keys()].map((name) => [name, report[name]]));
  },
  direction: (metric) => METRICS.get(metric),
  format: (c) =>
    `classification (${c.images} test images)\n` +
    textTable([
      ['top-1', ...(c.top5 === undefined ? [] : ['top-5']), 'NLL', 'Brier'],
      [percent(c.top1), ...(c.top5 === undefined ? [] : [percent(c.top5)]), c.nll.toFixed(4), c.brier.toFixed(4)],
    ]),
});
