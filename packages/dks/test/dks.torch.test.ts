import '@tensorflow/tfjs-backend-cpu';
import { describe, it } from 'vitest';
import type { RegularizerPlugin } from '@selfkd/core';
import { expectBranchMethodMatchesTorch } from '../../../test/support/tap-branch-case.js';
import { plugin } from '../src/index.js';

describe('DKS against PyTorch (Self-KD-Lib methods/dks.py, float64)', () => {
  it('CE on every branch + T²·KL for every ordered pair of exits, and the gradients w.r.t. taps, features, head and every branch weight within 1e-5 relative', async () => {
    await expectBranchMethodMatchesTorch('dks', plugin as RegularizerPlugin<object>, [
      { options: { taps: ['block1', 'block2'], temperature: 4 }, weight: 1, spec: { batch: 4, classes: 5, featureDim: 6, taps: { block1: [4, 4, 3], block2: [2, 2, 5] } } },
      { options: { taps: ['hidden1'], temperature: 1 }, weight: 0.5, spec: { batch: 3, classes: 4, featureDim: 3, taps: { hidden1: [7] } } },
      { options: { taps: ['stage3', 'stage1', 'stage2'], temperature: 3 }, weight: 2, spec: { batch: 5, classes: 3, featureDim: 4, taps: { stage1: [3, 3, 2], stage2: [2, 2, 3], stage3: [1, 1, 4] } } },
    ]);
  });
});
