import { detectionMetrics, type DetectionMetrics } from '../ood/detection-metrics.js';
import { odinScores } from '../ood/odin.js';
import { openOodSet } from '../ood/ood-sets.js';
import { energyScore, maxSoftmaxScore } from '../ood/scores.js';
import { forEachSourceBatch } from './batches.js';
import { StageProgress } from './progress.js';
import { logitsArray, testImages, type SuiteContext } from './context.js';
import type { ImageSource } from './image-source.js';

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
 * Opens every OOD set of the config (reading dataset files), so a missing or unreadable one fails
 * before any suite has spent time. Noise sets get as many images as the in-distribution side.
 */
export async function openOodSets(ctx: SuiteContext): Promise<ImageSource[]> {
  const { sets, maxImages } = ctx.config.ood;
  const noiseImages = testImages(ctx, maxImages).source.size;
  const sources: ImageSource[] = [];
  for (const name of sets) {
    sources.push(await openOodSet(name, { inputShape: ctx.model.inputShape, noiseImages, maxImages, seed: ctx.seed, dataDir: ctx.dataDir }));
  }
  return sources;
}

/** In-distribution samples are the positives; every score is "higher = more in-distribution". */
export async function oodSuite(ctx: SuiteContext, oodSets: readonly ImageSource[]): Promise<OodReport> {
  const { maxImages, odin, energyTemperature } = ctx.config.ood;
  const { source: inSource } = testImages(ctx, maxImages);
  const inScores = await scoreSource(ctx, inSource, 'ood: in-distribution');
  const reports: OodSetReport[] = [];
  for (const outSource of oodSets) {
    const outScores = await scoreSource(ctx, outSource, `ood: ${outSource.name}`);
    reports.push({
      name: outSource.name,
      images: outSource.size,
      msp: detectionMetrics(inScores.msp, outScores.msp),
      odin: detectionMetrics(inScores.odin, outScores.odin),
      energy: detectionMetrics(inScores.energy, outScores.energy),
    });
  }
  return { inDistribution: { name: ctx.dataset.name, images: inSource.size }, odin: { ...odin }, energyTemperature, sets: reports };
}

async function scoreSource(ctx: SuiteContext, source: ImageSource, label: string): Promise<SetScores> {
  const { odin, energyTemperature } = ctx.config.ood;
  const numClasses = ctx.model.numClasses;
  const scores: SetScores = { msp: new Float64Array(source.size), odin: new Float64Array(source.size), energy: new Float64Array(source.size) };
  const progress = new StageProgress(ctx.onProgress, label, source.size);
  await forEachSourceBatch(source, ctx.config.batchSize, (pixels, start, count) => {
    const logits = logitsArray(ctx.logitsOf, pixels);
    scores.msp.set(maxSoftmaxScore(logits, numClasses), start);
    scores.energy.set(energyScore(logits, numClasses, energyTemperature), start);
    scores.odin.set(odinScores(ctx.logitsOf, pixels, odin), start);
    progress.advance(count);
  });
  return scores;
}
