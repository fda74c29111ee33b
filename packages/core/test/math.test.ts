import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { klDivBatchmean, softTargetCrossEntropy, stopGradient } from '@selfkd/core';

function softmax(row: number[], t = 1): number[] {
  const m = Math.max(...row.map((v) => v / t));
  const e = row.map((v) => Math.exp(v / t - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

// KL(t || s) averaged over rows, computed in plain JS as an independent reference.
function klReference(student: number[][], teacher: number[][], t: number): number {
  let total = 0;
  student.forEach((row, b) => {
    const q = softmax(row, t);
    const p = softmax(teacher[b]!, t);
    p.forEach((pk, k) => (total += pk * (Math.log(pk) - Math.log(q[k]!))));
  });
  return total / student.length;
}

const S = [
  [1.0, -0.5, 2.0],
  [0.3, 0.1, -1.2],
];
const Tt = [
  [0.5, 0.5, 1.0],
  [-0.7, 2.2, 0.4],
];

describe('klDivBatchmean', () => {
  it('matches the batchmean definition (sum over classes, mean over rows)', () => {
    for (const temperature of [1, 3, 4]) {
      const v = klDivBatchmean(tf.tensor2d(S), tf.tensor2d(Tt), temperature).dataSync()[0]!;
      expect(v).toBeCloseTo(klReference(S, Tt, temperature), 6);
    }
  });

  it('is zero for identical inputs', () => {
    expect(klDivBatchmean(tf.tensor2d(S), tf.tensor2d(S), 2).dataSync()[0]).toBeCloseTo(0, 7);
  });

  it('has the true gradient on both arguments (central finite differences)', () => {
    const s = tf.tensor2d(S);
    const t = tf.tensor2d(Tt);
    const [gs, gt] = tf.grads((a: tf.Tensor, b: tf.Tensor) => klDivBatchmean(a as tf.Tensor2D, b as tf.Tensor2D, 3))([s, t]);
    const h = 1e-3;
    const check = (which: 0 | 1, grad: Float32Array | Int32Array | Uint8Array) => {
      for (let b = 0; b < 2; b++) {
        for (let k = 0; k < 3; k++) {
          const plus = S.map((r) => [...r]);
          const minus = S.map((r) => [...r]);
          const plusT = Tt.map((r) => [...r]);
          const minusT = Tt.map((r) => [...r]);
          if (which === 0) {
            plus[b]![k]! += h;
            minus[b]![k]! -= h;
          } else {
            plusT[b]![k]! += h;
            minusT[b]![k]! -= h;
          }
          const fd = (klReference(plus, plusT, 3) - klReference(minus, minusT, 3)) / (2 * h);
          expect(grad[b * 3 + k]).toBeCloseTo(fd, 4);
        }
      }
    };
    check(0, gs!.dataSync());
    check(1, gt!.dataSync());
  });
});

describe('softTargetCrossEntropy', () => {
  it('equals mean over rows of -Σ target·log softmax', () => {
    const target = [
      [0.8, 0.1, 0.1],
      [0.0, 1.0, 0.0],
    ];
    const expected =
      -(
        target[0]!.reduce((a, tk, k) => a + tk * Math.log(softmax(S[0]!)[k]!), 0) +
        target[1]!.reduce((a, tk, k) => a + tk * Math.log(softmax(S[1]!)[k]!), 0)
      ) / 2;
    expect(softTargetCrossEntropy(tf.tensor2d(S), tf.tensor2d(target)).dataSync()[0]).toBeCloseTo(expected, 6);
  });
});

describe('stopGradient', () => {
  it('passes the value and blocks the gradient', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const f = (v: tf.Tensor) => tf.sum(tf.add(tf.mul(v, v), stopGradient(tf.mul(v, v))));
    expect(f(x).dataSync()[0]).toBeCloseTo(28, 6);
    expect(Array.from(tf.grad(f)(x).dataSync())).toEqual([2, 4, 6]);
  });
});
