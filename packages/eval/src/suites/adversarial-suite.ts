import { Rng } from '@selfkd/core';
import { fgsm } from '../attacks/fgsm.js';
import { pgd } from '../attacks/pgd.js';
import { forEachSourceBatch } from './batches.js';
import { StageProgress } from './progress.js';
import { countCorrect, testImages, type SuiteContext } from './context.js';

export interface FgsmReport {
  images: number;
  /** Accuracy on the same images unattacked. */
  clean: number;
  results: { eps: number; accuracy: number }[];
}

export interface PgdReport {
  images: number;
  eps: number;
  steps: number;
  stepSize: number;
  randomStart: boolean;
  clean: number;
  accuracy: number;
}

export interface AdversarialReport {
  fgsm: FgsmReport;
  /** Null when the config sets `pgd: null`. */
  pgd: PgdReport | null;
}

export async function adversarialSuite(ctx: SuiteContext): Promise<AdversarialReport> {
  return { fgsm: await fgsmSuite(ctx), pgd: ctx.config.pgd ? await pgdSuite(ctx, ctx.config.pgd) : null };
}

async function fgsmSuite(ctx: SuiteContext): Promise<FgsmReport> {
  const { eps, maxImages } = ctx.config.fgsm;
  const { source, labels } = testImages(ctx, maxImages);
  const correct = new Array<number>(eps.length).fill(0);
  let clean = 0;
  const progress = new StageProgress(ctx.onProgress, 'fgsm', source.size * eps.length);
  await forEachSourceBatch(source, ctx.config.batchSize, (pixels, start, count) => {
    const batchLabels = labels.subarray(start, start + count);
    clean += countCorrect(ctx, pixels, batchLabels);
    eps.forEach((e, i) => {
      const adversarial = fgsm(ctx.logitsOf, pixels, batchLabels, e);
      correct[i]! += countCorrect(ctx, adversarial, batchLabels);
      adversarial.dispose();
      progress.advance(count);
    });
  });
  return { images: source.size, clean: clean / source.size, results: eps.map((e, i) => ({ eps: e, accuracy: correct[i]! / source.size })) };
}

async function pgdSuite(ctx: SuiteContext, options: NonNullable<SuiteContext['config']['pgd']>): Promise<PgdReport> {
  const { maxImages, ...attack } = options;
  const { source, labels } = testImages(ctx, maxImages);
  let clean = 0;
  let correct = 0;
  const progress = new StageProgress(ctx.onProgress, 'pgd', source.size);
  await forEachSourceBatch(source, ctx.config.batchSize, (pixels, start, count) => {
    const batchLabels = labels.subarray(start, start + count);
    clean += countCorrect(ctx, pixels, batchLabels);
    // One generator per batch: the random starts do not depend on what ran before.
    const adversarial = pgd(ctx.logitsOf, pixels, batchLabels, { ...attack, rng: Rng.derive(ctx.seed, 'pgd', start) });
    correct += countCorrect(ctx, adversarial, batchLabels);
    adversarial.dispose();
    progress.advance(count);
  });
  return { images: source.size, ...attack, clean: clean / source.size, accuracy: correct / source.size };
}
