import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, validateConfig, type ModelDescription, type RegularizerPlugin } from '@selfkd/core';
import { datasetCatalog } from '@selfkd/data';
import { createModel, modelCatalog } from '@selfkd/models';
import { loadCheckpoint, train } from '@selfkd/trainer';
import { module, plugin } from '../src/index.js';

const cnn: ModelDescription = { inputShape: [28, 28, 1], numClasses: 10, featureDim: 16, tapShapes: { block1: [14, 14, 4], block2: [7, 7, 8] } };
const defaults = { temperature: 4, alpha: 2, beta: 100, width: 2, depth: 2, weight: 1, name: 'frskd' };
const setupWith = (model: ModelDescription, taps?: string[]) => {
  const regularizer = plugin.create({ ...defaults, taps }, { types: ['frskd'] });
  try {
    regularizer.setup!({ model, totalEpochs: 1, numTrainSamples: 10, rng: new Rng(0) });
    return regularizer;
  } catch (err) {
    regularizer.dispose!();
    throw err;
  }
};

describe('the FRSKD plugin', () => {
  it("reads every image tap of the model by default, and owns the self-teacher's variables until disposed", () => {
    const before = tf.memory().numTensors;
    const regularizer = setupWith(cnn);
    const variables = regularizer.trainableVariables!();
    expect(variables.length).toBeGreaterThan(0);
    // The fc layer is last: [channels of the coarsest level × width, classes].
    expect(variables[variables.length - 2]!.shape).toEqual([16, 10]);
    regularizer.dispose!();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ['an mlp (no image taps)', { ...cnn, tapShapes: { hidden1: [64], hidden2: [32] } }, undefined, /needs at least two stage features, got 0/],
    ['a single tap', cnn, ['block2', 'block2'], /must halve the previous one's height and width/],
    ['odd sizes (a third pool of 7 rows)', { ...cnn, tapShapes: { ...cnn.tapShapes, block3: [3, 3, 8] } }, undefined, /\[14, 14, 4\], \[7, 7, 8\], \[3, 3, 8\]/],
  ])('refuses %s with a ConfigError naming frskd.taps and what is allowed', (_what, model, taps, message) => {
    const before = tf.memory().numTensors;
    expect(() => setupWith(model, taps)).toThrow(ConfigError);
    expect(() => setupWith(model, taps)).toThrow(message);
    expect(() => setupWith(model, taps)).toThrow(/frskd\.taps: .*allowed: two or more image taps \[H, W, C\], each half the height and width of the one before/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a config naming a tap the model lacks is refused at validation, naming both', () => {
    const raw = {
      data: { name: 'mnist-digits', trainSize: 100 },
      model: { name: 'cnn', channels: [4, 8], dense: 16 },
      regularizers: [{ type: 'frskd', taps: ['block1', 'stage3'] }],
    };
    expect(() => validateConfig(raw, { plugins: [plugin as RegularizerPlugin<object>], models: modelCatalog, datasets: datasetCatalog })).toThrow(/stage3/);
  });

  it("trains the tiny cnn with the self-teacher's weights in the checkpoint and only the model's in the exported model.json", async () => {
    const config = validateConfig(
      {
        seed: 4,
        backend: 'cpu',
        data: { name: 'mnist-digits', trainSize: 100 },
        model: { name: 'cnn', channels: [4, 8], dense: 16 },
        train: { epochs: 2, batchSize: 25, optimizer: { name: 'adam', lr: 0.005 } },
        regularizers: [{ type: 'frskd' }],
      },
      { plugins: [plugin as RegularizerPlugin<object>], models: modelCatalog, datasets: datasetCatalog },
    );
    const outDir = await mkdtemp(join(tmpdir(), 'selfkd-frskd-'));
    const result = await train(config, { outDir, modules: [module] });
    expect(result.history[1]!.train['frskd']).toBeGreaterThan(0);
    const { state, dir } = await loadCheckpoint(outDir);
    const teacher = setupWith(cnn);
    const teacherShapes = teacher.trainableVariables!().map((v) => v.shape);
    teacher.dispose!();
    expect(state.regularizerVariables['frskd']!.shapes).toEqual(teacherShapes);
    const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { weightsManifest: { weights: { shape: number[] }[] }[] };
    const exported = manifest.weightsManifest.flatMap((m) => m.weights.map((w) => w.shape));
    const bare = createModel({ name: 'cnn', channels: [4, 8], dense: 16 }, { inputShape: [28, 28, 1], numClasses: 10, seed: 0 });
    expect(exported).toEqual(bare.layersModel.weights.map((w) => w.shape));
    bare.dispose();
  }, 120_000);
});
