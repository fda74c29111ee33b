import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { Rng, oneHotFloat, softTargetCrossEntropy, type PrepareContext, type Regularizer } from '@selfkd/core';
import { randomMatrix } from '../../../test/support/float64-reference.js';
import { expectAllClose, flat, maxAbs } from '../../../test/support/numeric-checks.js';
import { runTorchReference } from '../../../test/support/torch-reference.js';
import { cutMixInputs, cutMixing, mixTargets, mixupPlugin, type BatchMixing } from '../src/index.js';

const [B, H, W, C, K] = [4, 5, 6, 2, 3];
const labels = [2, 0, 1, 2];

interface TorchResult {
  loss: number;
  lambda: number;
  mixed: number[];
  x: number[];
  weight: number[][];
  box?: { top: number; bottom: number; left: number; right: number };
}

function fixedInputs(seed: string) {
  const rng = new Rng(seed);
  const next = () => rng.next();
  return { x: randomMatrix(B, H * W * C, next, 2), weight: randomMatrix(H * W * C, K, next) };
}

/** The task loss of one step (soft-target CE of a linear classifier on the transformed images) and its gradients. */
function taskStep(x: number[][], weight: number[][], transformInput: (x: tf.Tensor4D) => tf.Tensor, mixing: BatchMixing) {
  return tf.tidy(() => {
    const target = mixTargets(oneHotFloat(labels, K), mixing);
    const f = (images: tf.Tensor, w: tf.Tensor) =>
      softTargetCrossEntropy(tf.matMul(tf.reshape(transformInput(images as tf.Tensor4D), [B, -1]), w as tf.Tensor2D), target);
    const images = tf.tensor4d(flat(x), [B, H, W, C]);
    const { value, grads } = tf.valueAndGrads(f)([images, tf.tensor2d(weight)]);
    return { loss: value.dataSync()[0]!, mixed: transformInput(images).dataSync(), x: grads[0]!.dataSync(), weight: grads[1]!.dataSync() };
  });
}

function expectMatches(got: ReturnType<typeof taskStep>, torch: TorchResult, what: string) {
  expectAllClose([got.loss], [torch.loss], `${what}: loss`);
  expectAllClose(got.mixed, flat(torch.mixed), `${what}: mixed images`);
  expectAllClose(got.x, flat(torch.x), `${what}: d/dimages`, { scale: maxAbs(flat(torch.x)) });
  expectAllClose(got.weight, flat(torch.weight), `${what}: d/dweights`);
}

describe('Mixup and CutMix against PyTorch (Self-KD-Lib mixup.py / cutmix.py, float64)', () => {
  it('mixup through the plugin hooks: mixed images, λ·CE(y) + (1 − λ)·CE(y[perm]) and its gradients within 1e-5 relative', async () => {
    const regularizer = mixupPlugin.create({ alpha: 0.4, weight: 1, name: 'mixup' }, { types: ['mixup'] }) as Regularizer<BatchMixing>;
    const cases = ['a', 'b', 'c'].map((seed) => {
      const inputs = fixedInputs(`mixup-${seed}`);
      const ctx = { x: tf.zeros([B, H, W, C]), labels: Int32Array.from(labels), rng: new Rng(`draw-${seed}`) } as unknown as PrepareContext;
      const mixing = regularizer.prepare!(ctx);
      ctx.x.dispose();
      const got = taskStep(inputs.x, inputs.weight, (x) => regularizer.transformInput!(x, ctx, mixing), mixing);
      return { got, torchCase: { method: 'mixup', x: tf.tidy(() => tf.tensor4d(flat(inputs.x), [B, H, W, C]).arraySync()), weight: inputs.weight, labels, lambda: mixing.lambda, partners: [...mixing.partners] } };
    });
    const expected = await runTorchReference<TorchResult>('mixing', cases.map((c) => c.torchCase));
    cases.forEach((c, i) => expectMatches(c.got, expected[i]!, `mixup case ${i} (λ = ${c.torchCase.lambda})`));
  });

  it("cutmix: the box, the area-adjusted λ, the pasted images, the loss and its gradients within 1e-5 relative, borders and odd sizes included", async () => {
    // [drawn λ, centre row, centre column]: interior, corners, λ near 0 (box near the whole image), λ = 1 (no box).
    const draws: [number, number, number][] = [[0.5, 2, 3], [0.3, 0, 0], [0.7, 4, 5], [0.01, 2, 2], [1, 1, 1], [0.62, 3, 1]];
    const partners = [2, 3, 1, 0];
    const cases = draws.map(([lambda, centerRow, centerCol], i) => {
      const inputs = fixedInputs(`cutmix-${i}`);
      const mixing = cutMixing([B, H, W, C], lambda, centerRow, centerCol, Int32Array.from(partners));
      const got = taskStep(inputs.x, inputs.weight, (x) => cutMixInputs(x, mixing), mixing);
      const torchCase = { method: 'cutmix', x: tf.tidy(() => tf.tensor4d(flat(inputs.x), [B, H, W, C]).arraySync()), weight: inputs.weight, labels, lambda, centerRow, centerCol, partners };
      return { got, mixing, torchCase };
    });
    const expected = await runTorchReference<TorchResult>('mixing', cases.map((c) => c.torchCase));
    cases.forEach((c, i) => {
      const what = `cutmix draw ${JSON.stringify(draws[i])}`;
      expect(c.mixing.box, `${what}: box`).toEqual(expected[i]!.box);
      expect(c.mixing.lambda, `${what}: adjusted λ`).toBeCloseTo(expected[i]!.lambda, 12);
      expectMatches(c.got, expected[i]!, what);
    });
    // The cases exercise clipped, odd-sized and empty boxes, so a wrong rounding would show.
    expect(cases.some((c) => c.mixing.lambda === 1)).toBe(true);
    expect(cases.some((c) => c.mixing.box.top === 0 && c.mixing.box.left === 0)).toBe(true);
  });
});
