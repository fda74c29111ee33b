import { isPlainObject, type PlainObject } from '../config/deep-merge.js';
import { corruptionMetric, fgsmMetric, FGSM_CLEAN, oodMetric, PGD, SHIFT_CLEAN, SHIFT_MEAN } from './metric-names.js';

export interface MetricValue {
  name: string;
  value: number;
}

const DETECTION_MEASURES = ['auroc', 'auprIn', 'auprOut', 'fprAt95Tpr'] as const;
const OOD_SCORES = ['msp', 'odin', 'energy'] as const;

/**
 * Every scalar metric of a run's result.json (names in metric-names.ts), in a fixed order. Read
 * defensively: an eval suite that did not run, or a value that is not a finite number, is left out,
 * never guessed. Test top-1 and NLL come from the eval suite's classification when it ran (the
 * whole test set), else from the last epoch's test metrics.
 */
export function flattenMetrics(result: unknown): MetricValue[] {
  const out: MetricValue[] = [];
  const add = (name: string, value: unknown): void => {
    if (typeof value === 'number' && Number.isFinite(value)) out.push({ name, value });
  };
  const root = objectOr(result);
  const evalReport = objectOr(root.eval);
  const classification = isPlainObject(evalReport.classification) ? evalReport.classification : objectOr(root.metrics);
  for (const name of ['top1', 'top5', 'nll', 'brier']) add(name, classification[name]);

  const calibration = objectOr(evalReport.calibration);
  for (const name of ['ece', 'ecePsKd', 'mce']) add(name, calibration[name]);

  const adversarial = objectOr(evalReport.adversarial);
  const fgsm = objectOr(adversarial.fgsm);
  add(FGSM_CLEAN, fgsm.clean);
  for (const point of arrayOr(fgsm.results)) {
    const { eps, accuracy } = objectOr(point);
    if (typeof eps === 'number') add(fgsmMetric(eps), accuracy);
  }
  add(PGD, objectOr(adversarial.pgd).accuracy);

  for (const set of arrayOr(objectOr(evalReport.ood).sets)) {
    const setReport = objectOr(set);
    if (typeof setReport.name !== 'string') continue;
    for (const score of OOD_SCORES) {
      const detection = objectOr(setReport[score]);
      for (const measure of DETECTION_MEASURES) add(oodMetric(setReport.name, score, measure), detection[measure]);
    }
  }

  const shift = objectOr(evalReport.shift);
  add(SHIFT_CLEAN, shift.clean);
  add(SHIFT_MEAN, shift.mean);
  const severities = arrayOr(shift.severities);
  for (const corruption of arrayOr(shift.corruptions)) {
    const { name, mean, accuracy } = objectOr(corruption);
    if (typeof name !== 'string') continue;
    add(corruptionMetric(name), mean);
    arrayOr(accuracy).forEach((value, i) => {
      const severity = severities[i];
      if (typeof severity === 'number') add(corruptionMetric(name, severity), value);
    });
  }
  return out;
}

function objectOr(value: unknown): PlainObject {
  return isPlainObject(value) ? value : {};
}

function arrayOr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
