import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { Rng, composeLoss, oneHotFloat, type StepContext } from '@selfkd/core';
import { randomMatrix } from '../../../test/support/float64-reference.js';
import { expectAllClose, flat } from '../../../test/support/numeric-checks.js';
import { noModelInStep } from '../../../test/support/step-context.js';
import { runTorchReference } from '../../../test/support/torch-reference.js';
import { knowledgeEnsemble, plugin } from '../src/index.js';

interface TorchResult {
  targets: number[][];
  kd: number;
  total: number;
  features: number[][];
  logits: number[][];
}

describe('BAKE against PyTorch (yxgeee/BAKE knowledge_ensemble + KDLoss, float64)', () => {
  it('the ensembled targets, CE + λ·KD and its gradients (none through the targets) within 1e-5 relative', async () => {
    const rng = new Rng('bake-torch');
    const next = () => rng.next();
    const settings = [
      { temperature: 4, omega: 0.5, weight: 1, rows: 8, dim: 6, classes: 5 },
      { temperature: 1, omega: 0.9, weight: 0.5, rows: 5, dim: 3, classes: 7 },
      { temperature: 2.5, omega: 0, weight: 2, rows: 4, dim: 9, classes: 3 },
    ];
    const cases = settings.map((s, i) => {
      const features = randomMatrix(s.rows, s.dim, next, 2);
      const logits = randomMatrix(s.rows, s.classes, next, 3 + i);
      const labels = Array.from({ length: s.rows }, () => rng.int(s.classes));
      const regularizer = plugin.create({ temperature: s.temperature, omega: s.omega, intraImages: 3, weight: s.weight, name: 'bake' }, { types: ['bake'] });
      const got = tf.tidy(() => {
        const step = (f: tf.Tensor, z: tf.Tensor) => {
          const base: Omit<StepContext, 'rng'> = {
            epoch: 0, totalEpochs: 1, step: 0, numClasses: s.classes, numTrainSamples: s.rows,
            logits: z as tf.Tensor2D, features: f as tf.Tensor2D, ...noModelInStep, head: (x) => x,
            labels: Int32Array.from(labels), oneHot: oneHotFloat(labels, s.classes), indices: Int32Array.from(labels, (_, b) => b),
          };
          return composeLoss([regularizer], base, () => new Rng(0), [undefined]);
        };
        const inputs = [tf.tensor2d(features), tf.tensor2d(logits)];
        const { terms } = step(inputs[0]!, inputs[1]!);
        const { value, grad } = tf.valueAndGrad((z: tf.Tensor) => step(inputs[0]!, z).total)(inputs[1]!);
        // The features enter only through the targets, which are constants: no gradient path at all.
        expect(() => tf.grad((f: tf.Tensor) => step(f, inputs[1]!).total)(inputs[0]!)).toThrow('Cannot compute gradient');
        const targets = knowledgeEnsemble(inputs[0] as tf.Tensor2D, inputs[1] as tf.Tensor2D, s.temperature, s.omega).dataSync();
        return { targets, kd: terms['bake']!.dataSync()[0]!, total: value.dataSync()[0]!, logits: grad.dataSync() };
      });
      return { got, torchCase: { ...s, features, logits, labels } };
    });
    const expected = await runTorchReference<TorchResult>('bake', cases.map((c) => c.torchCase));
    cases.forEach(({ got, torchCase }, i) => {
      const what = `T=${torchCase.temperature} ω=${torchCase.omega} λ=${torchCase.weight}`;
      expectAllClose(got.targets, flat(expected[i]!.targets), `${what}: targets`);
      // ω = 0 makes the targets the predictions themselves, so the term is 0 up to rounding: errors are
      // measured against the total there.
      expectAllClose([got.kd], [expected[i]!.kd], `${what}: KD term`, { scale: Math.max(Math.abs(expected[i]!.kd), torchCase.omega === 0 ? Math.abs(expected[i]!.total) : 0) });
      expectAllClose([got.total], [expected[i]!.total], `${what}: total`);
      expectAllClose(got.logits, flat(expected[i]!.logits), `${what}: d/dlogits`);
      expect(flat(expected[i]!.features).every((g) => g === 0)).toBe(true);
    });
  });
});
