import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { Rng, TOKENS, composeLoss, createRegularizerContainer, oneHotFloat, validateConfig, z, type Regularizer, type RegularizerPlugin } from '@selfkd/core';
import * as csKd from '@selfkd/cs-kd';
import * as labelSmoothing from '@selfkd/label-smoothing';
import * as psKd from '@selfkd/ps-kd';
import * as sdDropout from '@selfkd/sd-dropout';
import { oneHotRows, randomMatrix, softmaxRows, type Matrix } from '../support/float64-reference.js';
import { expectAllClose, flat, maxAbs } from '../support/numeric-checks.js';
import { runTorchReference } from '../support/torch-reference.js';
import { noModelInStep } from '../support/step-context.js';

const packages = [labelSmoothing, sdDropout, csKd, psKd];
const catalog = {
  plugins: packages.map((p) => p.plugin) as RegularizerPlugin<object>[],
  models: [{ name: 'mlp', description: 'any model', options: z.strictObject({}) }],
  datasets: [{ name: 'digits', description: 'any dataset', options: z.strictObject({}) }],
};

const B = 6;
const C = 8;
const K = 5;
const N = 20;
const rng = new Rng('composition');
const next = () => rng.next();
const features = randomMatrix(B, C, next, 2);
const weight = randomMatrix(C, K, next);
const bias = randomMatrix(1, K, next)[0]!;
const indices = Int32Array.from([3, 17, 0, 9, 12, 5]);
const labels = Int32Array.from(indices, (i) => i % K);
const pairLogits = randomMatrix(B, K, next, 3);
const memoryRows = softmaxRows(randomMatrix(B, K, next, 2)).map((r) => r.map(Math.fround));
const epoch = 2;
const totalEpochs = 5;
const stepRng = (r: Regularizer) => new Rng(`step/${r.name}`);

interface TorchResult {
  total: number;
  terms: Record<string, number>;
  features: Matrix;
  weight: Matrix;
  bias: number[];
}

/** One composed training-step loss of the real plugins, configured from YAML-like entries, on fixed inputs. */
function selfkdStep(entries: Record<string, unknown>[]) {
  const specs = validateConfig(
    { data: { name: 'digits' }, model: { name: 'mlp' }, train: { epochs: totalEpochs, optimizer: { name: 'sgd', lr: 0.1 } }, regularizers: entries },
    catalog,
  ).regularizers;
  const regularizers = createRegularizerContainer(
    packages.map((p) => p.module),
    specs,
  ).get<Regularizer[]>(TOKENS.Regularizers);
  return tf.tidy(() => {
    const info = { epoch, totalEpochs, step: 7, numClasses: K, numTrainSamples: N };
    const extra = { x: tf.zeros([B, 1]), labels, indices: Int32Array.from(indices, (i) => (i + K) % N) };
    const prepared = regularizers.map((r) => {
      if (r.type === 'ps-kd') {
        const table = new Float32Array(N * K);
        indices.forEach((i, b) => table.set(memoryRows[b]!, i * K));
        r.loadState!({ alphaT: 0.8, alpha: null, numSamples: N, numClasses: K, memory: table });
      }
      const forward = () => ({ features: tf.zeros([B, C]) as tf.Tensor2D, logits: tf.tensor2d(pairLogits), taps: {} });
      return r.prepare?.({ ...info, x: tf.zeros([B, 1]), labels, indices, extra, forward, rng: new Rng(0) });
    });
    const oneHot = oneHotFloat(labels, K);
    const step = (f: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => {
      const head = (x: tf.Tensor2D) => tf.add(tf.matMul(x, w as tf.Tensor2D), b) as tf.Tensor2D;
      return composeLoss(regularizers, { ...info, logits: head(f as tf.Tensor2D), features: f as tf.Tensor2D, ...noModelInStep, head, labels, oneHot, indices, extra }, stepRng, prepared);
    };
    const inputs = [tf.tensor2d(features), tf.tensor2d(weight), tf.tensor1d(bias)];
    const { terms } = step(inputs[0]!, inputs[1]!, inputs[2]!);
    const { value, grads } = tf.valueAndGrads((f: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => step(f, w, b).total)(inputs);
    // What the torch side needs to replay every step: the resolved options and SD-Dropout's masks.
    const torchSteps = regularizers.map((r, i) => {
      const options = specs[i]!.options;
      if (r.type === 'sd-dropout') {
        const masks = sdDropout.dropoutMasks([B, C], options.rate as number, options.samples as number, stepRng(r)).map((m) => m.arraySync());
        return { ...options, type: r.type, masks };
      }
      if (r.type === 'cs-kd') return { ...options, type: r.type, pairLogits };
      if (r.type === 'ps-kd') return { ...options, type: r.type, memory: memoryRows };
      return { ...options, type: r.type };
    });
    return {
      total: value.dataSync()[0]!,
      terms: Object.fromEntries(Object.entries(terms).map(([k, v]) => [k, v.dataSync()[0]!])),
      grads: grads.map((g) => g.dataSync()),
      torchCase: { features, weight, bias, oneHot: oneHotRows(Array.from(labels), K), epoch, totalEpochs, steps: torchSteps },
    };
  });
}

const combinations: Record<string, Record<string, unknown>[]> = {
  'cs-kd + sd-dropout (the SD-Dropout paper)': [{ type: 'cs-kd' }, { type: 'sd-dropout' }],
  'ps-kd + sd-dropout': [{ type: 'ps-kd' }, { type: 'sd-dropout' }],
  'label-smoothing + sd-dropout': [{ type: 'label-smoothing' }, { type: 'sd-dropout' }],
  'sd-dropout alone, 3 samples, detached': [{ type: 'sd-dropout', samples: 3, detach: true }],
  'all four, label smoothing before PS-KD': [{ type: 'label-smoothing', epsilon: 0.2 }, { type: 'ps-kd' }, { type: 'cs-kd', temperature: 3 }, { type: 'sd-dropout', direction: 'reverse' }],
  'PS-KD before label smoothing': [{ type: 'ps-kd', alphaT: 0.6 }, { type: 'label-smoothing' }],
};

describe('composed losses against PyTorch (the methods added up as the papers\' code does)', () => {
  it('match every term, the total and its gradients w.r.t. features, head kernel and bias within 1e-5 relative', async () => {
    const ours = Object.entries(combinations).map(([what, entries]) => ({ what, ...selfkdStep(entries) }));
    const expected = await runTorchReference<TorchResult>('composition', ours.map((o) => o.torchCase));
    ours.forEach((o, i) => {
      const torch = expected[i]!;
      expectAllClose([o.total], [torch.total], `${o.what}: total`);
      expect(Object.keys(o.terms).sort(), `${o.what}: logged terms`).toEqual(Object.keys(torch.terms).sort());
      for (const [name, value] of Object.entries(o.terms)) expectAllClose([value], [torch.terms[name]!], `${o.what}: ${name}`);
      const scale = { scale: maxAbs(flat([torch.features, torch.weight, torch.bias])) };
      expectAllClose(o.grads[0]!, flat(torch.features), `${o.what}: d/dfeatures`, scale);
      expectAllClose(o.grads[1]!, flat(torch.weight), `${o.what}: d/dweight`, scale);
      expectAllClose(o.grads[2]!, torch.bias, `${o.what}: d/dbias`, scale);
    });
  });
});
