import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, it } from 'vitest';
import { expectAllClose, flat, maxAbs } from '../../../test/support/numeric-checks.js';
import { runTorchReference } from '../../../test/support/torch-reference.js';
import { sdDropoutLossFromMasks, type KlDirection } from '../src/index.js';
import { denseHead, fixedMasks, headParams } from './fixtures.js';

interface TorchResult {
  loss: number;
  features: number[][];
  weight: number[][];
  bias: number[];
}

const cases = [2, 3].flatMap((samples) =>
  (['both', 'forward', 'reverse'] as const).flatMap((direction: KlDirection) =>
    [false, true].map((detach) => ({
      ...headParams(100 + samples),
      masks: fixedMasks(samples, 0.5, 200 + samples),
      temperature: samples === 2 ? 3 : 4,
      direction,
      detach,
    })),
  ),
);

describe('SD-Dropout against PyTorch (self_kd SD_Dropout with the same inputs and masks)', () => {
  it('matches the loss and its gradients w.r.t. features, head kernel and bias within 1e-5 relative', async () => {
    const expected = await runTorchReference<TorchResult>('sd_dropout', cases);
    cases.forEach((c, i) => {
      const what = `samples ${c.masks.length}, ${c.direction}, detach ${c.detach}`;
      const got = tf.tidy(() => {
        const masks = c.masks.map((m) => tf.tensor2d(m));
        const loss = (f: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
          sdDropoutLossFromMasks(f as tf.Tensor2D, denseHead(w as tf.Tensor2D, b as tf.Tensor1D), masks, c);
        const { value, grads } = tf.valueAndGrads(loss)([tf.tensor2d(c.features), tf.tensor2d(c.weight), tf.tensor1d(c.bias)]);
        return { loss: value.dataSync()[0]!, grads: grads.map((g) => g.dataSync()) };
      });
      const torch = expected[i]!;
      const scale = { scale: maxAbs(flat([torch.features, torch.weight, torch.bias])) };
      expectAllClose([got.loss], [torch.loss], `${what}: loss`);
      expectAllClose(got.grads[0]!, flat(torch.features), `${what}: d/dfeatures`, scale);
      expectAllClose(got.grads[1]!, flat(torch.weight), `${what}: d/dweight`, scale);
      expectAllClose(got.grads[2]!, torch.bias, `${what}: d/dbias`, scale);
    });
  });
});
