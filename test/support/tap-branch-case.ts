import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { Rng, composeLoss, oneHotFloat, type Regularizer, type RegularizerPlugin, type StepContext } from '@selfkd/core';
import { expectAllClose, maxAbs } from './numeric-checks.js';
import { runTorchReference, type TorchReferenceScript } from './torch-reference.js';

/** A tensor as the PyTorch reference scripts read it. */
export interface FlatTensor {
  shape: number[];
  values: number[];
}

/** A fixed step for a regularizer with branches: per-sample tap shapes, feature width, classes. */
export interface TapBranchSpec {
  batch: number;
  classes: number;
  featureDim: number;
  taps: Record<string, number[]>;
}

/** The step's inputs and the regularizer's branch weights, for the reference; the values tfjs computed. */
export interface TapBranchEvaluation {
  inputs: {
    taps: Record<string, FlatTensor>;
    features: FlatTensor;
    headKernel: FlatTensor;
    headBias: FlatTensor;
    labels: number[];
    /** Per branch, its variables in `trainableVariables()` order. */
    branches: FlatTensor[][];
  };
  term: number;
  total: number;
  /** d total / d each input, keyed `tap:<name>`, `features`, `headKernel`, `headBias`, `branch<i>.<j>`. */
  grads: Record<string, Float32Array>;
}

/** Values that float32 represents exactly, so that both sides start from the same numbers. */
function randomTensor(shape: number[], rng: Rng, scale = 1): FlatTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, values: Array.from({ length: size }, () => Math.fround((2 * rng.next() - 1) * scale)) };
}

const asFlat = (v: tf.Tensor): FlatTensor => ({ shape: [...v.shape], values: Array.from(v.dataSync()) });

/**
 * Sets the regularizer up on a model with the given taps, then evaluates `CE(z) +
 * weight·term` on random taps and features (logits `z = f·W + b` through a linear head) and its
 * gradient with respect to the taps, the features, the head and every branch variable.
 */
export async function evaluateWithBranches(regularizer: Regularizer, spec: TapBranchSpec, seed: string): Promise<TapBranchEvaluation> {
  const rng = new Rng(seed);
  await regularizer.setup?.({
    model: { inputShape: [8, 8, 1], numClasses: spec.classes, featureDim: spec.featureDim, tapShapes: spec.taps },
    totalEpochs: 1,
    numTrainSamples: spec.batch,
    rng: new Rng(`${seed}-setup`),
  });
  const branchVariables = regularizer.trainableVariables?.() ?? [];
  const labels = Array.from({ length: spec.batch }, () => rng.int(spec.classes));
  const tapValues = Object.fromEntries(Object.entries(spec.taps).map(([name, shape]) => [name, randomTensor([spec.batch, ...shape], rng)]));
  const features = randomTensor([spec.batch, spec.featureDim], rng, 2);
  const headKernel = randomTensor([spec.featureDim, spec.classes], rng);
  const headBias = randomTensor([spec.classes], rng);
  const made = (t: FlatTensor) => tf.variable(tf.tensor(t.values, t.shape));
  const tapVariables = Object.fromEntries(Object.entries(tapValues).map(([name, t]) => [name, made(t)]));
  const [f, w, b] = [made(features), made(headKernel), made(headBias)] as [tf.Variable, tf.Variable, tf.Variable];
  const oneHot = oneHotFloat(labels, spec.classes);
  const step = () => {
    const head = (x: tf.Tensor2D) => tf.add(tf.matMul(x, w), b) as tf.Tensor2D;
    const base: Omit<StepContext, 'rng'> = {
      epoch: 0, totalEpochs: 1, step: 0, numClasses: spec.classes, numTrainSamples: spec.batch,
      logits: head(f as tf.Tensor2D), features: f as tf.Tensor2D, taps: tapVariables, head,
      forward: () => {
        throw new Error('the branch test runs no model inside the step');
      },
      labels: Int32Array.from(labels), oneHot, indices: Int32Array.from(labels, (_, i) => i),
    };
    return composeLoss([regularizer], base, () => new Rng(0), [undefined]);
  };
  const inputVariables: Record<string, tf.Variable> = {
    ...Object.fromEntries(Object.entries(tapVariables).map(([name, v]) => [`tap:${name}`, v])),
    features: f,
    headKernel: w,
    headBias: b,
  };
  const perBranch = 4;
  branchVariables.forEach((v, i) => (inputVariables[`branch${Math.floor(i / perBranch)}.${i % perBranch}`] = v));
  const evaluation = tf.tidy(() => {
    const { terms } = step();
    const { value, grads } = tf.variableGrads(() => step().total, Object.values(inputVariables));
    const byName = Object.fromEntries(Object.entries(inputVariables).map(([name, v]) => [name, grads[v.name]!.dataSync() as Float32Array]));
    return { term: terms[regularizer.name]!.dataSync()[0]!, total: value.dataSync()[0]!, grads: byName };
  });
  const branches = Array.from({ length: branchVariables.length / perBranch }, (_, i) => branchVariables.slice(i * perBranch, (i + 1) * perBranch).map(asFlat));
  tf.dispose([...Object.values(tapVariables), f, w, b, oneHot]);
  regularizer.dispose?.();
  return { inputs: { taps: tapValues, features, headKernel, headBias, labels, branches }, ...evaluation };
}

/** One case of a branch method's PyTorch cross-check: the entry's options, its weight, the step. */
export interface TapBranchSetting {
  options: { taps: string[]; temperature: number } & Record<string, unknown>;
  weight: number;
  spec: TapBranchSpec;
}

interface TorchBranchResult {
  term: number;
  total: number;
  grads: Record<string, number[]>;
}

/**
 * Evaluates the plugin's regularizer on each setting and asserts that its term, the total and every
 * gradient (taps, features, head, each branch weight) match the PyTorch script within 1e-5 relative.
 */
export async function expectBranchMethodMatchesTorch(
  script: TorchReferenceScript,
  plugin: RegularizerPlugin<object>,
  settings: readonly TapBranchSetting[],
): Promise<void> {
  const cases = await Promise.all(
    settings.map(async ({ options, weight, spec }, i) => {
      const regularizer = plugin.create({ ...options, weight, name: plugin.type }, { types: [plugin.type] });
      const got = await evaluateWithBranches(regularizer, spec, `${script}-torch-${i}`);
      return { got, torchCase: { ...options, weight, tapOrder: options.taps, ...got.inputs } };
    }),
  );
  const expected = await runTorchReference<TorchBranchResult>(script, cases.map((c) => c.torchCase));
  cases.forEach(({ got, torchCase }, i) => {
    const what = `taps ${torchCase.tapOrder.join('+')} T=${torchCase.temperature}`;
    const torch = expected[i]!;
    expectAllClose([got.term], [torch.term], `${what}: ${plugin.type} term`);
    expectAllClose([got.total], [torch.total], `${what}: total`);
    expect(Object.keys(got.grads).sort()).toEqual(Object.keys(torch.grads).sort());
    const scale = { scale: maxAbs(Object.values(torch.grads).flat()) };
    for (const [name, grad] of Object.entries(torch.grads)) expectAllClose(got.grads[name]!, grad, `${what}: d/d${name}`, scale);
  });
}
