import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { defineRegularizerPlugin, regularizerModule, softTargetCrossEntropy, validateConfig, z, type ModelDescription, type RegularizerPlugin } from '@selfkd/core';
import { datasetCatalog } from '@selfkd/data';
import { modelCatalog } from '@selfkd/models';
import { train } from '@selfkd/trainer';

/** What the test plugins saw, reset by each test. */
const seen = { setups: [] as ModelDescription[], chainedInputWasZero: [] as boolean[], tapRowsEqual: [] as boolean[] };

const noOptions = z.strictObject({});
const testPlugin = (type: string, make: (name: string, weight: number) => object): RegularizerPlugin<object> =>
  defineRegularizerPlugin({ type, description: 'test only', options: noOptions, defaultWeight: () => 1, create: ({ name, weight }) => ({ type, name, weight, ...make(name, weight) }) });

/** Its setup resolves later; a step before it would throw. */
const slowSetup = testPlugin('slow-setup', () => {
  let ready = false;
  return {
    setup: async (ctx: { model: ModelDescription }) => {
      await sleep(20);
      seen.setups.push(ctx.model);
      ready = true;
    },
    prepare: () => {
      if (!ready) throw new Error('a step ran before setup finished');
    },
  };
});
const zeroInput = testPlugin('zero-input', () => ({ transformInput: (x: tf.Tensor) => tf.zerosLike(x) }));
/** Sees the input after the transforms before it, and the taps of the forward pass on the final input. */
const inputSpy = testPlugin('input-spy', () => ({
  transformInput: (x: tf.Tensor) => {
    seen.chainedInputWasZero.push(tf.tidy(() => tf.max(tf.abs(x)).dataSync()[0] === 0));
    return x;
  },
  loss: (ctx: { taps: Record<string, tf.Tensor> }) => {
    const hidden = ctx.taps.hidden1!;
    seen.tapRowsEqual.push(tf.tidy(() => tf.max(tf.abs(tf.sub(hidden, tf.slice(hidden, [0, 0], [1, -1])))).dataSync()[0] === 0));
    return tf.scalar(0);
  },
}));
/** The task loss again, through a second forward pass inside the tape: learns only if its gradient counts. */
const taskAgain = testPlugin('task-again', () => ({
  prepare: (ctx: { x: tf.Tensor }) => ctx.x,
  loss: (ctx: { forward: (x: tf.Tensor, training: boolean) => { logits: tf.Tensor2D }; oneHot: tf.Tensor2D }, x: tf.Tensor) =>
    softTargetCrossEntropy(ctx.forward(x, true).logits, ctx.oneHot),
}));

const plugins = [slowSetup, zeroInput, inputSpy, taskAgain];
const modules = [regularizerModule(...plugins)];
const catalog = { plugins, models: modelCatalog, datasets: datasetCatalog };
const config = (regularizers: object[], task?: object) =>
  validateConfig(
    {
      seed: 2,
      backend: 'cpu',
      data: { name: 'mnist-digits', trainSize: 200 },
      model: { name: 'mlp', hidden: [16] },
      train: { epochs: 2, batchSize: 50, optimizer: { name: 'adam', lr: 0.01 } },
      regularizers,
      ...(task ? { task } : {}),
    },
    catalog,
  );
const run = async (regularizers: object[], task?: object) => train(config(regularizers, task), { outDir: await mkdtemp(join(tmpdir(), 'selfkd-contract-')), modules });

describe('the step contract in the trainer', () => {
  it('awaits every asynchronous setup, with the model described by its shapes and taps, before the first step', async () => {
    seen.setups.length = 0;
    await run([{ type: 'slow-setup' }]);
    expect(seen.setups).toEqual([{ inputShape: [28, 28, 1], numClasses: 10, featureDim: 16, tapShapes: { hidden1: [16] } }]);
  });

  it('chains input transforms in config order, and the forward pass (and its taps) sees the final input', async () => {
    seen.chainedInputWasZero.length = 0;
    seen.tapRowsEqual.length = 0;
    await run([{ type: 'zero-input' }, { type: 'input-spy' }]);
    expect(seen.chainedInputWasZero.length).toBe(8);
    expect(seen.chainedInputWasZero.every(Boolean)).toBe(true);
    // All-zero images give every row the same hidden activations.
    expect(seen.tapRowsEqual.length).toBe(8);
    expect(seen.tapRowsEqual.every(Boolean)).toBe(true);
  });

  it('weights the task loss by task.weight in the total and logs it unweighted', async () => {
    const result = await run([], { weight: 0.5 });
    for (const record of result.history) expect(record.train.total).toBe(0.5 * record.train.task!);
  });

  it('lets a loss run the model again inside the tape: with the task weighted 0, that loss alone trains the model', async () => {
    const result = await run([{ type: 'task-again' }], { weight: 0 });
    expect(result.history[0]!.train.total).toBe(result.history[0]!.train['task-again']);
    expect(result.metrics.top1).toBeGreaterThan(0.5); // 10 classes: chance is 0.1
  });
});
