import { z } from '@selfkd/core';
import {
  PSKD_BINNING,
  confidenceAndCorrectness,
  eceOfBins,
  mceOfBins,
  reliabilityDiagram,
  type ReliabilityBin,
} from '../metrics/calibration.js';
import { riskCoverage } from '../metrics/risk-coverage.js';
import { softmaxRows } from '../metrics/rows.js';
import { defineEvalSuite } from '../runner/eval-suite.js';
import { percent } from '../runner/format-values.js';
import { finiteMetrics, objectOr } from '../runner/read-part.js';
import { textTable } from '../runner/text-table.js';

export interface CalibrationReport {
  images: number;
  bins: number;
  /** ECE over `bins` equal-width (lo, hi] bins, a fraction. */
  ece: number;
  /** Maximum calibration error over the same bins. */
  mce: number;
  /** PS-KD's ECE: 10 bins (lo, hi], a fraction (they print ×100). */
  ecePsKd: number;
  /** Area under the risk-coverage curve of the max-softmax confidence (PS-KD prints it ×1000). */
  aurc: number;
  /** AURC minus an oracle ranking's at the same error rate (PS-KD prints it ×1000). */
  eaurc: number;
  /** Reliability-diagram data over the `bins` bins. */
  reliability: ReliabilityBin[];
}

/** Every calibration metric is an error or a risk: smaller is better. */
const METRICS = ['ece', 'ecePsKd', 'mce', 'aurc', 'eaurc'];

function calibrationReport(logits: Float32Array, labels: Int32Array, numClasses: number, bins: number): CalibrationReport {
  const { confidence, correct } = confidenceAndCorrectness(softmaxRows(logits, numClasses), labels, numClasses);
  const reliability = reliabilityDiagram(confidence, correct, { bins, interval: 'upper-closed' });
  const { aurc, eaurc } = riskCoverage(confidence, correct);
  return {
    images: labels.length,
    bins,
    ece: eceOfBins(reliability, labels.length),
    mce: mceOfBins(reliability),
    ecePsKd: eceOfBins(reliabilityDiagram(confidence, correct, PSKD_BINNING), labels.length),
    aurc,
    eaurc,
    reliability,
  };
}

/** Calibration of the confidences on the whole test set (the forward pass is shared with classification). */
export const calibrationSuite = defineEvalSuite({
  name: 'calibration',
  description: 'expected and maximum calibration error, PS-KD 10-bin ECE, AURC and E-AURC, and a reliability diagram on the whole test set',
  options: z.strictObject({
    calibration: z
      .strictObject({
        /** Equal-width (lo, hi] bins of the main ECE; the PS-KD 10-bin ECE is always reported too. */
        bins: z.number().int().min(1).default(15),
      })
      .prefault({}),
  }),
  async run(ctx, { calibration }): Promise<CalibrationReport> {
    const { logits, labels } = await ctx.testLogits();
    return calibrationReport(logits, labels, ctx.model.numClasses, calibration.bins);
  },
  metrics(part) {
    const report = objectOr(part);
    return finiteMetrics(METRICS.map((name) => [name, report[name]]));
  },
  direction: (metric) => (METRICS.includes(metric) ? 'lower' : undefined),
  format: (c) =>
    `calibration (${c.images} test images): ECE ${percent(c.ece)}, MCE ${percent(c.mce)} ` +
    `over ${c.bins} bins; PS-KD ECE (10 bins) ${percent(c.ecePsKd)}; AURC ${(c.aurc * 1000).toFixed(2)}‰, E-AURC ${(c.eaurc * 1000).toFixed(2)}‰\n` +
    textTable([
      ['confidence bin', 'images', 'mean confidence', 'accuracy'],
      ...c.reliability.map((b) => [`(${b.lower.toFixed(3)}, ${b.upper.toFixed(3)}]`, String(b.count), percent(b.confidence), percent(b.accuracy)]),
    ]),
});
