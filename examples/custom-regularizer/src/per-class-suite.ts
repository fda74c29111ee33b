import { z } from '@selfkd/core';
import { argmaxRows, defineEvalSuite } from '@selfkd/eval';

export interface PerClassReport {
  images: number;
  /** Accuracy on the test images of each class, by class index; null for a class without test images. */
  accuracy: (number | null)[];
  /** The `worst` classes with test images, lowest accuracy first. */
  worst: { class: number; accuracy: number }[];
  /** Best minus worst class accuracy. */
  gap: number;
}

export const perClassOptions = z.strictObject({
  perClass: z
    .strictObject({
      /** How many of the lowest-accuracy classes the report lists. */
      worst: z.number().int().min(1).default(3),
    })
    .prefault({}),
});

/** Accuracy on each class's test images, from their logits and labels. */
export function perClassAccuracy(logits: Float32Array, labels: Int32Array, numClasses: number): (number | null)[] {
  const predicted = argmaxRows(logits, numClasses).index;
  const correct = new Array<number>(numClasses).fill(0);
  const images = new Array<number>(numClasses).fill(0);
  labels.forEach((label, i) => {
    images[label]! += 1;
    if (predicted[i] === label) correct[label]! += 1;
  });
  return images.map((n, k) => (n === 0 ? null : correct[k]! / n));
}

const CLASS_METRIC = /^perClass\.class\d+$/;

/**
 * An evaluation suite of a third-party package: accuracy per class, the worst classes and the gap
 * between the best and the worst. It reuses the test-set logits other suites computed
 * (`ctx.testLogits()`), so it costs no extra forward pass.
 */
export const perClassSuite = defineEvalSuite({
  name: 'per-class',
  description: 'accuracy on each class, the worst classes and the best − worst gap',
  options: perClassOptions,
  async run(ctx, { perClass }): Promise<PerClassReport> {
    const { logits, labels } = await ctx.testLogits();
    const accuracy = perClassAccuracy(logits, labels, ctx.model.numClasses);
    const measured = accuracy.flatMap((a, k) => (a === null ? [] : [{ class: k, accuracy: a }])).sort((a, b) => a.accuracy - b.accuracy);
    return { images: labels.length, accuracy, worst: measured.slice(0, perClass.worst), gap: measured.at(-1)!.accuracy - measured[0]!.accuracy };
  },
  metrics(part) {
    // The part may come back from a result.json: keep only what is a number.
    const report = (typeof part === 'object' && part !== null ? part : {}) as Partial<Record<keyof PerClassReport, unknown>>;
    const accuracy = Array.isArray(report.accuracy) ? report.accuracy : [];
    const worst = Array.isArray(report.worst) ? (report.worst[0] as { accuracy?: unknown } | undefined) : undefined;
    return [
      ...accuracy.map((value, k) => ({ name: `perClass.class${k}`, value })),
      { name: 'perClass.worst', value: worst?.accuracy },
      { name: 'perClass.gap', value: report.gap },
    ].filter((m): m is { name: string; value: number } => typeof m.value === 'number' && Number.isFinite(m.value));
  },
  direction(metric) {
    if (metric === 'perClass.gap') return 'lower';
    return metric === 'perClass.worst' || CLASS_METRIC.test(metric) ? 'higher' : undefined;
  },
  format: (r) =>
    `per-class accuracy (${r.images} test images): worst ${r.worst.map((w) => `class ${w.class} ${(100 * w.accuracy).toFixed(1)}%`).join(', ')}; ` +
    `best − worst ${(100 * r.gap).toFixed(1)} points`,
});
