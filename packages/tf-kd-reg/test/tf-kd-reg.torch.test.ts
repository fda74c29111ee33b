import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, it } from 'vitest';
import { Rng, composeLoss, oneHotFloat, type StepContext } from '@selfkd/core';
import { randomMatrix } from '../../../test/support/float64-reference.js';
import { expectAllClose, flat } from '../../../test/support/numeric-checks.js';
import { noModelInStep } from '../../../test/support/step-context.js';
import { runTorchReference } from '../../../test/support/torch-reference.js';
import { plugin } from '../src/index.js';

interface TorchResult {
  total: number;
  term: number;
  logits: number[][];
}

describe("Tf-KD-reg against PyTorch (the authors' loss_kd_regularization, float64)", () => {
  it('the plugin with task weight 1 − α gives (1 − α)·CE + α·multiplier·KL and its gradient within 1e-5 relative', async () => {
    const rng = new Rng('tf-kd-reg-torch');
    const next = () => rng.next();
    const settings = [
      { alpha: 0.1, temperature: 20, correctProb: 0.99, multiplier: 100, classes: 10 },
      { alpha: 0.95, temperature: 40, correctProb: 0.99, multiplier: 1, classes: 7 },
      { alpha: 0.5, temperature: 3, correctProb: 0.8, multiplier: 50, classes: 4 },
    ];
    const cases = settings.map((s, i) => {
      const logits = randomMatrix(6, s.classes, next, 3 + i);
      const labels = Array.from({ length: 6 }, () => rng.int(s.classes));
      const regularizer = plugin.create({ ...s, weight: s.alpha, name: 'tf-kd-reg' }, { types: ['tf-kd-reg'] });
      const got = tf.tidy(() => {
        const oneHot = oneHotFloat(labels, s.classes);
        const step = (z: tf.Tensor) => {
          const base: Omit<StepContext, 'rng'> = {
            epoch: 0, totalEpochs: 1, step: 0, numClasses: s.classes, numTrainSamples: 6,
            logits: z as tf.Tensor2D, features: z as tf.Tensor2D, ...noModelInStep, head: (f) => f,
            labels: Int32Array.from(labels), oneHot, indices: Int32Array.from(labels, (_, b) => b),
          };
          return composeLoss([regularizer], base, () => new Rng(0), [undefined], 1 - s.alpha);
        };
        const z = tf.tensor2d(logits);
        const { terms } = step(z);
        const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => step(x).total)(z);
        return { total: value.dataSync()[0]!, term: terms['tf-kd-reg']!.dataSync()[0]!, logits: grad.dataSync() };
      });
      return { got, torchCase: { ...s, logits, labels } };
    });
    const expected = await runTorchReference<TorchResult>('tf_kd_reg', cases.map((c) => c.torchCase));
    cases.forEach(({ got, torchCase }, i) => {
      const what = `α=${torchCase.alpha} T=${torchCase.temperature} p=${torchCase.correctProb} ×${torchCase.multiplier}`;
      expectAllClose([got.term], [expected[i]!.term], `${what}: KL term`);
      expectAllClose([got.total], [expected[i]!.total], `${what}: total`);
      expectAllClose(got.logits, flat(expected[i]!.logits), `${what}: d/dlogits`);
    });
  });
});
