import '@tensorflow/tfjs-backend-cpu';
import { describe, it } from 'vitest';
import type { RegularizerPlugin } from '@selfkd/core';
import { expectBranchMethodMatchesTorch } from '../../../test/support/tap-branch-case.js';
import { plugin } from '../src/index.js';

describe('BYOT against PyTorch (Self-KD-Lib methods/byot.py, float64)', () => {
  it('CE + T²·KL from the final logits + feature hint on every branch, and the gradients w.r.t. taps, features, head and every branch weight within 1e-5 relative', async () => {
    await expectBranchMethodMatchesTorch('byot', plugin as RegularizerPlugin<object>, [
      { options: { taps: ['block1', 'block2'], temperature: 4, hintWeight: 0.05 }, weight: 1, spec: { batch: 4, classes: 5, featureDim: 6, taps: { block1: [4, 4, 3], block2: [2, 2, 5] } } },
      { options: { taps: ['hidden1'], temperature: 1, hintWeight: 0.7 }, weight: 0.5, spec: { batch: 3, classes: 4, featureDim: 3, taps: { hidden1: [7] } } },
      { options: { taps: ['stage3', 'stage1'], temperature: 3, hintWeight: 0 }, weight: 2, spec: { batch: 5, classes: 3, featureDim: 4, taps: { stage1: [3, 3, 2], stage3: [1, 1, 4] } } },
    ]);
  });
});
