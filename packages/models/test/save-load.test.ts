import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, fileLoadHandler, fileSaveHandler, loadModel, type ClassifierModel } from '../src/index.js';
import { randomImages, take, useCpuBackend } from './helpers.js';

let root: string;
beforeAll(async () => {
  await useCpuBackend();
  root = await mkdtemp(join(tmpdir(), 'selfkd-models-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const evalLogits = (model: ClassifierModel, x: tf.Tensor) => Array.from(take(tf.tidy(() => model.forward(x, false).logits)));

describe.each([
  { config: { name: 'resnet18', width: 0.125 }, inputShape: [8, 8, 3] },
  { config: { name: 'cnn', channels: [4, 6], dense: 8, batchNorm: true }, inputShape: [8, 8, 1] },
  { config: { name: 'mlp', hidden: [12, 6] }, inputShape: [4, 4, 2] },
])('save → loadModel round trip of $config.name', ({ config, inputShape }) => {
  it('restores the same model, BatchNorm running statistics included', async () => {
    const model = createModel(config, { inputShape, numClasses: 4, seed: 21 });
    const x = randomImages(5, inputShape, 4);
    // Training-mode passes move the running statistics away from their initial values.
    for (let i = 0; i < 3; i++) {
      const { features, logits } = model.forward(x, true);
      tf.dispose([features, logits]);
    }
    const dir = join(root, config.name, 'nested');
    await model.save(dir);

    const loaded = await loadModel(dir);
    expect([loaded.kind, loaded.inputShape, loaded.numClasses, loaded.featureDim]).toEqual([
      model.kind,
      model.inputShape,
      model.numClasses,
      model.featureDim,
    ]);
    expect(loaded.trainableVariables.map((v) => v.shape)).toEqual(model.trainableVariables.map((v) => v.shape));
    expect(evalLogits(loaded, x)).toEqual(evalLogits(model, x));
    expect(loaded.layersModel.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
      model.layersModel.getWeights().map((w) => Array.from(w.dataSync())),
    );
    x.dispose();
    model.dispose();
    loaded.dispose();
  });
});

describe('file format', () => {
  it('writes the standard tfjs layout that tf.loadLayersModel reads', async () => {
    const model = createModel({ name: 'cnn', channels: [2], dense: 3, batchNorm: true }, { inputShape: [4, 4, 1], numClasses: 2, seed: 0 });
    const dir = join(root, 'format');
    await model.save(dir);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    const names = json.weightsManifest[0]!.weights.map((w) => w.name);
    expect(names).toContain('conv1_bn/moving_mean');
    expect(names).toContain('conv1_bn/moving_variance');
    const floats = model.layersModel.getWeights().reduce((n, w) => n + w.size, 0);
    expect((await stat(join(dir, 'weights.bin'))).size).toBe(4 * floats);
    expect(json.userDefinedMetadata).toEqual({
      selfkd: { kind: 'cnn', options: { channels: [2], dense: 3, batchNorm: true }, taps: { block1: 'pool1' } },
    });

    const plain = await tfl.loadLayersModel(fileLoadHandler(dir));
    const x = randomImages(2, [4, 4, 1], 1);
    expect(Array.from(take(plain.predict(x) as tf.Tensor))).toEqual(Array.from(take(model.layersModel.predict(x) as tf.Tensor)));
    tf.dispose(x);
    plain.dispose();
    model.dispose();
  });

  it('explains a missing model.json, a model not saved by selfkd and a truncated weights file', async () => {
    await expect(loadModel(join(root, 'nothing-here'))).rejects.toThrow(/cannot read saved model file .*nothing-here\/model\.json/);

    const foreign = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3] })] });
    const dir = join(root, 'foreign');
    await foreign.save(fileSaveHandler(dir));
    foreign.dispose();
    await expect(loadModel(dir)).rejects.toThrow(`${dir} does not hold a selfkd model`);

    await writeFile(join(dir, 'weights.bin'), new Uint8Array(3));
    await expect(tfl.loadLayersModel(fileLoadHandler(dir))).rejects.toThrow(
      `${dir}: the weight files (weights.bin) hold 3 bytes but model.json describes ${4 * (3 * 2 + 2)}`,
    );
  });
});
