import '@tensorflow/tfjs-backend-cpu';
import { describe, it } from 'vitest';
import { expectAllClose, maxAbs } from '../../../test/support/numeric-checks.js';
import { evaluateWithBranches, type TapBranchSpec } from '../../../test/support/tap-branch-case.js';
import { runTorchReference } from '../../../test/support/torch-reference.js';
import { plugin } from '../src/index.js';

interface TorchResult {
  term: number;
  total: number;
  grads: Record<string, number[]>;
}

describe('BYOT against PyTorch (Self-KD-Lib methods/byot.py, float64)', () => {
  it('CE + T²·KL from the final logits + feature hint on every branch, and the gradients w.r.t. taps, features, head and every branch weight within 1e-5 relative', async () => {
    const settings: { options: { taps: string[]; temperature: number; hintWeight: number }; weight: number; spec: TapBranchSpec }[] = [
      { options: { taps: ['block1', 'block2'], temperature: 4, hintWeight: 0.05 }, weight: 1, spec: { batch: 4, classes: 5, featureDim: 6, taps: { block1: [4, 4, 3], block2: [2, 2, 5] } } },
      { options: { taps: ['hidden1'], temperature: 1, hintWeight: 0.7 }, weight: 0.5, spec: { batch: 3, classes: 4, featureDim: 3, taps: { hidden1: [7] } } },
      { options: { taps: ['stage3', 'stage1'], temperature: 3, hintWeight: 0 }, weight: 2, spec: { batch: 5, classes: 3, featureDim: 4, taps: { stage1: [3, 3, 2], stage3: [1, 1, 4] } } },
    ];
    const cases = await Promise.all(
      settings.map(async ({ options, weight, spec }, i) => {
        const regularizer = plugin.create({ ...options, weight, name: 'byot' }, { types: ['byot'] });
        const got = await evaluateWithBranches(regularizer, spec, `byot-torch-${i}`);
        return { got, torchCase: { ...options, weight, tapOrder: options.taps, ...got.inputs } };
      }),
    );
    const expected = await runTorchReference<TorchResult>('byot', cases.map((c) => c.torchCase));
    cases.forEach(({ got, torchCase }, i) => {
      const what = `taps ${torchCase.tapOrder.join('+')} T=${torchCase.temperature}`;
      const torch = expected[i]!;
      expectAllClose([got.term], [torch.term], `${what}: BYOT term`);
      expectAllClose([got.total], [torch.total], `${what}: total`);
      const scale = { scale: maxAbs(Object.values(torch.grads).flat()) };
      for (const [name, grad] of Object.entries(torch.grads)) expectAllClose(got.grads[name]!, grad, `${what}: d/d${name}`, scale);
    });
  });
});
