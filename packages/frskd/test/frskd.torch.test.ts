import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// The self-teacher's convolutions and pooling need tfjs's own gradients, which a training run gets
// from its model's tfjs-layers (core registers only those of the loss terms).
import '@tensorflow/tfjs-layers';
import { describe, it } from 'vitest';
import { Rng, oneHotFloat } from '@selfkd/core';
import { expectAllClose, flat, maxAbs } from '../../../test/support/numeric-checks.js';
import { runTorchReference } from '../../../test/support/torch-reference.js';
import { SelfTeacher, frskdLoss } from '../src/index.js';

interface TorchResult {
  term: number;
  logits: number[][];
  features: unknown[];
  params: number[][];
}

const uniform = (rng: Rng, n: number, scale: number) => Array.from({ length: n }, () => (2 * rng.next() - 1) * scale);

describe("FRSKD against PyTorch (the authors' BiFPNc self-teacher, Attention and DistillKL, float64)", () => {
  it('CE(self-teacher) + α·DistillKL + β·Σ at_loss and its gradient for the logits, the stage features and every self-teacher weight', async () => {
    const rng = new Rng('frskd-torch');
    const settings = [
      { levels: [[4, 4, 2], [2, 2, 3]], classes: 5, width: 2, depth: 2, temperature: 4, alpha: 2, beta: 100 },
      { levels: [[8, 8, 2], [4, 4, 3], [2, 2, 2]], classes: 4, width: 1, depth: 3, temperature: 2, alpha: 0.5, beta: 10 },
    ];
    const batch = 3;
    const cases = settings.map((s, c) => {
      const teacher = new SelfTeacher(s.levels, s.classes, { width: s.width, depth: s.depth }, new Rng(c));
      // Move every weight off its initial value (BatchNorm's 1 and 0, the fusion weights' 1) so that each is exercised.
      for (const v of teacher.variables) tf.tidy(() => v.assign(tf.add(v, tf.tensor(uniform(rng, v.size, 0.3), v.shape))));
      const features = s.levels.map((shape) => uniform(rng, batch * shape[0]! * shape[1]! * shape[2]!, 1.5));
      const logits = uniform(rng, batch * s.classes, 2);
      const labels = Array.from({ length: batch }, () => rng.int(s.classes));
      const params = { temperature: s.temperature, alpha: s.alpha, beta: s.beta };
      const loss = (z: tf.Tensor, feats: tf.Tensor[]) => {
        const out = teacher.apply(feats as tf.Tensor4D[]);
        return frskdLoss({ logits: z as tf.Tensor2D, features: feats as tf.Tensor4D[], teacherLogits: out.logits, teacherFeatures: out.features, target: oneHotFloat(labels, s.classes) }, params);
      };
      const got = tf.tidy(() => {
        const z = tf.tensor2d(logits, [batch, s.classes]);
        const feats = s.levels.map((shape, i) => tf.tensor4d(features[i]!, [batch, shape[0]!, shape[1]!, shape[2]!]));
        const inputGrads = tf.grads((...xs: tf.Tensor[]) => loss(xs[0]!, xs.slice(1)))([z, ...feats]);
        const { value, grads } = tf.variableGrads(() => loss(z, feats), teacher.variables as tf.Variable[]);
        return {
          term: value.dataSync()[0]!,
          logits: inputGrads[0]!.dataSync(),
          features: inputGrads.slice(1).map((g) => g.dataSync()),
          params: teacher.variables.map((v) => grads[v.name]!.dataSync()),
        };
      });
      const torchCase = {
        ...s,
        features: s.levels.map((shape, i) => tf.tidy(() => tf.tensor4d(features[i]!, [batch, shape[0]!, shape[1]!, shape[2]!]).arraySync())),
        logits: tf.tidy(() => tf.tensor2d(logits, [batch, s.classes]).arraySync()),
        labels,
        names: teacher.names,
        values: teacher.variables.map((v) => Array.from(v.dataSync())),
        shapes: teacher.variables.map((v) => v.shape),
      };
      teacher.dispose();
      return { got, torchCase };
    });
    const expected = await runTorchReference<TorchResult>('frskd', cases.map((c) => c.torchCase));
    cases.forEach(({ got, torchCase }, i) => {
      const what = `levels ${JSON.stringify(torchCase.levels)}, width ${torchCase.width}, depth ${torchCase.depth}`;
      expectAllClose([got.term], [expected[i]!.term], `${what}: term`);
      expectAllClose(got.logits, flat(expected[i]!.logits), `${what}: d/dlogits`);
      got.features.forEach((g, l) => expectAllClose(g, flat(expected[i]!.features[l] as number[]), `${what}: d/d level ${l + 1}`));
      // Some weights' gradients are zero up to rounding (a BatchNorm bias that the next BatchNorm
      // centres away): errors are relative to the largest entry of the whole weight gradient.
      const scale = Math.max(...expected[i]!.params.map((g) => maxAbs(g)));
      got.params.forEach((g, p) => expectAllClose(g, expected[i]!.params[p]!, `${what}: d/d ${torchCase.names[p]}`, { scale }));
    });
  });
});
