import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Rng } from '@selfkd/core';
import { riskCoverage } from '../src/metrics/risk-coverage.js';

/**
 * An independent reference in numpy, written from the definition PS-KD uses: a stable sort by
 * confidence, descending (Python's sorted keeps equal keys in order, reverse=True included); the
 * risk at each coverage; AURC its mean; E-AURC minus the oracle's r + (1 − r)·ln(1 − r).
 */
const NUMPY_REFERENCE = `
import json, sys
import numpy as np
data = json.load(sys.stdin)
conf, correct = data['confidence'], data['correct']
order = sorted(range(len(conf)), key=lambda i: conf[i], reverse=True)
risk = np.cumsum([1 - correct[i] for i in order]) / np.arange(1, len(conf) + 1)
r = risk[-1]
print(json.dumps({'aurc': float(risk.mean()), 'eaurc': float(risk.mean() - (r + (1 - r) * np.log(1 - r)))}))
`;

describe('riskCoverage (AURC, E-AURC)', () => {
  it('matches a hand-computed example', () => {
    // Sorted by confidence: correct, wrong, correct, wrong → risks 0, 1/2, 1/3, 2/4.
    const { risk, aurc, eaurc } = riskCoverage([0.6, 0.9, 0.7, 0.8], [0, 1, 1, 0]);
    expect([...risk]).toEqual([0, 0.5, 1 / 3, 0.5]);
    expect(aurc).toBeCloseTo((0 + 0.5 + 1 / 3 + 0.5) / 4, 15);
    // Error rate 1/2: the oracle's area is 0.5 + 0.5·ln 0.5.
    expect(eaurc).toBeCloseTo(aurc - (0.5 + 0.5 * Math.log(0.5)), 15);
  });

  it('leaves a perfect ranking just above the oracle, and handles no errors and all errors', () => {
    // Errors last: risks 0, 0, 1/3, 2/4. The oracle area r + (1 − r)·ln(1 − r) is the continuous limit, which
    // N samples exceed by O(1/N).
    const ranked = riskCoverage([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0]);
    expect(ranked.aurc).toBeCloseTo((0 + 0 + 1 / 3 + 1 / 2) / 4, 15);
    expect(ranked.eaurc).toBeGreaterThan(0);
    expect(riskCoverage([0.3, 0.9], [1, 1])).toMatchObject({ aurc: 0, eaurc: 0 });
    // All wrong: numpy's (1 − r)·ln(1 − r) is 0·(−∞) = nan there; its limit is 0, so the oracle's area is 1.
    expect(riskCoverage([0.3, 0.9], [0, 0])).toMatchObject({ aurc: 1, eaurc: 0 });
  });

  it('keeps tied confidences in sample order, as PS-KD’s stable sort does', () => {
    expect(riskCoverage([0.5, 0.5], [0, 1]).aurc).toBe((1 + 0.5) / 2);
    expect(riskCoverage([0.5, 0.5], [1, 0]).aurc).toBe((0 + 0.5) / 2);
  });

  it('agrees with a numpy reference on 2 000 samples with ties', () => {
    const rng = new Rng(7);
    // Confidences on a 1/50 grid so that many tie; accuracy rising with confidence, as in a trained model.
    const confidence = Array.from({ length: 2000 }, () => Math.round((0.1 + 0.9 * rng.next()) * 50) / 50);
    const correct = confidence.map((c) => (rng.next() < c ? 1 : 0));
    const reference = JSON.parse(execFileSync('python3', ['-c', NUMPY_REFERENCE], { input: JSON.stringify({ confidence, correct }) }).toString()) as { aurc: number; eaurc: number };
    const ours = riskCoverage(confidence, correct);
    expect(ours.aurc).toBeCloseTo(reference.aurc, 12);
    expect(ours.eaurc).toBeCloseTo(reference.eaurc, 12);
  });

  it('refuses mismatched or empty inputs', () => {
    expect(() => riskCoverage([0.5], [1, 0])).toThrow('correct has 2 entries but confidence has 1');
    expect(() => riskCoverage([], [])).toThrow('at least one sample');
  });
});
