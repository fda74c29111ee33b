import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, it } from 'vitest';
import { Rng, composeLoss, oneHotFloat, type StepContext } from '@selfkd/core';
import { randomMatrix } from '../../../test/support/float64-reference.js';
import { expectAllClose, flat, maxAbs } from '../../../test/support/numeric-checks.js';
import { noModelInStep } from '../../../test/support/step-context.js';
import { runTorchReference } from '../../../test/support/torch-reference.js';
import { plugin } from '../src/index.js';

interface TorchResult {
  div: number;
  total: number;
  features: number[][];
  weight: number[][];
  bias: number[];
}

describe("DDGSD against PyTorch (Self-KD-Lib ddsgd.py, float64)", () => {
  it('with task weight 0.5: CE/2 + both KLs + MMD, and its gradients w.r.t. features, head kernel and bias within 1e-5 relative', async () => {
    const rng = new Rng('ddgsd-torch');
    const next = () => rng.next();
    const settings = [
      { temperature: 4, mmdWeight: 5e-4, samples: 4, dim: 6, classes: 5 },
      { temperature: 1, mmdWeight: 0.3, samples: 3, dim: 4, classes: 3 },
      { temperature: 2, mmdWeight: 5e-4, samples: 5, dim: 8, classes: 7 },
    ];
    const cases = settings.map((s, i) => {
      const features = randomMatrix(2 * s.samples, s.dim, next, 2 + i);
      const weight = randomMatrix(s.dim, s.classes, next);
      const bias = randomMatrix(1, s.classes, next)[0]!;
      const sampleLabels = Array.from({ length: s.samples }, () => rng.int(s.classes));
      const labels = [...sampleLabels, ...sampleLabels];
      const indices = Int32Array.from(labels, (_, r) => r % s.samples);
      const regularizer = plugin.create({ temperature: s.temperature, mmdWeight: s.mmdWeight, weight: 1, name: 'ddgsd' }, { types: ['ddgsd'] });
      const got = tf.tidy(() => {
        const step = (f: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => {
          const head = (x: tf.Tensor2D) => tf.add(tf.matMul(x, w as tf.Tensor2D), b) as tf.Tensor2D;
          const base: Omit<StepContext, 'rng'> = {
            epoch: 0, totalEpochs: 1, step: 0, numClasses: s.classes, numTrainSamples: s.samples,
            logits: head(f as tf.Tensor2D), features: f as tf.Tensor2D, ...noModelInStep, head,
            labels: Int32Array.from(labels), oneHot: oneHotFloat(labels, s.classes), indices,
          };
          return composeLoss([regularizer], base, () => new Rng(0), [undefined], 0.5);
        };
        const inputs = [tf.tensor2d(features), tf.tensor2d(weight), tf.tensor1d(bias)];
        const { terms } = step(inputs[0]!, inputs[1]!, inputs[2]!);
        const { value, grads } = tf.valueAndGrads((f: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => step(f, w, b).total)(inputs);
        return { div: terms['ddgsd']!.dataSync()[0]!, total: value.dataSync()[0]!, grads: grads.map((g) => g.dataSync()) };
      });
      return { got, torchCase: { ...s, features, weight, bias, labels: sampleLabels } };
    });
    const expected = await runTorchReference<TorchResult>('ddgsd', cases.map((c) => c.torchCase));
    cases.forEach(({ got, torchCase }, i) => {
      const what = `T=${torchCase.temperature} mmd=${torchCase.mmdWeight}`;
      const torch = expected[i]!;
      expectAllClose([got.div], [torch.div], `${what}: distillation term`);
      expectAllClose([got.total], [torch.total], `${what}: total`);
      const scale = { scale: maxAbs(flat([torch.features, torch.weight, torch.bias])) };
      expectAllClose(got.grads[0]!, flat(torch.features), `${what}: d/dfeatures`, scale);
      expectAllClose(got.grads[1]!, flat(torch.weight), `${what}: d/dweight`, scale);
      expectAllClose(got.grads[2]!, torch.bias, `${what}: d/dbias`, scale);
    });
  });
});
