import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { Rng, TOKENS, composeLoss, createRegularizerContainer, oneHotFloat, type Regularizer } from '@selfkd/core';
import { oneHotRows, randomMatrix, softmaxRows, softTargetCrossEntropy, unflatten, type Matrix } from '../../../test/support/float64-reference.js';
import { centralDifferences, expectAllClose, flat } from '../../../test/support/numeric-checks.js';
import { runTorchReference } from '../../../test/support/torch-reference.js';
import { module, psKdAlpha, psKdTargets } from '../src/index.js';
import { noModelInStep } from '../../../test/support/step-context.js';

const B = 5;
const K = 4;
const N = 9;

interface Case {
  alphaT: number;
  epoch: number;
  totalEpochs: number;
  indices: number[];
  labels: number[];
  /** The memory rows of `indices` going into the step. */
  memory: Matrix;
  logits: Matrix;
}

function makeCase(seed: string, epoch: number, totalEpochs: number): Case {
  const rng = new Rng(seed);
  const next = () => rng.next();
  const indices = rng.shuffle(Array.from({ length: N }, (_, i) => i)).slice(0, B);
  const labels = indices.map((i) => i % K);
  // Epoch 0 uses one-hot rows whatever is stored; later epochs use stored softmax outputs.
  const memory = epoch === 0 ? oneHotRows(labels, K) : softmaxRows(randomMatrix(B, K, next, 3)).map((r) => r.map(Math.fround));
  return { alphaT: 0.8, epoch, totalEpochs, indices, labels, memory, logits: randomMatrix(B, K, next, 3) };
}

/** The composed step's task loss and its gradient w.r.t. the logits, with PS-KD as the only regularizer. */
function taskLossAndGrad(c: Case): { loss: number; grad: Float32Array } {
  const r = createRegularizerContainer([module], [{ type: 'ps-kd', options: { alphaT: c.alphaT, weight: 1, name: 'ps-kd' } }]).get<Regularizer[]>(TOKENS.Regularizers)[0]!;
  // Start from a memory whose rows for this batch are c.memory (and something else elsewhere).
  const table = new Float32Array(N * K).fill(1 / K);
  c.indices.forEach((i, b) => table.set(c.memory[b]!, i * K));
  r.loadState!({ alphaT: c.alphaT, alpha: null, numSamples: N, numClasses: K, memory: table });
  return tf.tidy(() => {
    const info = { epoch: c.epoch, totalEpochs: c.totalEpochs, step: 0, numClasses: K, numTrainSamples: N };
    const indices = Int32Array.from(c.indices);
    const labels = Int32Array.from(c.labels);
    const prepared = r.prepare!({ ...info, x: tf.zeros([B, 1]), labels, indices, forward: () => { throw new Error('unused'); }, rng: new Rng(0) });
    const oneHot = oneHotFloat(labels, K);
    const { value, grads } = tf.valueAndGrads((z: tf.Tensor) =>
      composeLoss([r], { ...info, logits: z as tf.Tensor2D, features: oneHot, ...noModelInStep, head: (f) => f, labels, oneHot, indices }, () => new Rng(0), [prepared]).total,
    )([tf.tensor2d(c.logits)]);
    return { loss: value.dataSync()[0]!, grad: grads[0]!.dataSync() as Float32Array };
  });
}

const cases = [makeCase('a', 0, 4), makeCase('b', 1, 4), makeCase('c', 3, 4), makeCase('d', 120, 300)];

describe('PS-KD task loss: soft-target CE against (1 − α_t)·onehot + α_t·memory', () => {
  it('matches the float64 formula, its analytic gradient (σ(z) − target)/B and central finite differences', () => {
    for (const c of cases) {
      const alpha = (c.alphaT * (c.epoch + 1)) / c.totalEpochs;
      const y = oneHotRows(c.labels, K);
      const target = y.map((row, b) => row.map((v, k) => (1 - alpha) * v + alpha * c.memory[b]![k]!));
      const got = taskLossAndGrad(c);
      expectAllClose([got.loss], [softTargetCrossEntropy(c.logits, target)], `epoch ${c.epoch}: loss`);
      const analytic = softmaxRows(c.logits).flatMap((row, b) => row.map((p, k) => (p - target[b]![k]!) / B));
      expectAllClose(got.grad, analytic, `epoch ${c.epoch}: d/dlogits (analytic)`);
      const fd = centralDifferences((x) => softTargetCrossEntropy(unflatten(x, [[B, K]])[0]!, target), flat(c.logits));
      expectAllClose(got.grad, fd, `epoch ${c.epoch}: d/dlogits (finite differences)`);
    }
  });

  it('matches PyTorch (PS-KD-Pytorch alpha_t, soft targets and Custom_CrossEntropy_PSKD) within 1e-5 relative', async () => {
    const expected = await runTorchReference<{ alpha: number; targets: Matrix; loss: number; logits: Matrix }>(
      'ps_kd',
      cases.map((c) => ({ alphaT: c.alphaT, epoch: c.epoch, totalEpochs: c.totalEpochs, oneHot: oneHotRows(c.labels, K), memory: c.memory, logits: c.logits })),
    );
    cases.forEach((c, i) => {
      const got = taskLossAndGrad(c);
      const alpha = psKdAlpha(c.alphaT, c.epoch, c.totalEpochs);
      expect(alpha).toBeCloseTo(expected[i]!.alpha, 12);
      const targets = tf.tidy(() => psKdTargets(oneHotFloat(c.labels, K), tf.tensor2d(c.memory), alpha).dataSync());
      expectAllClose(targets, flat(expected[i]!.targets), `epoch ${c.epoch}: targets`);
      expectAllClose([got.loss], [expected[i]!.loss], `epoch ${c.epoch}: loss`);
      expectAllClose(got.grad, flat(expected[i]!.logits), `epoch ${c.epoch}: d/dlogits`);
    });
  });
});
