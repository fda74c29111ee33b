import { describe, expect, it } from 'vitest';
import { brierScore } from '../src/metrics/brier.js';
import { negativeLogLikelihood } from '../src/metrics/nll.js';
import { softmaxRows } from '../src/metrics/rows.js';
import { topKAccuracy } from '../src/metrics/top-k-accuracy.js';

describe('topKAccuracy', () => {
  // Rows of 4 classes; labels chosen so the true class has rank 0, 1, 2 and 3.
  const scores = Float32Array.from([
    5, 1, 2, 3, // label 0: rank 0
    1, 4, 9, 0, // label 1: rank 1
    3, 9, 1, 7, // label 2: rank 3 (last)
    2, 8, 6, 0, // label 2: rank 1
  ]);
  const labels = Int32Array.from([0, 1, 2, 2]);

  it('counts rows whose label is among the k best scores', () => {
    expect(topKAccuracy(scores, labels, 4, 1)).toBe(1 / 4);
    expect(topKAccuracy(scores, labels, 4, 2)).toBe(3 / 4);
    expect(topKAccuracy(scores, labels, 4, 3)).toBe(3 / 4);
    expect(topKAccuracy(scores, labels, 4, 4)).toBe(1);
    expect(topKAccuracy(scores, labels, 4, 5)).toBe(1);
  });

  it('breaks ties towards the lower class index, like argmax', () => {
    const tied = Float32Array.from([1, 1, 1]);
    expect(topKAccuracy(tied, [0], 3, 1)).toBe(1);
    expect(topKAccuracy(tied, [1], 3, 1)).toBe(0);
    expect(topKAccuracy(tied, [2], 3, 2)).toBe(0);
    expect(topKAccuracy(tied, [2], 3, 3)).toBe(1);
  });

  it('rejects labels out of range and ragged rows, naming the value', () => {
    expect(() => topKAccuracy(scores, [0, 1, 2, 4], 4, 1)).toThrow(/labels\[3\] is 4; labels must be integers in \[0, 3\]/);
    expect(() => topKAccuracy(scores, labels, 3, 1)).toThrow(/not a whole number of rows of numClasses=3/);
    expect(() => topKAccuracy(scores, labels, 4, 0)).toThrow(/k must be a positive integer, got 0/);
  });
});

describe('negativeLogLikelihood', () => {
  it('is −log softmax of the true class, averaged', () => {
    // Logits (0, ln 3) give p = (1/4, 3/4); logits (7, 7) give p = (1/2, 1/2).
    expect(negativeLogLikelihood(Float32Array.from([0, Math.log(3)]), [0], 2)).toBeCloseTo(Math.log(4), 6);
    const twoRows = Float32Array.from([0, Math.log(3), 7, 7]);
    expect(negativeLogLikelihood(twoRows, [1, 0], 2)).toBeCloseTo((Math.log(4 / 3) + Math.log(2)) / 2, 6);
  });

  it('stays finite and exact for a confidently wrong prediction that softmax would round to 0', () => {
    expect(negativeLogLikelihood(Float32Array.from([0, 1000]), [0], 2)).toBeCloseTo(1000, 6);
  });
});

describe('brierScore', () => {
  it('sums squared errors over classes and averages over rows', () => {
    const p = Float64Array.from([0.5, 0.25, 0.25, 0.1, 0.1, 0.8]);
    // Row 1, label 0: 0.25 + 0.0625 + 0.0625 = 0.375. Row 2, label 0: 0.81 + 0.01 + 0.64 = 1.46.
    expect(brierScore(p, [0, 0], 3)).toBeCloseTo((0.375 + 1.46) / 2, 12);
    expect(brierScore(Float64Array.from([0, 1]), [1], 2)).toBe(0);
    expect(brierScore(Float64Array.from([0, 1]), [0], 2)).toBe(2);
  });
});

describe('softmaxRows', () => {
  it('divides logits by the temperature and normalises each row', () => {
    const p = softmaxRows(Float32Array.from([0, 2 * Math.log(3)]), 2, 2);
    expect(p[0]).toBeCloseTo(0.25, 7);
    expect(p[1]).toBeCloseTo(0.75, 7);
    expect(() => softmaxRows([1, 2], 2, 0)).toThrow(/temperature must be a finite number > 0, got 0/);
  });
});
