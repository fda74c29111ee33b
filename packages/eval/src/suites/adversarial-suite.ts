import { Rng, z } from '@selfkd/core';
import { fgsm } from '../attacks/fgsm.js';
import { pgd } from '../attacks/pgd.js';
import { forEachSourceBatch } from '../runner/batches.js';
import { countCorrect, testImages, type SuiteContext } from '../runner/context.js';
import { defineEvalSuite } from '../runner/eval-suite.js';
import { percent } from '../runner/format-values.js';
import { epsilonOption, maxImagesOption } from '../runner/option-schemas.js';
import { StageProgress } from '../runner/progress.js';
import { arrayOr, finiteMetrics, objectOr } from '../runner/read-part.js';
import { textTable } from '../runner/text-table.js';
import { FGSM_CLEAN, fgsmEpsilon, fgsmMetric, PGD } from './metric-names.js';

const adversarialOptions = z.strictObject({
  fgsm: z
    .strictObject({
      eps: z.array(epsilonOption).default([0.01, 0.02, 0.05, 0.1]),
      maxImages: maxImagesOption.default(1000),
    })
    .prefault({}),
  /** `null` skips PGD. Defaults: ε = 8/255, 10 steps of 2/255, random start (Madry et al.). */
  pgd: z
    .strictObject({
      eps: epsilonOption.default(8 / 255),
      steps: z.number().int().min(1).default(10),
      stepSize: z.number().finite().positive().default(2 / 255),
      randomStart: z.boolean().default(true),
      maxImages: maxImagesOption.default(500),
    })
    .nullable()
    .prefault({}),
});

type AdversarialOptions = z.output<typeof adversarialOptions>;

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

/** Accuracy under FGSM at each ε and under PGD, on seeded subsets of the test set. */
export const adversarialSuite = defineEvalSuite({
  name: 'adversarial',
  description: 'accuracy under FGSM at each ε and under a PGD attack (L∞, in pixel units of [0, 1])',
  options: adversarialOptions,
  exampleOptions: { fgsm: { eps: [0.05], maxImages: 20 }, pgd: { steps: 2, maxImages: 10 } },
  async run(ctx, options): Promise<AdversarialReport> {
    return { fgsm: await fgsmAccuracy(ctx, options.fgsm), pgd: options.pgd ? await pgdAccuracy(ctx, options.pgd) : null };
  },
  metrics(part) {
    const { fgsm, pgd } = objectOr(part);
    const points = arrayOr(objectOr(fgsm).results).map((point) => objectOr(point));
    return finiteMetrics([
      [FGSM_CLEAN, objectOr(fgsm).clean],
      ...points.filter((p) => typeof p.eps === 'number').map((p): [string, unknown] => [fgsmMetric(p.eps as number), p.accuracy]),
      [PGD, objectOr(pgd).accuracy],
    ]);
  },
  // Every metric is an accuracy.
  direction: (metric) => (metric === FGSM_CLEAN || metric === PGD || fgsmEpsilon(metric) !== null ? 'higher' : undefined),
  format({ fgsm, pgd }) {
    const rows = [
      ['attack', 'eps', 'accuracy'],
      ['none', '0', percent(fgsm.clean)],
      ...fgsm.results.map((r) => ['FGSM', String(r.eps), percent(r.accuracy)]),
    ];
    if (pgd) rows.push([`PGD ${pgd.steps}×${pgd.stepSize.toFixed(4)}${pgd.randomStart ? ', random start' : ''} (${pgd.images} images)`, pgd.eps.toFixed(4), percent(pgd.accuracy)]);
    return `adversarial (FGSM on ${fgsm.images} test images; eps in pixel units of [0, 1])\n${textTable(rows)}`;
  },
});

async function fgsmAccuracy(ctx: SuiteContext, { eps, maxImages }: AdversarialOptions['fgsm']): Promise<FgsmReport> {
  const { source, labels } = testImages(ctx, maxImages);
  const correct = new Array<number>(eps.length).fill(0);
  let clean = 0;
  const progress = new StageProgress(ctx.onProgress, 'fgsm', source.size * eps.length);
  await forEachSourceBatch(source, ctx.batchSize, async (pixels, start, count) => {
    const batchLabels = labels.subarray(start, start + count);
    clean += await countCorrect(ctx, pixels, batchLabels);
    for (const [i, e] of eps.entries()) {
      const adversarial = fgsm(ctx.logitsOf, pixels, batchLabels, e);
      try {
        correct[i]! += await countCorrect(ctx, adversarial, batchLabels);
      } finally {
        adversarial.dispose();
      }
      progress.advance(count);
    }
  });
  return { images: source.size, clean: clean / source.size, results: eps.map((e, i) => ({ eps: e, accuracy: correct[i]! / source.size })) };
}

async function pgdAccuracy(ctx: SuiteContext, options: NonNullable<AdversarialOptions['pgd']>): Promise<PgdReport> {
  const { maxImages, ...attack } = options;
  const { source, labels } = testImages(ctx, maxImages);
  let clean = 0;
  let correct = 0;
  const progress = new StageProgress(ctx.onProgress, 'pgd', source.size);
  await forEachSourceBatch(source, ctx.batchSize, async (pixels, start, count) => {
    const batchLabels = labels.subarray(start, start + count);
    clean += await countCorrect(ctx, pixels, batchLabels);
    // One generator per batch: the random starts do not depend on what ran before.
    const adversarial = pgd(ctx.logitsOf, pixels, batchLabels, { ...attack, rng: Rng.derive(ctx.seed, 'pgd', start) });
    try {
      correct += await countCorrect(ctx, adversarial, batchLabels);
    } finally {
      adversarial.dispose();
    }
    progress.advance(count);
  });
  return { images: source.size, ...attack, clean: clean / source.size, accuracy: correct / source.size };
}
