import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  Rng,
  TOKENS,
  composeLoss,
  createRegularizerContainer,
  defineRegularizerPlugin,
  oneHotFloat,
  validateConfig,
  z,
  type PrepareContext,
  type Regularizer,
  type RegularizerPlugin,
} from '@selfkd/core';
import { dense, klBatchmean, oneHotRows, randomMatrix, softTargetCrossEntropy, unflatten, type Matrix } from '../../../test/support/float64-reference.js';
import { centralDifferences, expectAllClose, flat } from '../../../test/support/numeric-checks.js';
import { PairedClassSampler, module, plugin } from '../src/index.js';
import { configIssues, configWithRegularizers, pluginCatalog } from '../../../test/support/plugin-catalog.js';
import { noModelInStep } from '../../../test/support/step-context.js';

const otherSamplerOwner = defineRegularizerPlugin({
  type: 'pair-sampler',
  description: 'another regularizer that brings its own sampler',
  options: z.strictObject({}),
  ownsSampler: true,
  defaultWeight: () => 1,
  create: ({ weight, name }) => ({ type: 'pair-sampler', name, weight }),
});
const catalog = pluginCatalog([plugin, otherSamplerOwner] as RegularizerPlugin<object>[]);
const config = configWithRegularizers;
const issuesOf = (raw: unknown) => configIssues(raw, catalog);

describe('cs-kd config', () => {
  it('fills T = 4 and λ = 1 and owns the sampler', () => {
    expect(validateConfig(config([{ type: 'cs-kd' }]), catalog).regularizers).toEqual([
      { type: 'cs-kd', options: { temperature: 4, weight: 1, name: 'cs-kd' } },
    ]);
    expect(plugin.ownsSampler).toBe(true);
  });

  it('rejects a bad temperature and a second sampler owner, naming both sides', () => {
    expect(issuesOf(config([{ type: 'cs-kd', temperature: -1 }]))[0]).toMatch(/^regularizers\[0\]\.temperature \| -1 \|/);
    expect(issuesOf(config([{ type: 'cs-kd' }, { type: 'pair-sampler' }])).join('\n')).toContain(
      'regularizers[0] (cs-kd) and regularizers[1] (pair-sampler) each supply the batch sampler',
    );
  });
});

// A tiny two-layer model on 3-feature rows: features = tanh(x·W1), logits = features·W2 + b2.
const N = 12;
const D = 3;
const C = 4;
const K = 3;
const rng = new Rng('cs-kd-plugin');
const next = () => rng.next();
const inputs = randomMatrix(N, D, next);
const labels = Int32Array.from({ length: N }, (_, i) => i % K);
const w1 = randomMatrix(D, C, next);
const w2 = randomMatrix(C, K, next);
const b2 = randomMatrix(1, K, next)[0]!;

function resolve(temperature = 4): Regularizer {
  const container = createRegularizerContainer([module], [{ type: 'cs-kd', options: { temperature, weight: 1, name: 'cs-kd' } }]);
  return container.get<Regularizer[]>(TOKENS.Regularizers)[0]!;
}

/** One step as the trainer drives it: prepare outside the tape, then the composed loss under variableGrads. */
function trainStep(r: Regularizer, indices: Int32Array, anchors: number, vars: { w1: tf.Variable; w2: tf.Variable; b2: tf.Variable }) {
  const calls: { rows: number; training: boolean }[] = [];
  const features = (x: tf.Tensor) => tf.tanh(tf.matMul(x as tf.Tensor2D, vars.w1)) as tf.Tensor2D;
  const head = (f: tf.Tensor2D) => tf.add(tf.matMul(f, vars.w2), vars.b2) as tf.Tensor2D;
  const forward = (x: tf.Tensor, training: boolean) => {
    calls.push({ rows: x.shape[0]!, training });
    const f = features(x);
    return { features: f, logits: head(f), taps: {} };
  };
  const rows = (from: number, to: number) => tf.tensor2d(Array.from(indices.subarray(from, to), (i) => inputs[i]!));
  const anchorLabels = Int32Array.from(indices.subarray(0, anchors), (i) => labels[i]!);
  const extra =
    indices.length > anchors
      ? { x: rows(anchors, indices.length), labels: Int32Array.from(indices.subarray(anchors), (i) => labels[i]!), indices: indices.subarray(anchors) }
      : undefined;
  const info = { epoch: 0, totalEpochs: 1, step: 0, numClasses: K, numTrainSamples: N };
  const x = rows(0, anchors);
  const ctx: PrepareContext = { ...info, x, labels: anchorLabels, indices: indices.subarray(0, anchors), extra, forward, rng: new Rng(0) };
  const prepared = r.prepare!(ctx);
  let terms: Record<string, number> = {};
  const { grads } = tf.variableGrads(() => {
    const f = features(x);
    const composed = composeLoss([r], { ...info, logits: head(f), features: f, ...noModelInStep, head, labels: anchorLabels, oneHot: oneHotFloat(anchorLabels, K), indices: ctx.indices, extra }, () => new Rng(1), [prepared]);
    terms = Object.fromEntries(Object.entries(composed.terms).map(([k, v]) => [k, v.dataSync()[0]!]));
    return composed.total;
  }, [vars.w1, vars.w2, vars.b2]);
  return { calls, terms, grads: { w1: grads[vars.w1.name]!.dataSync(), w2: grads[vars.w2.name]!.dataSync(), b2: grads[vars.b2.name]!.dataSync() } };
}

const variables = () => ({ w1: tf.variable(tf.tensor2d(w1)), w2: tf.variable(tf.tensor2d(w2)), b2: tf.variable(tf.tensor1d(b2)) });

describe('cs-kd plugin in a composed step', () => {
  it('supplies the paired-class sampler', () => {
    expect(resolve().createSampler!({ labels, numClasses: K, batchSize: 4 })).toBeInstanceOf(PairedClassSampler);
  });

  it('runs the partners once in training mode outside the tape and adds T²·KL_T(z ‖ z_pair) with the pair as a constant', () => {
    const r = resolve(4);
    const [batch] = [...r.createSampler!({ labels, numClasses: K, batchSize: 5 }).epoch(new Rng('batch'))];
    const vars = variables();
    const { calls, terms, grads } = tf.tidy(() => trainStep(r, batch!.indices, batch!.anchors, vars));
    expect(calls[0]).toEqual({ rows: 5, training: true });

    // Float64 reference: CE(z, y) + T²·KL_T(z ‖ z_pair), z_pair computed once from the starting weights and frozen.
    const featuresOf = (x: Matrix, w: Matrix) => dense(x, w, [0, 0, 0, 0]).map((row) => row.map(Math.tanh));
    const at = (from: number, to: number) => Array.from(batch!.indices.subarray(from, to), (i) => inputs[i]!);
    const pairLogits = dense(featuresOf(at(5, 10), w1), w2, b2);
    const y = oneHotRows(Array.from(batch!.indices.subarray(0, 5), (i) => labels[i]!), K);
    const reference = (x: ArrayLike<number>, part: 'terms' | 'total' = 'total') => {
      const [rw1, rw2, rb2] = unflatten(x, [[D, C], [C, K], [1, K]]);
      const z = dense(featuresOf(at(0, 5), rw1!), rw2!, rb2![0]!);
      const task = softTargetCrossEntropy(z, y);
      const cls = 16 * klBatchmean(z, pairLogits, 4);
      return part === 'total' ? task + cls : cls;
    };
    const x0 = [...flat(w1), ...flat(w2), ...b2];
    expectAllClose([terms['cs-kd']!], [reference(x0, 'terms')], 'cs-kd term');
    expect(terms['cs-kd']).toBeGreaterThan(0);
    const fd = centralDifferences((x) => reference(x), x0);
    expectAllClose([...grads.w1, ...grads.w2, ...grads.b2], fd, 'gradient of the total w.r.t. every weight');
    tf.dispose(Object.values(vars));
  });

  it('fails clearly without same-class partner rows', () => {
    const r = resolve();
    const vars = variables();
    expect(() => tf.tidy(() => trainStep(r, Int32Array.from([0, 1, 2]), 3, vars))).toThrow(
      /cs-kd: each batch must hold one same-class partner after every anchor \(3 anchors, no extra rows\)/,
    );
    // Index 1 has label 1, index 2 has label 2: not a same-class pair.
    expect(() => tf.tidy(() => trainStep(r, Int32Array.from([1, 2]), 1, vars))).toThrow(/cs-kd: partner 0 has label 2, its anchor has 1/);
    tf.dispose(Object.values(vars));
  });

  it('leaves no tensor behind across steps', () => {
    const r = resolve();
    const sampler = r.createSampler!({ labels, numClasses: K, batchSize: 4 });
    const vars = variables();
    const before = tf.memory().numTensors;
    for (const batch of sampler.epoch(new Rng('leak'))) tf.tidy(() => void trainStep(r, batch.indices, batch.anchors, vars));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(vars));
  });
});
