import { Rng } from '@selfkd/core';
import { CORRUPTION_NAMES, corrupt, type CorruptionName } from '../shift/corruptions.js';
import { forEachSourceBatch } from './batches.js';
import { StageProgress } from './progress.js';
import { countCorrect, testImages, type SuiteContext } from './context.js';

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
export async function shiftSuite(ctx: SuiteContext): Promise<ShiftReport> {
  const { corruptions: chosen, severities, maxImages } = ctx.config.shift;
  const names = chosen === 'all' ? [...CORRUPTION_NAMES] : chosen;
  const { source, labels } = testImages(ctx, maxImages);
  const correct = names.map(() => new Array<number>(severities.length).fill(0));
  let clean = 0;
  const progress = new StageProgress(ctx.onProgress, 'shift', source.size * names.length * severities.length);
  await forEachSourceBatch(source, ctx.config.batchSize, (pixels, start, count) => {
    const batchLabels = labels.subarray(start, start + count);
    clean += countCorrect(ctx, pixels, batchLabels);
    names.forEach((name, c) => {
      severities.forEach((severity, s) => {
        // Seeded by corruption, severity and the batch's first row: independent of run order.
        const corrupted = corrupt(name, pixels, severity, Rng.derive(ctx.seed, 'shift', name, severity, start));
        correct[c]![s]! += countCorrect(ctx, corrupted, batchLabels);
        corrupted.dispose();
        progress.advance(count);
      });
    });
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
}

function average(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
