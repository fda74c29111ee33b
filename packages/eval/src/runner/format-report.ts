import type { DetectionMetrics } from '../ood/detection-metrics.js';
import type { EvalReport } from './report.js';
import { textTable } from './text-table.js';

const percent = (v: number | null): string => (v === null || Number.isNaN(v) ? '-' : `${(100 * v).toFixed(2)}%`);
const decimal = (v: number, digits = 4): string => v.toFixed(digits);

/** The report as readable plain text: one titled table per suite that ran. */
export function formatEvalReport(report: EvalReport): string {
  const sections: string[] = [];
  const { classification, calibration, adversarial, ood, shift } = report;
  if (classification) {
    sections.push(
      `classification (${classification.images} test images)\n` +
        textTable([
          ['top-1', 'top-5', 'NLL', 'Brier'],
          [percent(classification.top1), percent(classification.top5), decimal(classification.nll), decimal(classification.brier)],
        ]),
    );
  }
  if (calibration) {
    sections.push(
      `calibration (${calibration.images} test images): ECE ${percent(calibration.ece)}, MCE ${percent(calibration.mce)} ` +
        `over ${calibration.bins} bins; PS-KD ECE (10 bins) ${percent(calibration.ecePsKd)}\n` +
        textTable([
          ['confidence bin', 'images', 'mean confidence', 'accuracy'],
          ...calibration.reliability.map((b) => [
            `(${b.lower.toFixed(3)}, ${b.upper.toFixed(3)}]`,
            String(b.count),
            percent(b.confidence),
            percent(b.accuracy),
          ]),
        ]),
    );
  }
  if (adversarial) {
    const { fgsm, pgd } = adversarial;
    const rows = [
      ['attack', 'eps', 'accuracy'],
      ['none', '0', percent(fgsm.clean)],
      ...fgsm.results.map((r) => ['FGSM', String(r.eps), percent(r.accuracy)]),
    ];
    if (pgd) rows.push([`PGD ${pgd.steps}×${decimal(pgd.stepSize)}${pgd.randomStart ? ', random start' : ''} (${pgd.images} images)`, decimal(pgd.eps), percent(pgd.accuracy)]);
    sections.push(`adversarial (FGSM on ${fgsm.images} test images; eps in pixel units of [0, 1])\n${textTable(rows)}`);
  }
  if (ood) {
    const metricCells = (m: DetectionMetrics) => [percent(m.auroc), percent(m.auprIn), percent(m.auprOut), percent(m.fprAt95Tpr)];
    const rows = [['OOD set', 'images', 'score', 'AUROC', 'AUPR-in', 'AUPR-out', 'FPR@95%TPR']];
    for (const set of ood.sets) {
      rows.push([set.name, String(set.images), 'MSP', ...metricCells(set.msp)]);
      rows.push(['', '', `ODIN`, ...metricCells(set.odin)]);
      rows.push(['', '', 'energy', ...metricCells(set.energy)]);
    }
    sections.push(
      `out-of-distribution detection (in-distribution: ${ood.inDistribution.name}, ${ood.inDistribution.images} test images; ` +
        `ODIN T=${ood.odin.temperature}, eps=${ood.odin.epsilon})\n${textTable(rows)}`,
    );
  }
  if (shift) {
    const rows = [
      ['corruption', ...shift.severities.map((s) => `s${s}`), 'mean'],
      ...shift.corruptions.map((c) => [c.name, ...c.accuracy.map(percent), percent(c.mean)]),
      ['all corruptions', ...shift.severities.map((_, i) => percent(mean(shift.corruptions.map((c) => c.accuracy[i]!)))), percent(shift.mean)],
    ];
    sections.push(`distribution shift (accuracy on ${shift.images} corrupted test images; clean ${percent(shift.clean)})\n${textTable(rows)}`);
  }
  return sections.join('\n\n');
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
