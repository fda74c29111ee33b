import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Rng, oneHotFloat, type StepContext } from '@selfkd/core';
import { randomMatrix, softmaxRows } from '../../../test/support/float64-reference.js';
import { expectAllClose, flat } from '../../../test/support/numeric-checks.js';
import { noModelInStep } from '../../../test/support/step-context.js';
import { knowledgeEnsemble, plugin } from '../src/index.js';

afterEach(() => vi.restoreAllMocks());

describe('BAKE inside the step reads nothing back from the backend', () => {
  it('a gradient step through its loss makes no synchronous read (webgpu has none), and leaks no tensor', () => {
    const rng = new Rng('bake-on-device');
    const [rows, classes] = [12, 6];
    const labels = Array.from({ length: rows }, () => rng.int(classes));
    const regularizer = plugin.create({ temperature: 4, omega: 0.5, intraImages: 3, weight: 1, name: 'bake' }, { types: ['bake'] });
    const features = tf.tensor2d(randomMatrix(rows, 5, () => rng.next(), 2));
    const logits = tf.variable(tf.tensor2d(randomMatrix(rows, classes, () => rng.next(), 3)));
    const oneHot = oneHotFloat(labels, classes);
    const before = tf.memory().numTensors;
    // dataSync, arraySync and bufferSync all go through the engine's readSync.
    const reads = vi.spyOn(tf.engine(), 'readSync');
    const { value, grads } = tf.variableGrads(() =>
      regularizer.loss!(
        {
          epoch: 0, totalEpochs: 1, step: 0, numClasses: classes, numTrainSamples: rows,
          logits, features, ...noModelInStep, head: (x) => x,
          labels: Int32Array.from(labels), oneHot, indices: Int32Array.from(labels, (_, b) => b), rng: new Rng(0),
        } satisfies StepContext,
        undefined,
      ),
    );
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
    expect(value.dataSync()[0]).toBeGreaterThan(0);
    expect(Math.max(...Array.from(grads[logits.name]!.dataSync(), Math.abs))).toBeGreaterThan(0);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([features, logits, oneHot]);
  });

  it('a batch of one row has no neighbour: its target is (1 − ω)·p, as in the float64 solve', () => {
    const logits = [[2, -1, 0.5]];
    const got = tf.tidy(() => knowledgeEnsemble(tf.tensor2d([[0.3, -2]]), tf.tensor2d(logits), 2, 0.75).dataSync());
    expectAllClose(got, flat(softmaxRows(logits, 2)).map((p) => 0.25 * p), 'single-row target');
  });
});
