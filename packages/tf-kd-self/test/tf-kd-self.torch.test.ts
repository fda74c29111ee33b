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

describe("Tf-KD-self against PyTorch (the authors' loss_fn_kd, float64)", () => {
  it('the plugin with task weight 1 − α gives (1 − α)·CE + α·T²·KL(teacher ‖ student) and its gradient within 1e-5 relative', async () => {
    const rng = new Rng('tf-kd-self-torch');
    const next = () => rng.next();
    const settings = [
      { alpha: 0.95, temperature: 6, classes: 10 },
      { alpha: 0.5, temperature: 1, classes: 4 },
      { alpha: 0.1, temperature: 20, classes: 7 },
    ];
    const cases = settings.map((s, i) => {
      const logits = randomMatrix(5, s.classes, next, 2 + i);
      const teacherLogits = randomMatrix(5, s.classes, next, 4);
      const labels = Array.from({ length: 5 }, () => rng.int(s.classes));
      const regularizer = plugin.create({ teacher: 'unused: the teacher logits are given', temperature: s.temperature, weight: s.alpha, name: 'tf-kd-self' }, { types: ['tf-kd-self'] });
      const got = tf.tidy(() => {
        const oneHot = oneHotFloat(labels, s.classes);
        const prepared = { teacherLogits: tf.tensor2d(teacherLogits) };
        const step = (z: tf.Tensor) => {
          const base: Omit<StepContext, 'rng'> = {
            epoch: 0, totalEpochs: 1, step: 0, numClasses: s.classes, numTrainSamples: 5,
            logits: z as tf.Tensor2D, features: z as tf.Tensor2D, ...noModelInStep, head: (f) => f,
            labels: Int32Array.from(labels), oneHot, indices: Int32Array.from(labels, (_, b) => b),
          };
          return composeLoss([regularizer], base, () => new Rng(0), [prepared], 1 - s.alpha);
        };
        const z = tf.tensor2d(logits);
        const { terms } = step(z);
        const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => step(x).total)(z);
        return { total: value.dataSync()[0]!, term: terms['tf-kd-self']!.dataSync()[0]!, logits: grad.dataSync() };
      });
      return { got, torchCase: { ...s, logits, teacherLogits, labels } };
    });
    const expected = await runTorchReference<TorchResult>('tf_kd_self', cases.map((c) => c.torchCase));
    cases.forEach(({ got, torchCase }, i) => {
      const what = `α=${torchCase.alpha} T=${torchCase.temperature} K=${torchCase.classes}`;
      expectAllClose([got.term], [expected[i]!.term], `${what}: KD term`);
      expectAllClose([got.total], [expected[i]!.total], `${what}: total`);
      expectAllClose(got.logits, flat(expected[i]!.logits), `${what}: d/dlogits`);
    });
  });
});
