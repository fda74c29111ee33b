import { Rng, z } from '@selfkd/core';
import { forEachSourceBatch } from '../runner/batches.js';
import { countCorrect, testImages } from '../runner/context.js';
import { defineEvalSuite } from '../runner/eval-suite.js';
import { percent } from '../runner/format-values.js';
import { maxImagesOption } from '../runner/option-schemas.js';
import { StageProgress } from '../runner/progress.js';
import { arrayOr, finiteMetrics, objectOr } from '../runner/read-part.js';
import { textTable } from '../runner/text-table.js';
import { CORRUPTION_NAMES, corrupt, type CorruptionName } from '../shift/corruptions.js';
import { corruptionMetric, SHIFT_CLEAN, SHIFT_MEAN } from './metric-names.js';

const shiftOptions = z.strictObject({
  shift: z
    .strictObject({
      corruptions: z.union([z.literal('all'), z.array(z.enum(CORRUPTION_NAMES as [CorruptionName, ...CorruptionName[]])).min(1)]).default('all'),
      severities: z
        .array(z.number().int().min(1).max(5))
        .min(1)
        .refine((s) => new Set(s).size === s.length, 'severities must not repeat')
        .default([1, 2, 3, 4, 5]),
      maxImages: maxImagesOption.default(1000),
    })
    .prefault({}),
});

export interface CorruptionReport {
  name: CorruptionName;
  /** Accuracy at each of the report's severities, in that order. */
  accuracy: number[];
  /** Mean over those severities. */
  mean: number;
}

export interface ShiftReport {
  images: number;
  severities: number[];
  /** Accuracy on the same images uncorrupted. */
  clean: number;
  corruptions: CorruptionReport[];
  /** Mean accuracy over every corruption and severity. */
  mean: number;
}

/**
 * Accuracy under each corruption and severity. The clean batch is read once and corrupted one
 * (corruption, severity) at a time, so at most one corrupted batch exists at any moment.
 */
export const shiftSuite = defineEvalSuite({
  name: 'shift',
  description: 'accuracy under synthetic corruptions (noise, blur, contrast, brightness, pixelation, rotation, translation) at each severity',
  options: shiftOptions,
  exampleOptions: { shift: { corruptions: ['gaussian_noise', 'rotate'], severities: [1, 5], maxImages: 20 } },
  async run(ctx, { shift }): Promise<ShiftReport> {
    const { corruptions: chosen, severities, maxImages } = shift;
    const names = chosen === 'all' ? [...CORRUPTION_NAMES] : chosen;
    const { source, labels } = testImages(ctx, maxImages);
    const correct = names.map(() => new Array<number>(severities.length).fill(0));
    let clean = 0;
    const progress = new StageProgress(ctx.onProgress, 'shift', source.size * names.length * severities.length);
    await forEachSourceBatch(source, ctx.batchSize, async (pixels, start, count) => {
      const batchLabels = labels.subarray(start, start + count);
      clean += await countCorrect(ctx, pixels, batchLabels);
      for (const [c, name] of names.entries()) {
        for (const [s, severity] of severities.entries()) {
          // Seeded by corruption, severity and the batch's first row: independent of run order.
          const corrupted = await corrupt(name, pixels, severity, Rng.derive(ctx.seed, 'shift', name, severity, start));
          try {
            correct[c]![s]! += await countCorrect(ctx, corrupted, batchLabels);
          } finally {
            corrupted.dispose();
          }
          progress.advance(count);
        }
      }
    });
    const corruptions = names.map((name, c) => {
      const accuracy = correct[c]!.map((n) => n / source.size);
      return { name, accuracy, mean: average(accuracy) };
    });
    return {
      images: source.size,
      severities: [...severities],
      clean: clean / source.size,
      corruptions,
      mean: average(corruptions.flatMap((c) => c.accuracy)),
    };
  },
  metrics(part) {
    const { clean, mean, severities, corruptions } = objectOr(part);
    const entries: [string, unknown][] = [
      [SHIFT_CLEAN, clean],
      [SHIFT_MEAN, mean],
    ];
    for (const corruption of arrayOr(corruptions).map((c) => objectOr(c))) {
      if (typeof corruption.name !== 'string') continue;
      entries.push([corruptionMetric(corruption.name), corruption.mean]);
      arrayOr(corruption.accuracy).forEach((value, i) => {
        const severity = arrayOr(severities)[i];
        if (typeof severity === 'number') entries.push([corruptionMetric(corruption.name as string, severity), value]);
      });
    }
    return finiteMetrics(entries);
  },
  // Every metric is an accuracy.
  direction: (metric) => (metric.startsWith('shift.') ? 'higher' : undefined),
  format(shift) {
    const rows = [
      ['corruption', ...shift.severities.map((s) => `s${s}`), 'mean'],
      ...shift.corruptions.map((c) => [c.name, ...c.accuracy.map(percent), percent(c.mean)]),
      ['all corruptions', ...shift.severities.map((_, i) => percent(average(shift.corruptions.map((c) => c.accuracy[i]!)))), percent(shift.mean)],
    ];
    return `distribution shift (accuracy on ${shift.images} corrupted test images; clean ${percent(shift.clean)})\n${textTable(rows)}`;
  },
});

function average(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
