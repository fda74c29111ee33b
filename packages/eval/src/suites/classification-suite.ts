import { brierScore } from '../metrics/brier.js';
import {
  PSKD_BINNING,
  confidenceAndCorrectness,
  eceOfBins,
  mceOfBins,
  reliabilityDiagram,
  type ReliabilityBin,
} from '../metrics/calibration.js';
import { negativeLogLikelihood } from '../metrics/nll.js';
import { softmaxRows } from '../metrics/rows.js';
import { topKAccuracy } from '../metrics/top-k-accuracy.js';
import { forEachSourceBatch } from './batches.js';
import { StageProgress } from './progress.js';
import { logitsArray, testImages, type SuiteContext } from './context.js';

export interface ClassificationReport {
  images: number;
  top1: number;
  /** Top-min(5, K). */
  top5: number;
  /** Mean negative log-likelihood, nats. */
  nll: number;
  brier: number;
}

export interface CalibrationReport {
  images: number;
  bins: number;
  /** ECE over `bins` equal-width (lo, hi] bins, a fraction. */
  ece: number;
  /** Maximum calibration error over the same bins. */
  mce: number;
  /** PS-KD's ECE: 10 bins (lo, hi], a fraction (they print ×100). */
  ecePsKd: number;
  /** Reliability-diagram data over the `bins` bins. */
  reliability: ReliabilityBin[];
}

/** Logits of every test image, one forward pass per batch. */
export async function testLogits(ctx: SuiteContext): Promise<{ logits: Float32Array; labels: Int32Array }> {
  const { source, labels } = testImages(ctx, null);
  const numClasses = ctx.model.numClasses;
  const logits = new Float32Array(source.size * numClasses);
  const progress = new StageProgress(ctx.onProgress, 'test set', source.size);
  await forEachSourceBatch(source, ctx.config.batchSize, (pixels, start, count) => {
    logits.set(logitsArray(ctx.logitsOf, pixels), start * numClasses);
    progress.advance(count);
  });
  return { logits, labels };
}

export function classificationReport(logits: Float32Array, labels: Int32Array, numClasses: number): ClassificationReport {
  return {
    images: labels.length,
    top1: topKAccuracy(logits, labels, numClasses, 1),
    top5: topKAccuracy(logits, labels, numClasses, 5),
    nll: negativeLogLikelihood(logits, labels, numClasses),
    brier: brierScore(softmaxRows(logits, numClasses), labels, numClasses),
  };
}

export function calibrationReport(logits: Float32Array, labels: Int32Array, numClasses: number, bins: number): CalibrationReport {
  const { confidence, correct } = confidenceAndCorrectness(softmaxRows(logits, numClasses), labels, numClasses);
  const reliability = reliabilityDiagram(confidence, correct, { bins, interval: 'upper-closed' });
  return {
    images: labels.length,
    bins,
    ece: eceOfBins(reliability, labels.length),
    mce: mceOfBins(reliability),
    ecePsKd: eceOfBins(reliabilityDiagram(confidence, correct, PSKD_BINNING), labels.length),
    reliability,
  };
}
