/**
 * The flat names of the built-in suites' metrics, in one place: each suite's `metrics` builds them,
 * and a benchmark report picks its plots' series by them (results are compared by these names, so
 * they must not change).
 *
 * - `top1`, `top5`, `nll`, `brier`: test-set classification
 * - `ece`, `ecePsKd`, `mce`: calibration
 * - `fgsm.clean`, `fgsm.eps=<ε>`, `pgd`: accuracy without and under attack
 * - `ood.<set>.<score>.<auroc|auprIn|auprOut|fprAt95Tpr>`: OOD detection per set and score
 * - `shift.clean`, `shift.mean`, `shift.<corruption>` (mean over severities), `shift.<corruption>.s<k>`
 */
export const FGSM_CLEAN = 'fgsm.clean';
export const PGD = 'pgd';
export const SHIFT_CLEAN = 'shift.clean';
export const SHIFT_MEAN = 'shift.mean';

export function fgsmMetric(eps: number): string {
  return `fgsm.eps=${eps}`;
}

/** The ε of an `fgsm.eps=<ε>` name, or null for any other name. */
export function fgsmEpsilon(name: string): number | null {
  const match = /^fgsm\.eps=(.+)$/.exec(name);
  return match ? Number(match[1]) : null;
}

export function oodMetric(set: string, score: string, measure: string): string {
  return `ood.${set}.${score}.${measure}`;
}

/** `{set, score}` of an `ood.<set>.<score>.auroc` name (set names may contain dots), else null. */
export function oodAurocParts(name: string): { set: string; score: string } | null {
  const match = /^ood\.(.+)\.([^.]+)\.auroc$/.exec(name);
  return match ? { set: match[1]!, score: match[2]! } : null;
}

export function corruptionMetric(corruption: string, severity?: number): string {
  return severity === undefined ? `shift.${corruption}` : `shift.${corruption}.s${severity}`;
}

/** The corruption of a `shift.<corruption>` (mean over severities) name, else null. */
export function corruptionOf(name: string): string | null {
  const match = /^shift\.([^.]+)$/.exec(name);
  return match && name !== SHIFT_CLEAN && name !== SHIFT_MEAN ? match[1]! : null;
}
