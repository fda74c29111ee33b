import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { createOptimizer } from '../src/optimizers.js';

// Reference updates written out by hand from PyTorch's documented rules (torch.optim.SGD / Adam).
function sgdReference(w: number, grads: number[], lr: number, momentum: number, nesterov: boolean, wd: number): number {
  let buf = 0;
  grads.forEach((g0, t) => {
    let g = g0 + wd * w;
    if (momentum > 0) {
      buf = t === 0 ? g : momentum * buf + g;
      g = nesterov ? g + momentum * buf : buf;
    }
    w -= lr * g;
  });
  return w;
}

function adamReference(w: number, grads: number[], lr: number, b1: number, b2: number, eps: number, wd: number): number {
  let m = 0;
  let v = 0;
  grads.forEach((g0, i) => {
    const t = i + 1;
    const g = g0 + wd * w;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const mHat = m / (1 - b1 ** t);
    const vHat = v / (1 - b2 ** t);
    w -= (lr * mHat) / (Math.sqrt(vHat) + eps);
  });
  return w;
}

const grads = [0.5, -1.25, 2.0, 0.125];

describe('optimizers follow PyTorch update rules', () => {
  for (const [momentum, nesterov, wd] of [
    [0, false, 0],
    [0.9, false, 0],
    [0.9, true, 5e-4],
  ] as const) {
    it(`SGD momentum=${momentum} nesterov=${nesterov} wd=${wd}`, () => {
      const v = tf.variable(tf.tensor1d([1.5]));
      const opt = createOptimizer({ name: 'sgd', lr: 0.1, momentum, nesterov, weightDecay: wd }, [v]);
      for (const g of grads) opt.apply([tf.tensor1d([g])], 0.1);
      expect(v.dataSync()[0]).toBeCloseTo(sgdReference(1.5, grads, 0.1, momentum, nesterov, wd), 6);
    });
  }

  it('Adam with bias correction and L2 weight decay', () => {
    const v = tf.variable(tf.tensor1d([1.5]));
    const opt = createOptimizer({ name: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-2 }, [v]);
    for (const g of grads) opt.apply([tf.tensor1d([g])], 0.01);
    expect(v.dataSync()[0]).toBeCloseTo(adamReference(1.5, grads, 0.01, 0.9, 0.999, 1e-8, 1e-2), 6);
  });

  it('state round-trips: a restored optimizer continues exactly', async () => {
    const a = tf.variable(tf.tensor1d([1, 2]));
    const b = tf.variable(tf.tensor1d([1, 2]));
    const config = { name: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 } as const;
    const optA = createOptimizer(config, [a]);
    optA.apply([tf.tensor1d([0.3, -0.2])], 0.01);
    b.assign(a);
    const optB = createOptimizer(config, [b]);
    optB.loadState(await optA.state());
    optA.apply([tf.tensor1d([0.1, 0.4])], 0.01);
    optB.apply([tf.tensor1d([0.1, 0.4])], 0.01);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  });

  it('creates no tensors per step beyond its fixed slots', () => {
    const v = tf.variable(tf.randomNormal([4, 3]));
    const opt = createOptimizer({ name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4 }, [v]);
    const g = tf.randomNormal([4, 3]);
    opt.apply([g], 0.1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) opt.apply([g], 0.1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
