import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { Rng, composeLoss, oneHotFloat, type PrepareContext, type Regularizer, type StepContext } from '@selfkd/core';
import { randomMatrix } from '../../../test/support/float64-reference.js';
import { expectAllClose, flat } from '../../../test/support/numeric-checks.js';
import { noModelInStep } from '../../../test/support/step-context.js';
import { runTorchReference } from '../../../test/support/torch-reference.js';
import { plugin } from '../src/index.js';

interface TorchResult {
  dml: number;
  total: number;
  repeated: number[][];
  fresh: number[][];
  last: number[][];
}

const K = 5;
const info = { epoch: 0, totalEpochs: 1, numClasses: K, numTrainSamples: 20 };

/** Drives the regularizer through a first step (whose logits it remembers) and a second, composed step. */
async function twoSteps(regularizer: Regularizer<tf.Tensor2D | undefined>, firstIndices: number[], secondIndices: number[], firstLogits: number[][], secondLogits: number[][], labelOf: (i: number) => number) {
  const prepareCtx = (step: number, indices: number[]) =>
    ({ ...info, step, x: tf.zeros([indices.length, 1]), labels: Int32Array.from(indices, labelOf), indices: Int32Array.from(indices), forward: noModelInStep.forward, rng: new Rng(0) }) as PrepareContext;
  tf.tidy(() => {
    expect(regularizer.prepare!(prepareCtx(0, firstIndices))).toBeUndefined();
  });
  const first = tf.tensor2d(firstLogits);
  await regularizer.afterStep!({ ...info, step: 0, logits: first, labels: Int32Array.from(firstIndices, labelOf), indices: Int32Array.from(firstIndices) });
  first.dispose();
  return tf.tidy(() => {
    const last = regularizer.prepare!(prepareCtx(1, secondIndices));
    const labels = Int32Array.from(secondIndices, labelOf);
    const step = (z: tf.Tensor) => {
      const base: Omit<StepContext, 'rng'> = {
        ...info, step: 1, logits: z as tf.Tensor2D, features: z as tf.Tensor2D, ...noModelInStep, head: (f) => f,
        labels, oneHot: oneHotFloat(labels, K), indices: Int32Array.from(secondIndices),
      };
      return composeLoss([regularizer], base, () => new Rng(0), [last]);
    };
    const z = tf.tensor2d(secondLogits);
    const { terms } = step(z);
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => step(x).total)(z);
    return { dml: terms['dlb']!.dataSync()[0]!, total: value.dataSync()[0]!, grad: grad.dataSync() };
  });
}

describe('DLB against PyTorch (Meta-knowledge-Lab/DLB dlb.py, float64)', () => {
  it("the second step's CE over both halves + α·T²·KL to the last step's logits, and its gradient, within 1e-5 relative", async () => {
    const rng = new Rng('dlb-torch');
    const next = () => rng.next();
    const labelOf = (i: number) => (i * 7) % K;
    const pending = [
      { temperature: 3, alpha: 1, first: [4, 9, 1, 16], second: [11, 0, 3, 7] },
      { temperature: 1, alpha: 0.5, first: [2, 5, 8], second: [12, 19, 6] },
      { temperature: 4, alpha: 2, first: [13, 14, 15, 17, 18], second: [10, 0] },
    ].map(async (c, i) => {
      const firstLogits = randomMatrix(c.first.length, K, next, 3);
      const secondLogits = randomMatrix(c.first.length + c.second.length, K, next, 2 + i);
      const regularizer = plugin.create({ temperature: c.temperature, weight: c.alpha, name: 'dlb' }, { types: ['dlb'] }) as Regularizer<tf.Tensor2D | undefined>;
      const got = await twoSteps(regularizer, c.first, [...c.first, ...c.second], firstLogits, secondLogits, labelOf);
      const torchCase = {
        temperature: c.temperature, alpha: c.alpha, last: firstLogits,
        repeated: secondLogits.slice(0, c.first.length), fresh: secondLogits.slice(c.first.length),
        repeatedLabels: c.first.map(labelOf), freshLabels: c.second.map(labelOf),
      };
      return { got, torchCase };
    });
    const cases = await Promise.all(pending);
    const expected = await runTorchReference<TorchResult>('dlb', cases.map((c) => c.torchCase));
    cases.forEach(({ got, torchCase }, i) => {
      const what = `T=${torchCase.temperature} α=${torchCase.alpha}`;
      expectAllClose([got.dml], [expected[i]!.dml], `${what}: KL term`);
      expectAllClose([got.total], [expected[i]!.total], `${what}: total`);
      expectAllClose(got.grad, flat([expected[i]!.repeated, expected[i]!.fresh]), `${what}: d/dlogits`);
      expect(flat(expected[i]!.last).every((g) => g === 0)).toBe(true);
    });
  });
});
