import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, TOKENS, createRegularizerContainer, oneHotFloat, validateConfig, type Regularizer, type RegularizerPlugin, type RunInfo } from '@selfkd/core';
import { randomMatrix, softmaxRows, type Matrix } from '../../../test/support/float64-reference.js';
import { expectAllClose, flat } from '../../../test/support/numeric-checks.js';
import { module, plugin } from '../src/index.js';
import { configWithRegularizers, pluginCatalog } from '../../../test/support/plugin-catalog.js';
import { noModelInStep } from '../../../test/support/step-context.js';

const N = 6;
const K = 3;
const E = 4;
const labels = Int32Array.from([0, 1, 2, 0, 1, 2]);
/** Two batches per epoch, visiting every index once in an epoch-dependent order. */
const batchesOf = (epoch: number): Int32Array[] => {
  const order = new Rng(`order-${epoch}`).shuffle(Int32Array.from({ length: N }, (_, i) => i));
  return [order.subarray(0, 4), order.subarray(4)];
};
/** Stands for the model: the training logits of dataset index i in a given epoch. */
const logitsOf = (epoch: number, index: number): number[] => {
  const rng = new Rng(`z-${epoch}-${index}`);
  return randomMatrix(1, K, () => rng.next(), 3)[0]!;
};

function resolve(alphaT = 0.8): Regularizer {
  return createRegularizerContainer([module], [{ type: 'ps-kd', options: { alphaT, weight: 1, name: 'ps-kd' } }]).get<Regularizer[]>(TOKENS.Regularizers)[0]!;
}

/** Drives one epoch the way the trainer does and returns the targets transformTarget produced, step by step. */
async function runEpoch(r: Regularizer, epoch: number): Promise<Matrix[]> {
  const info: RunInfo = { epoch, totalEpochs: E, step: 0, numClasses: K, numTrainSamples: N };
  r.onEpochStart?.(info);
  const targets: Matrix[] = [];
  for (const indices of batchesOf(epoch)) {
    const y = indices.map((i) => labels[i]!);
    targets.push(
      tf.tidy(() => {
        const forward = () => {
          throw new Error('PS-KD must not run the model');
        };
        const prepared = r.prepare!({ ...info, x: tf.zeros([indices.length, 1]), labels: y, indices, forward, rng: new Rng(0) });
        const oneHot = oneHotFloat(y, K);
        return r.transformTarget!(oneHot, { ...info, logits: oneHot, features: oneHot, ...noModelInStep, head: (f) => f, labels: y, oneHot, indices, rng: new Rng(0) }, prepared).arraySync();
      }),
    );
    const logits = tf.tensor2d(Array.from(indices, (i) => logitsOf(epoch, i)));
    await r.afterStep!({ ...info, logits, labels: y, indices });
    logits.dispose();
  }
  r.onEpochEnd?.(info);
  return targets;
}

/** Runs the epochs one after the other, as the trainer does. */
async function runEpochs(r: Regularizer, epochs: number[]): Promise<Matrix[][]> {
  const targets: Matrix[][] = [];
  for (const epoch of epochs) targets.push(await runEpoch(r, epoch));
  return targets;
}

/** The docs/methods.md recipe in plain JS: memory rows onehot in epoch 0, target (1−α_t)·onehot + α_t·memory, memory ← σ(z) after the step. */
function expectedTargets(epochs: number[], alphaT = 0.8): Matrix[][] {
  const memory: Matrix = Array.from({ length: N }, () => Array<number>(K).fill(0));
  return epochs.map((epoch) => {
    const alpha = (alphaT * (epoch + 1)) / E;
    return batchesOf(epoch).map((indices) => {
      const oneHot = Array.from(indices, (i) => Array.from({ length: K }, (_, k) => (k === labels[i] ? 1 : 0)));
      if (epoch === 0) indices.forEach((i, b) => (memory[i] = [...oneHot[b]!]));
      const target = oneHot.map((row, b) => row.map((v, k) => (1 - alpha) * v + alpha * memory[indices[b]!]![k]!));
      const probs = softmaxRows(Array.from(indices, (i) => logitsOf(epoch, i)));
      indices.forEach((i, b) => (memory[i] = probs[b]!));
      return target;
    });
  });
}

describe('ps-kd regularizer', () => {
  it('follows α_t = α_T·(epoch+1)/E, one-hot memory rows in epoch 0 and σ(z) of the previous epoch after', async () => {
    const r = resolve();
    const got = await runEpochs(r, [0, 1, 2, 3]);
    const expected = expectedTargets([0, 1, 2, 3]);
    got.forEach((epoch, e) => epoch.forEach((t, s) => expectAllClose(flat(t), flat(expected[e]![s]!), `epoch ${e} step ${s}`)));
    // Epoch 0's targets are exactly one-hot, whatever α_0 is.
    expect(flat(got[0]!)).toEqual(flat(got[0]!).map((v) => (v > 0.5 ? 1 : 0)));
    expect(r.state!().alpha).toBeCloseTo(0.8, 12);
  });

  it('resumes from state() exactly: memory and α survive a checkpoint', async () => {
    const uninterrupted = resolve();
    const all = await runEpochs(uninterrupted, [0, 1, 2, 3]);

    const first = resolve();
    await runEpochs(first, [0, 1]);
    const saved = structuredClone(first.state!());
    expect(saved.alpha).toBeCloseTo(0.4, 12);
    expect((saved.memory as Float32Array).length).toBe(N * K);
    await runEpoch(first, 2); // the saved state must not change afterwards
    expect(saved.alpha).toBeCloseTo(0.4, 12);

    const resumed = resolve();
    resumed.loadState!(saved);
    expect(resumed.state!()).toEqual(saved);
    const rest = await runEpochs(resumed, [2, 3]);
    expect(rest).toEqual(all.slice(2));
    expect(resumed.state!()).toEqual(uninterrupted.state!());
  });

  it('refuses a saved state of another shape or kind, and a run of another size', async () => {
    const r = resolve();
    expect(() => r.loadState!({ alpha: 0.2, numSamples: N, numClasses: K, memory: [1, 2] })).toThrow(/memory \(Float32Array\), numSamples and numClasses/);
    expect(() => r.loadState!({ alpha: 0.2, numSamples: N, numClasses: K, memory: new Float32Array(5) })).toThrow(/table has 5 entries/);
    r.loadState!({ alpha: 0.2, numSamples: N + 1, numClasses: K, memory: new Float32Array((N + 1) * K) });
    await expect(runEpoch(r, 1)).rejects.toThrow(/ps-kd: the memory holds 7×3 predictions, this run has 6 training samples of 3 classes/);
  });

  it('keeps its memory in JS: no tensor outlives a step', async () => {
    const r = resolve();
    const before = tf.memory().numTensors;
    await runEpochs(r, [0, 1]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('ps-kd config', () => {
  const catalog = pluginCatalog([plugin as RegularizerPlugin<object>]);
  const raw = (entry: object) => configWithRegularizers([entry]);

  it('defaults α_T to 0.8', () => {
    expect(validateConfig(raw({ type: 'ps-kd' }), catalog).regularizers[0]!.options).toEqual({ alphaT: 0.8, weight: 1, name: 'ps-kd' });
  });

  it('rejects α_T outside [0, 1], naming the path and the value', () => {
    expect(() => validateConfig(raw({ type: 'ps-kd', alphaT: 1.5 }), catalog)).toThrow(ConfigError);
    expect(() => validateConfig(raw({ type: 'ps-kd', alphaT: 1.5 }), catalog)).toThrow(/regularizers\[0\]\.alphaT: .*\(got 1\.5\)/);
  });
});
