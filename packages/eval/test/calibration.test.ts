import { describe, expect, it } from 'vitest';
import {
  confidenceAndCorrectness,
  expectedCalibrationError,
  maxCalibrationError,
  psKdExpectedCalibrationError,
  reliabilityDiagram,
} from '../src/metrics/calibration.js';
import { Rng } from '@selfkd/core';

describe('expectedCalibrationError', () => {
  // Five samples, by hand, with 10 bins:
  //   0.2 (correct)  — on an edge: (0.1, 0.2] upper-closed, [0.2, 0.3) lower-closed
  //   0.25 (wrong)   — (0.2, 0.3] / [0.2, 0.3)
  //   0.65 (correct), 0.7 (correct) — 0.7 on an edge: (0.6, 0.7] upper-closed, [0.7, 0.8) lower-closed
  //   1.0 (correct)  — (0.9, 1] / last bin [0.9, 1]
  const confidence = Float64Array.from([0.2, 0.25, 0.65, 0.7, 1.0]);
  const correct = Uint8Array.from([1, 0, 1, 1, 1]);

  it('upper-closed 10 bins (PS-KD): Σ n_b/N · |acc_b − conf_b|', () => {
    // Bins: {0.2}: |1 − 0.2| = 0.8; {0.25}: |0 − 0.25| = 0.25; {0.65, 0.7}: |1 − 0.675| = 0.325; {1}: 0.
    const expected = (1 * 0.8 + 1 * 0.25 + 2 * 0.325 + 0) / 5;
    expect(psKdExpectedCalibrationError(confidence, correct)).toBeCloseTo(expected, 12);
    expect(expectedCalibrationError(confidence, correct, { bins: 10, interval: 'upper-closed' })).toBeCloseTo(expected, 12);
  });

  it('lower-closed 10 bins puts edge values in the bin above', () => {
    // Bins: {0.2, 0.25}: |0.5 − 0.225| = 0.275 (×2); {0.65}: 0.35; {0.7}: 0.3; {1}: 0.
    const expected = (2 * 0.275 + 0.35 + 0.3) / 5;
    expect(expectedCalibrationError(confidence, correct, { bins: 10, interval: 'lower-closed' })).toBeCloseTo(expected, 12);
  });

  it('defaults to 15 upper-closed bins', () => {
    // Edges k/15: 0.2 = 3/15 closes bin (2/15, 3/15]; 0.25 in (3/15, 4/15]; 0.65 in (9/15, 10/15]; 0.7 in (10/15, 11/15].
    const expected = (0.8 + 0.25 + 0.35 + 0.3) / 5;
    expect(expectedCalibrationError(confidence, correct)).toBeCloseTo(expected, 12);
    expect(maxCalibrationError(confidence, correct)).toBeCloseTo(0.8, 12);
  });

  it('is 0 for a perfectly calibrated set and counts an unbinnable 0 in N', () => {
    expect(expectedCalibrationError([0.5, 0.5], [1, 0], { bins: 10, interval: 'upper-closed' })).toBe(0);
    // Confidence 0 lies in no (lo, hi] bin but still divides: |1 − 0.5| · 1/2.
    expect(expectedCalibrationError([0, 0.5], [0, 1], { bins: 10, interval: 'upper-closed' })).toBeCloseTo(0.25, 12);
  });

  it('matches a direct transcription of PS-KD\'s bin loop on random float32 confidences', () => {
    const rng = new Rng(7);
    const n = 2000;
    const conf = Float32Array.from({ length: n }, () => Math.round(rng.next() * 20) / 20); // many exact edges
    const hit = Uint8Array.from({ length: n }, () => (rng.next() < 0.6 ? 1 : 0));
    // PS-KD: upper bounds np.arange(0.1, 1.1, 0.1), lower = upper − 0.1, conf > lower and conf <= upper.
    let ces = 0;
    for (let i = 0; i < 10; i++) {
      const upper = 0.1 + i * 0.1;
      const lower = upper - 0.1;
      const members = [...conf.keys()].filter((j) => conf[j]! > lower && conf[j]! <= upper);
      if (!members.length) continue;
      const acc = members.filter((j) => hit[j]).length / members.length;
      const avg = members.reduce((s, j) => s + conf[j]!, 0) / members.length;
      ces += Math.abs(acc - avg) * members.length;
    }
    expect(psKdExpectedCalibrationError(conf, hit)).toBeCloseTo(ces / n, 12);
  });

  it('rejects confidences outside [0, 1] and bad bin counts', () => {
    expect(() => expectedCalibrationError([1.5], [1])).toThrow(/confidence\[0\] is 1.5; confidences must lie in \[0, 1\]/);
    expect(() => expectedCalibrationError([0.5], [1], { bins: 0, interval: 'upper-closed' })).toThrow(/bins must be a positive integer, got 0/);
    expect(() => expectedCalibrationError([0.5], [1, 0])).toThrow(/correct has 2 entries but confidence has 1/);
  });
});

describe('reliabilityDiagram', () => {
  it('reports per-bin count, mean confidence and accuracy, null for empty bins', () => {
    const bins = reliabilityDiagram([0.3, 0.4, 0.9], [1, 0, 1], { bins: 2, interval: 'upper-closed' });
    expect(bins).toEqual([
      { lower: 0, upper: 0.5, count: 2, confidence: expect.closeTo(0.35, 12), accuracy: 0.5 },
      { lower: 0.5, upper: 1, count: 1, confidence: 0.9, accuracy: 1 },
    ]);
    expect(reliabilityDiagram([0.9], [1], { bins: 2, interval: 'upper-closed' })[0]).toEqual({
      lower: 0,
      upper: 0.5,
      count: 0,
      confidence: null,
      accuracy: null,
    });
  });
});

describe('confidenceAndCorrectness', () => {
  it('takes the max probability and compares the argmax with the label', () => {
    const { confidence, correct } = confidenceAndCorrectness(Float64Array.from([0.2, 0.8, 0.6, 0.4]), [1, 1], 2);
    expect(Array.from(confidence)).toEqual([0.8, 0.6]);
    expect(Array.from(correct)).toEqual([1, 0]);
  });
});
