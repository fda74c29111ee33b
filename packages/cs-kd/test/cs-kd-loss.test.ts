import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { Rng } from '@selfkd/core';
import { centralDifferences, expectAllClose, flat } from '../../../test/support/numeric-checks.js';
import { klBatchmean, randomMatrix, softmaxRows, unflatten } from '../../../test/support/float64-reference.js';
import { csKdLoss } from '../src/index.js';

function lossAndGrads(anchor: number[][], pair: number[][], temperature: number) {
  return tf.tidy(() => {
    const f = (a: tf.Tensor, p: tf.Tensor) => csKdLoss(a as tf.Tensor2D, p as tf.Tensor2D, temperature);
    const { value, grads } = tf.valueAndGrads(f)([tf.tensor2d(anchor), tf.tensor2d(pair)]);
    return { loss: value.dataSync()[0]!, anchor: grads[0]!.dataSync(), pair: grads[1]!.dataSync() };
  });
}

describe('csKdLoss', () => {
  it('is T·ln3·(2p − 1) for mirrored two-class logits [ln3, 0] and [0, ln3] (hand-computed)', () => {
    // At temperature T the anchor predicts p = 3^(1/T)/(3^(1/T) + 1) on class 0 and the pair 1 − p, so
    // KL = (2p − 1)·ln(p/(1 − p)) = (2p − 1)·ln3/T and the loss is T²·KL = T·(2p − 1)·ln3.
    for (const t of [1, 4]) {
      const p = 3 ** (1 / t) / (3 ** (1 / t) + 1);
      expect(lossAndGrads([[Math.log(3), 0]], [[0, Math.log(3)]], t).loss).toBeCloseTo(t * (2 * p - 1) * Math.log(3), 6);
    }
  });

  it('has gradient (T/B)·(σ(z/T) − σ(z_pair/T)) on the anchor logits and none on the pair logits', () => {
    const rng = new Rng(3);
    const anchor = randomMatrix(3, 4, () => rng.next(), 3);
    const pair = randomMatrix(3, 4, () => rng.next(), 3);
    const t = 4;
    const got = lossAndGrads(anchor, pair, t);
    const q = softmaxRows(anchor, t);
    const p = softmaxRows(pair, t);
    const analytic = q.flatMap((row, b) => row.map((qk, k) => (t / 3) * (qk - p[b]![k]!)));
    expectAllClose(got.anchor, analytic, 'd/danchor (analytic)');
    const fd = centralDifferences((x) => t * t * klBatchmean(unflatten(x, [[3, 4]])[0]!, pair, t), flat(anchor));
    expectAllClose(got.anchor, fd, 'd/danchor (finite differences)');
    expectAllClose([got.loss], [t * t * klBatchmean(anchor, pair, t)], 'loss');
    expect(Array.from(got.pair)).toEqual(Array(12).fill(0));
  });

  it('is zero when the pair predicts what the anchor does', () => {
    expect(lossAndGrads([[1, 2, 3]], [[1, 2, 3]], 4).loss).toBeCloseTo(0, 7);
  });

  it('rejects a non-positive temperature and mismatched shapes', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => csKdLoss(a, a, 0)).toThrow(/temperature must be a positive number, got 0/);
    expect(() => csKdLoss(a, tf.zeros([3, 3]) as tf.Tensor2D, 4)).toThrow(/\[2,3\] and \[3,3\]/);
  });

  it('leaks no tensor', () => {
    const a = tf.tensor2d([[1, 2]]);
    const before = tf.memory().numTensors;
    csKdLoss(a, a, 4).dispose();
    tf.grad((x: tf.Tensor) => csKdLoss(x as tf.Tensor2D, a, 4))(a).dispose();
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });
});
