import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { Rng } from '@selfkd/core';
import { randomMatrix } from '../../../test/support/float64-reference.js';
import { expectAllClose, flat } from '../../../test/support/numeric-checks.js';
import { runTorchReference } from '../../../test/support/torch-reference.js';
import { csKdLoss } from '../src/index.js';

interface TorchResult {
  loss: number;
  anchor: number[][];
  pair: number[][];
}

describe('CS-KD against PyTorch (alinlab/cs-kd KDLoss with the pair detached)', () => {
  it('matches the loss and its gradient w.r.t. the anchor logits within 1e-5 relative; the pair gets none', async () => {
    const rng = new Rng('cs-kd-torch');
    const next = () => rng.next();
    const cases = [1, 4, 2.5].map((temperature, i) => ({
      anchor: randomMatrix(5, 7, next, 2 + i),
      pair: randomMatrix(5, 7, next, 2 + i),
      temperature,
    }));
    const expected = await runTorchReference<TorchResult>('cs_kd', cases);
    cases.forEach((c, i) => {
      const got = tf.tidy(() => {
        const f = (a: tf.Tensor, p: tf.Tensor) => csKdLoss(a as tf.Tensor2D, p as tf.Tensor2D, c.temperature);
        const { value, grads } = tf.valueAndGrads(f)([tf.tensor2d(c.anchor), tf.tensor2d(c.pair)]);
        return { loss: value.dataSync()[0]!, anchor: grads[0]!.dataSync(), pair: grads[1]!.dataSync() };
      });
      expectAllClose([got.loss], [expected[i]!.loss], `T=${c.temperature}: loss`);
      expectAllClose(got.anchor, flat(expected[i]!.anchor), `T=${c.temperature}: d/danchor`);
      expect(flat(expected[i]!.pair).every((g) => g === 0)).toBe(true);
      expect(Array.from(got.pair).every((g) => g === 0)).toBe(true);
    });
  });
});
