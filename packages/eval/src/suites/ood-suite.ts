import { z } from '@selfkd/core';
import { detectionMetrics, type DetectionMetrics } from '../ood/detection-metrics.js';
import { odinScores } from '../ood/odin.js';
import { oodSetNameProblem, openOodSet } from '../ood/ood-sets.js';
import { energyScore, maxSoftmaxScore } from '../ood/scores.js';
import { forEachSourceBatch } from '../runner/batches.js';
import { logitsArray, testImages, type SuiteContext } from '../runner/context.js';
import { defineEvalSuite } from '../runner/eval-suite.js';
import { percent } from '../runner/format-values.js';
import type { ImageSource } from '../runner/image-source.js';
import { epsilonOption, maxImagesOption } from '../runner/option-schemas.js';
import { StageProgress } from '../runner/progress.js';
import { arrayOr, finiteMetrics, objectOr } from '../runner/read-part.js';
import { textTable } from '../runner/text-table.js';
import { oodMetric } from './metric-names.js';

const oodOptions = z.strictObject({
  ood: z
    .strictObject({
      /** `gaussian-noise`, `uniform-noise`, a dataset name, or `DATASET@FOLDER` (that dataset's files in FOLDER). */
      sets: z
        .array(
          z.string().superRefine((name, ctx) => {
            const problem = oodSetNameProblem(name);
            if (problem) ctx.addIssue({ code: 'custom', message: problem });
          }),
        )
        .default(['gaussian-noise', 'uniform-noise']),
      /** Cap on in-distribution test images and on each OOD set. */
      maxImages: maxImagesOption.default(2000),
      odin: z
        .strictObject({
          temperature: z.number().finite().positive().default(1000),
          epsilon: epsilonOption.default(0.0014),
        })
        .prefault({}),
      /** Temperature of the energy score. */
      energyTemperature: z.number().finite().positive().default(1),
    })
    .prefault({}),
});

type OodOptions = z.output<typeof oodOptions>['ood'];

const SCORES = ['msp', 'odin', 'energy'] as const;
const MEASURES = ['auroc', 'auprIn', 'auprOut', 'fprAt95Tpr'] as const;

/** Detection of one OOD set against the in-distribution test images, per score. */
export interface OodSetReport {
  name: string;
  images: number;
  msp: DetectionMetrics;
  odin: DetectionMetrics;
  energy: DetectionMetrics;
}

export interface OodReport {
  /** The in-distribution side: the dataset's test images (capped by ood.maxImages). */
  inDistribution: { name: string; images: number };
  odin: { temperature: number; epsilon: number };
  energyTemperature: number;
  sets: OodSetReport[];
}

interface SetScores {
  msp: Float64Array;
  odin: Float64Array;
  energy: Float64Array;
}

/**
 * Out-of-distribution detection by MSP, ODIN and energy scores. Every OOD set is opened (dataset
 * files read) in `prepare`, so a missing or unreadable one fails before any suite has spent time.
 * In-distribution samples are the positives; every score is "higher = more in-distribution".
 */
export const oodSuite = defineEvalSuite({
  name: 'ood',
  description: 'out-of-distribution detection (AUROC, AUPR-in/out, FPR at 95% TPR) by MSP, ODIN and energy scores',
  options: oodOptions,
  exampleOptions: { ood: { sets: ['uniform-noise'], maxImages: 20 } },
  prepare: (ctx, { ood }) => openOodSets(ctx, ood),
  async run(ctx, { ood }, oodSets): Promise<OodReport> {
    const { maxImages, odin, energyTemperature } = ood;
    const { source: inSource } = testImages(ctx, maxImages);
    const inScores = await scoreSource(ctx, ood, inSource, 'ood: in-distribution');
    const reports: OodSetReport[] = [];
    for (const outSource of oodSets) {
      const outScores = await scoreSource(ctx, ood, outSource, `ood: ${outSource.name}`);
      reports.push({
        name: outSource.name,
        images: outSource.size,
        msp: detectionMetrics(inScores.msp, outScores.msp),
        odin: detectionMetrics(inScores.odin, outScores.odin),
        energy: detectionMetrics(inScores.energy, outScores.energy),
      });
    }
    return { inDistribution: { name: ctx.dataset.name, images: inSource.size }, odin: { ...odin }, energyTemperature, sets: reports };
  },
  metrics(part) {
    const entries: [string, unknown][] = [];
    for (const set of arrayOr(objectOr(part).sets).map((s) => objectOr(s))) {
      if (typeof set.name !== 'string') continue;
      for (const score of SCORES) {
        const detection = objectOr(set[score]);
        for (const measure of MEASURES) entries.push([oodMetric(set.name, score, measure), detection[measure]]);
      }
    }
    return finiteMetrics(entries);
  },
  direction(metric) {
    if (!metric.startsWith('ood.')) return undefined;
    // The false-positive rate is the one error; AUROC and AUPR are better high.
    return metric.endsWith('.fprAt95Tpr') ? 'lower' : MEASURES.some((m) => metric.endsWith(`.${m}`)) ? 'higher' : undefined;
  },
  format(ood) {
    const cells = (m: DetectionMetrics) => [percent(m.auroc), percent(m.auprIn), percent(m.auprOut), percent(m.fprAt95Tpr)];
    const rows = [['OOD set', 'images', 'score', 'AUROC', 'AUPR-in', 'AUPR-out', 'FPR@95%TPR']];
    for (const set of ood.sets) {
      rows.push([set.name, String(set.images), 'MSP', ...cells(set.msp)]);
      rows.push(['', '', 'ODIN', ...cells(set.odin)]);
      rows.push(['', '', 'energy', ...cells(set.energy)]);
    }
    return (
      `out-of-distribution detection (in-distribution: ${ood.inDistribution.name}, ${ood.inDistribution.images} test images; ` +
      `ODIN T=${ood.odin.temperature}, eps=${ood.odin.epsilon})\n${textTable(rows)}`
    );
  },
});

/** Opens every OOD set of the options; noise sets get as many images as the in-distribution side. */
async function openOodSets(ctx: SuiteContext, { sets, maxImages }: OodOptions): Promise<ImageSource[]> {
  const noiseImages = testImages(ctx, maxImages).source.size;
  const sources: ImageSource[] = [];
  for (const name of sets) {
    sources.push(await openOodSet(name, { inputShape: ctx.model.inputShape, noiseImages, maxImages, seed: ctx.seed, dataDir: ctx.dataDir }));
  }
  return sources;
}

async function scoreSource(ctx: SuiteContext, { odin, energyTemperature }: OodOptions, source: ImageSource, label: string): Promise<SetScores> {
  const numClasses = ctx.model.numClasses;
  const scores: SetScores = { msp: new Float64Array(source.size), odin: new Float64Array(source.size), energy: new Float64Array(source.size) };
  const progress = new StageProgress(ctx.onProgress, label, source.size);
  await forEachSourceBatch(source, ctx.batchSize, async (pixels, start, count) => {
    const logits = await logitsArray(ctx.logitsOf, pixels);
    scores.msp.set(maxSoftmaxScore(logits, numClasses), start);
    scores.energy.set(energyScore(logits, numClasses, energyTemperature), start);
    scores.odin.set(await odinScores(ctx.logitsOf, pixels, odin), start);
    progress.advance(count);
  });
  return scores;
}
