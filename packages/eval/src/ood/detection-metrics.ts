/*
 * Threshold-free metrics of how well a score separates in-distribution samples (the positives)
 * from out-of-distribution ones, with higher scores meaning in-distribution. Inputs are plain
 * arrays of scores; every metric is exact, with tied scores grouped at one threshold.
 */

export interface DetectionMetrics {
  /** Area under the ROC curve = P(s_in > s_out) + ½·P(s_in = s_out). */
  auroc: number;
  /** Average precision with in-distribution as the positive class. */
  auprIn: number;
  /** Average precision with OOD as the positive class (scores negated). */
  auprOut: number;
  /** Fraction of OOD samples accepted at the first threshold that accepts ≥ 95 % of in-distribution samples. */
  fprAt95Tpr: number;
}

export function detectionMetrics(inScores: ArrayLike<number>, outScores: ArrayLike<number>): DetectionMetrics {
  return {
    auroc: auroc(inScores, outScores),
    auprIn: auprIn(inScores, outScores),
    auprOut: auprOut(inScores, outScores),
    fprAt95Tpr: fprAtTpr(inScores, outScores, 0.95),
  };
}

/**
 * AUROC as the Mann–Whitney statistic: mid-ranks for ties, so each tied (in, out) pair counts ½.
 * O((n+m) log(n+m)).
 */
export function auroc(inScores: ArrayLike<number>, outScores: ArrayLike<number>): number {
  const groups = tieGroups(inScores, outScores);
  let rankSumIn = 0;
  let below = 0;
  // Groups come highest first; the ascending rank of a group is what lies below it plus its mid-rank.
  for (let g = groups.length - 1; g >= 0; g--) {
    const { positives, negatives } = groups[g]!;
    const size = positives + negatives;
    rankSumIn += positives * (below + (size + 1) / 2);
    below += size;
  }
  const n = inScores.length;
  return (rankSumIn - (n * (n + 1)) / 2) / (n * outScores.length);
}

/**
 * Average precision `Σ_t (R_t − R_{t−1}) · P_t` over the distinct score thresholds t, highest
 * first (the step-wise area of scikit-learn's `average_precision_score`, no interpolation).
 */
export function averagePrecision(positiveScores: ArrayLike<number>, negativeScores: ArrayLike<number>): number {
  let tp = 0;
  let fp = 0;
  let area = 0;
  for (const { positives, negatives } of tieGroups(positiveScores, negativeScores)) {
    if (positives > 0) {
      const recallGain = positives / positiveScores.length;
      tp += positives;
      fp += negatives;
      area += recallGain * (tp / (tp + fp));
    } else {
      fp += negatives;
    }
  }
  return area;
}

/** AUPR with in-distribution samples as positives. */
export function auprIn(inScores: ArrayLike<number>, outScores: ArrayLike<number>): number {
  return averagePrecision(inScores, outScores);
}

/** AUPR with OOD samples as positives: the scores are negated so OOD ranks first. */
export function auprOut(inScores: ArrayLike<number>, outScores: ArrayLike<number>): number {
  return averagePrecision(Float64Array.from(outScores, (s) => -s), Float64Array.from(inScores, (s) => -s));
}

/**
 * False-positive rate at the highest threshold (accept score ≥ t) whose true-positive rate reaches
 * `tpr`: lowering the threshold one tie group at a time, the FPR at the first group where
 * TP/N_in ≥ tpr.
 */
export function fprAtTpr(inScores: ArrayLike<number>, outScores: ArrayLike<number>, tpr = 0.95): number {
  if (!(tpr > 0 && tpr <= 1)) throw new Error(`tpr must lie in (0, 1], got ${tpr}`);
  // The smallest TP count reaching the rate; the tolerance stops 0.95·N rounding up past an integer.
  const needed = Math.ceil(tpr * inScores.length - 1e-9);
  let tp = 0;
  let fp = 0;
  for (const { positives, negatives } of tieGroups(inScores, outScores)) {
    tp += positives;
    fp += negatives;
    if (tp >= needed) break;
  }
  return fp / outScores.length;
}

interface TieGroup {
  positives: number;
  negatives: number;
}

/** Distinct scores from highest to lowest, with how many positives and negatives share each. */
function tieGroups(positiveScores: ArrayLike<number>, negativeScores: ArrayLike<number>): TieGroup[] {
  checkScores('inScores / positives', positiveScores);
  checkScores('outScores / negatives', negativeScores);
  const n = positiveScores.length;
  const all = new Float64Array(n + negativeScores.length);
  all.set(positiveScores, 0);
  all.set(negativeScores, n);
  // Compared, not subtracted: Infinity − Infinity would be NaN.
  const order = Uint32Array.from(all.keys()).sort((a, b) => (all[a]! > all[b]! ? -1 : all[a]! < all[b]! ? 1 : 0));
  const groups: TieGroup[] = [];
  let previous = NaN;
  for (const i of order) {
    if (all[i] !== previous) groups.push({ positives: 0, negatives: 0 });
    previous = all[i]!;
    const group = groups[groups.length - 1]!;
    if (i < n) group.positives++;
    else group.negatives++;
  }
  return groups;
}

function checkScores(name: string, scores: ArrayLike<number>): void {
  if (scores.length === 0) throw new Error(`${name} is empty; OOD metrics need at least one score on each side`);
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) throw new Error(`${name}[${i}] is NaN; scores must be numbers (±Infinity allowed)`);
  }
}
