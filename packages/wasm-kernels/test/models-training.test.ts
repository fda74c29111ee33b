import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat, softTargetCrossEntropy } from '@selfkd/core';
import { createModel, type ClassifierModel } from '@selfkd/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomTensor, relativeError, setUpBackends, wasmDataCount, type Backend } from './helpers.js';

/** The selfkd models themselves (tfjs-layers, BatchNorm in training mode), at small sizes. */
const LOSS_TOLERANCE = 1e-4;
const STEPS = 5;
const BATCH = 8;

const models = [
  { config: { name: 'mlp', hidden: [64, 32] }, inputShape: [12, 12, 1] },
  { config: { name: 'cnn' }, inputShape: [12, 12, 1] },
  { config: { name: 'resnet18', width: 1 / 16 }, inputShape: [8, 8, 3] },
];

interface Run {
  losses: number[];
  tensors: number[];
  heapTensors: number[];
  finalWeights: Float32Array;
}

async function train(backend: Backend, config: Record<string, unknown> & { name: string }, inputShape: number[], initial: tf.Tensor[], images: tf.Tensor, labels: number[]): Promise<Run> {
  tf.setBackend(backend);
  const model: ClassifierModel = createModel(config, { inputShape, numClasses: 10, seed: 3 });
  model.layersModel.setWeights(initial);
  const target = oneHotFloat(labels, 10);
  // A rate at which the loss falls steadily: where it climbs (0.05 on the ResNet), float32 rounding
  // differences between any two backends grow exponentially from step to step.
  const optimizer = tf.train.sgd(0.01);
  const run: Run = { losses: [], tensors: [], heapTensors: [], finalWeights: new Float32Array() };
  for (let step = 0; step < STEPS; step++) {
    const loss = optimizer.minimize(() => softTargetCrossEntropy(model.forward(images, true).logits, target), true, model.trainableVariables)!;
    run.losses.push(loss.dataSync()[0]!);
    loss.dispose();
    run.tensors.push(tf.memory().numTensors);
    run.heapTensors.push(wasmDataCount());
    // A cpu-backend convolution step takes seconds; between steps the worker answers vitest's RPCs.
    await new Promise((resolve) => setImmediate(resolve));
  }
  // Every weight, BatchNorm's running statistics included.
  run.finalWeights = Float32Array.from(model.layersModel.getWeights().flatMap((w) => Array.from(w.dataSync())));
  tf.dispose(target);
  optimizer.dispose();
  model.dispose();
  return run;
}

describe('five SGD steps of the @selfkd/models models on wasm with these kernels equal the cpu backend', () => {
  beforeAll(setUpBackends);

  it.each(models.map((m) => [m.config.name, m] as const))('%s', async (_name, { config, inputShape }) => {
    tf.setBackend('cpu');
    const reference = createModel(config, { inputShape, numClasses: 10, seed: 3 });
    const initial = reference.layersModel.getWeights().map((w) => tf.clone(w));
    reference.dispose();
    const images = randomTensor([BATCH, ...inputShape], 11);
    const labels = Array.from({ length: BATCH }, (_, i) => (i * 7) % 10);

    const cpu = await train('cpu', config, inputShape, initial, images, labels);
    const wasm = await train('wasm', config, inputShape, initial, images, labels);

    expect(cpu.losses[STEPS - 1]).toBeLessThan(cpu.losses[0]!);
    for (let step = 0; step < STEPS; step++) expect(Math.abs(wasm.losses[step]! - cpu.losses[step]!), `step ${step}`).toBeLessThanOrEqual(LOSS_TOLERANCE);
    expect(relativeError(wasm.finalWeights, cpu.finalWeights)).toBeLessThan(1e-4);
    expect(new Set(wasm.tensors).size).toBe(1);
    expect(new Set(wasm.heapTensors).size).toBe(1);
    tf.dispose([images, ...initial]);
  });
});
