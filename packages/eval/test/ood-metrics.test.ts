import { describe, expect, it } from 'vitest';
import { Rng } from '@selfkd/core';
import { auprIn, auprOut, auroc, averagePrecision, detectionMetrics, fprAtTpr } from '../src/ood/detection-metrics.js';
import { energyScore, maxSoftmaxScore } from '../src/ood/scores.js';

/** The Mann–Whitney count over all pairs: wins plus half the ties, O(n·m). */
function pairwiseAuroc(inScores: ArrayLike<number>, outScores: ArrayLike<number>): number {
  let wins = 0;
  for (let i = 0; i < inScores.length; i++) {
    for (let j = 0; j < outScores.length; j++) {
      if (inScores[i]! > outScores[j]!) wins += 1;
      else if (inScores[i] === outScores[j]) wins += 0.5;
    }
  }
  return wins / (inScores.length * outScores.length);
}

/** AP as the mean, over positives, of the precision when accepting every score ≥ that positive's score. O(n·m). */
function bruteForceAveragePrecision(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  const all = [...Array.from(positives), ...Array.from(negatives)];
  let total = 0;
  for (let i = 0; i < positives.length; i++) {
    const t = positives[i]!;
    const accepted = all.filter((s) => s >= t).length;
    total += Array.from(positives).filter((s) => s >= t).length / accepted;
  }
  return total / positives.length;
}

/** FPR at the highest distinct threshold t with TPR(score ≥ t) ≥ tpr, by trying every threshold. */
function bruteForceFprAtTpr(inScores: number[], outScores: number[], tpr: number): number {
  const thresholds = [...new Set([...inScores, ...outScores])].sort((a, b) => b - a);
  const t = thresholds.find((th) => inScores.filter((s) => s >= th).length / inScores.length >= tpr - 1e-12)!;
  return outScores.filter((s) => s >= t).length / outScores.length;
}

describe('auroc', () => {
  it('equals the exact pairwise count on random continuous scores', () => {
    const rng = new Rng('auroc');
    const inScores = Float64Array.from({ length: 300 }, () => rng.normal() + 0.7);
    const outScores = Float64Array.from({ length: 200 }, () => rng.normal());
    expect(auroc(inScores, outScores)).toBeCloseTo(pairwiseAuroc(inScores, outScores), 12);
  });

  it('counts ties as half, on heavily tied integer scores', () => {
    const rng = new Rng('ties');
    const inScores = Float64Array.from({ length: 157 }, () => rng.int(5) + 1);
    const outScores = Float64Array.from({ length: 93 }, () => rng.int(4));
    const reference = pairwiseAuroc(inScores, outScores);
    expect(auroc(inScores, outScores)).toBeCloseTo(reference, 12);
    expect(auroc([1, 1], [1, 1, 1])).toBe(0.5);
    expect(auroc([3, 2], [2, 1])).toBeCloseTo(pairwiseAuroc([3, 2], [2, 1]), 12); // = 7/8
    expect(pairwiseAuroc([3, 2], [2, 1])).toBe(7 / 8);
  });

  it('handles infinite scores and rejects NaN or an empty side', () => {
    expect(auroc([Infinity, 1], [-Infinity, Infinity])).toBe(pairwiseAuroc([Infinity, 1], [-Infinity, Infinity]));
    expect(() => auroc([NaN], [1])).toThrow(/inScores \/ positives\[0\] is NaN/);
    expect(() => auroc([1], [])).toThrow(/outScores \/ negatives is empty/);
  });
});

describe('average precision (AUPR)', () => {
  it('matches a hand computation', () => {
    // Descending: 0.9 (+), 0.8 (−), 0.7 (+), 0.6 (−), 0.5 (+).
    // Precision at each positive: 1, 2/3, 3/5; each recall step is 1/3.
    const expected = (1 + 2 / 3 + 3 / 5) / 3;
    expect(averagePrecision([0.9, 0.7, 0.5], [0.8, 0.6])).toBeCloseTo(expected, 12);
    expect(auprIn([0.9, 0.7, 0.5], [0.8, 0.6])).toBeCloseTo(expected, 12);
    // OOD as positives, lowest in-score first: 0.5 (in), 0.6 (+), 0.7 (in), 0.8 (+), 0.9 (in): (1/2 + 2/4) / 2.
    expect(auprOut([0.9, 0.7, 0.5], [0.8, 0.6])).toBeCloseTo(0.5, 12);
  });

  it('equals the per-positive precision average on random tied scores', () => {
    const rng = new Rng('ap');
    const positives = Float64Array.from({ length: 131 }, () => rng.int(12) + 2);
    const negatives = Float64Array.from({ length: 77 }, () => rng.int(12));
    expect(averagePrecision(positives, negatives)).toBeCloseTo(bruteForceAveragePrecision(positives, negatives), 12);
    expect(auprOut(positives, negatives)).toBeCloseTo(
      bruteForceAveragePrecision(negatives.map((v) => -v), positives.map((v) => -v)),
      12,
    );
  });

  it('takes a tied group as one threshold', () => {
    // 0.9 (+); then {0.5: +, −}: precision 2/3 for the last half of the recall.
    expect(averagePrecision([0.9, 0.5], [0.5])).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 3), 12);
  });
});

describe('fprAtTpr', () => {
  it('is the OOD fraction accepted where 95% of in-distribution scores are', () => {
    // 100 in-distribution scores 1..100: TPR reaches 95% at threshold 6 (scores 6..100).
    const inScores = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    // OOD scores 0.5, 5.5 (rejected) and 6, 50, 200 (accepted at threshold 6).
    expect(fprAtTpr(inScores, [0.5, 5.5, 6, 50, 200])).toBeCloseTo(3 / 5, 12);
    // Perfect separation: nothing accepted.
    expect(fprAtTpr(inScores, [-3, -2, 0])).toBe(0);
    // Everything OOD scores above all in-distribution samples.
    expect(fprAtTpr(inScores, [101, 102])).toBe(1);
  });

  it('agrees with trying every threshold on random tied scores', () => {
    const rng = new Rng('fpr');
    for (let trial = 0; trial < 20; trial++) {
      const inScores = Array.from({ length: 40 + trial }, () => rng.int(30) + 5);
      const outScores = Array.from({ length: 25 }, () => rng.int(30));
      expect(fprAtTpr(inScores, outScores)).toBe(bruteForceFprAtTpr(inScores, outScores, 0.95));
    }
  });

  it('accepts a whole tie group at once', () => {
    // 20 in-distribution samples, 19 needed; the 19th and 20th tie with an OOD sample at 0.
    const inScores = Float64Array.from({ length: 20 }, (_, i) => (i < 18 ? i + 1 : 0));
    expect(fprAtTpr(inScores, [0, -1])).toBe(1 / 2);
    expect(() => fprAtTpr(inScores, [0], 0)).toThrow(/tpr must lie in \(0, 1\], got 0/);
  });

  it('is bundled with the other metrics by detectionMetrics', () => {
    const m = detectionMetrics([0.9, 0.7, 0.5], [0.8, 0.6]);
    expect(m.auroc).toBeCloseTo(pairwiseAuroc([0.9, 0.7, 0.5], [0.8, 0.6]), 12);
    expect(m.auprIn).toBeCloseTo((1 + 2 / 3 + 3 / 5) / 3, 12);
    expect(m.auprOut).toBeCloseTo(0.5, 12);
    expect(m.fprAt95Tpr).toBe(1); // all three in-scores are needed; the lowest is 0.5
  });
});

describe('OOD scores', () => {
  it('MSP is the max softmax probability, at a temperature for ODIN', () => {
    const logits = Float32Array.from([0, Math.log(3), 2, 2]);
    expect(Array.from(maxSoftmaxScore(logits, 2))).toEqual([expect.closeTo(0.75, 6), 0.5]);
    // T = 1000 flattens the softmax towards uniform.
    expect(maxSoftmaxScore(logits, 2, 1000)[0]).toBeCloseTo(0.5 + Math.log(3) / 4000, 6);
  });

  it('energy is T·logsumexp(z/T)', () => {
    const logits = Float32Array.from([1, 2, 3]);
    expect(energyScore(logits, 3)[0]).toBeCloseTo(Math.log(Math.E + Math.E ** 2 + Math.E ** 3), 6);
    expect(energyScore(logits, 3, 2)[0]).toBeCloseTo(2 * Math.log(Math.E ** 0.5 + Math.E + Math.E ** 1.5), 6);
  });
});
