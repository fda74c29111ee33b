import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, METRICS_FILE, toConfigFile, validateConfig, type ConfigCatalog, type RegularizerPlugin } from '@selfkd/core';
import * as byot from '@selfkd/byot';
import * as dks from '@selfkd/dks';
import { datasetCatalog } from '@selfkd/data';
import { createModel, modelCatalog } from '@selfkd/models';
import * as sdDropout from '@selfkd/sd-dropout';
import { loadCheckpoint, train, type EpochRecord, type TrainingReporter } from '@selfkd/trainer';
import { runChecked } from './support/run-process.js';

/** The methods of issue 15, whose branches are trainable weights of their own, each with SD-Dropout (λ 0.1). */
const plugins = [byot.plugin, dks.plugin, sdDropout.plugin];
const modules = [byot.module, dks.module, sdDropout.module];
const catalog: ConfigCatalog = { plugins: plugins as RegularizerPlugin<object>[], models: modelCatalog, datasets: datasetCatalog };
const trainInChild = join(import.meta.dirname, 'conformance', 'train-in-child.mjs');
// As small as the conformance suite's, since a cnn on the cpu backend is slow on a shared machine.
const model = { name: 'cnn', channels: [4, 8], dense: 16 };

function config(regularizers: Record<string, unknown>[], modelEntry: Record<string, unknown> = model, { trainSize = 200, epochs = 3, batchSize = 50 } = {}) {
  return validateConfig(
    {
      seed: 5,
      backend: 'cpu',
      data: { name: 'mnist-digits', trainSize },
      model: modelEntry,
      train: { epochs, batchSize, optimizer: { name: 'adam', lr: 0.005 } },
      regularizers,
    },
    catalog,
  );
}

/** `[name, shape]` of every weight a saved model holds, from its model.json. */
async function savedWeights(dir: string): Promise<[string, number[]][]> {
  const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')).weightsManifest as { weights: { name: string; shape: number[] }[] }[];
  return manifest.flatMap((group) => group.weights.map((w): [string, number[]] => [w.name, w.shape]));
}

const sdDropoutEntry = { type: 'sd-dropout', weight: 0.1 };
const runs: Record<string, { entry: Record<string, unknown>; branchShapes: number[][] }> = {
  // Branches on both blocks: bottleneck C → 16 features, classifier 16 → 10 classes.
  byot: { entry: { type: 'byot', taps: ['block1', 'block2'] }, branchShapes: [[4, 16], [16], [16, 10], [10], [8, 16], [16], [16, 10], [10]] },
  dks: { entry: { type: 'dks', taps: ['block1', 'block2'] }, branchShapes: [[4, 16], [16], [16, 10], [10], [8, 16], [16], [16, 10], [10]] },
};

describe('the issue-15 methods with trainable branches, with SD-Dropout in the real trainer', () => {
  for (const [method, { entry, branchShapes }] of Object.entries(runs)) {
    it(`${method} + sd-dropout: learns, logs both terms, keeps the tensor count flat, checkpoints its branches and exports the plain model`, async () => {
      const counts: number[] = [];
      const reporter: TrainingReporter = { epochEnd: () => counts.push(tf.memory().numTensors) };
      const outDir = await mkdtemp(join(tmpdir(), 'selfkd-branches-'));
      const result = await train(config([entry, sdDropoutEntry]), { outDir, modules, reporter });
      expect(Object.keys(result.history[0]!.train).sort()).toEqual(['task', 'total', method, 'sd-dropout'].sort());
      for (const term of [method, 'sd-dropout']) expect(result.history[0]!.train[term]).toBeGreaterThan(0);
      expect(result.metrics.top1).toBeGreaterThan(0.3); // 10 classes: chance is 0.1
      expect(counts[2]).toBe(counts[0]);

      const { dir, state } = await loadCheckpoint(outDir);
      expect(state.regularizerVariables[method]!.shapes).toEqual(branchShapes);
      const plain = createModel(model, { inputShape: [28, 28, 1], numClasses: 10, seed: 0 }); // mnist-digits' images
      // Adam keeps m and v for every model variable and every branch variable.
      expect((state.optimizer.slots as unknown[]).length).toBe(2 * (plain.trainableVariables.length + branchShapes.length));
      const plainDir = await mkdtemp(join(tmpdir(), 'selfkd-branches-plain-'));
      await plain.save(plainDir);
      plain.dispose();
      expect(await savedWeights(dir)).toEqual(await savedWeights(plainDir));
    });
  }

  it('on a resnet18 (width 1/16), BYOT on stage2 and stage3 and DKS on stage1 train together, every term finite (child process)', async () => {
    const resnet = { name: 'resnet18', width: 1 / 16 };
    const entries = [{ type: 'byot', taps: ['stage2', 'stage3'] }, { type: 'dks', taps: ['stage1'] }];
    const short = config(entries, resnet, { trainSize: 40, epochs: 1, batchSize: 20 });
    const outDir = await mkdtemp(join(tmpdir(), 'selfkd-branches-resnet-'));
    // A resnet step is long on a loaded cpu: train in a child so that this worker keeps answering.
    await runChecked(process.execPath, [trainInChild, JSON.stringify(toConfigFile(short)), outDir, 'fresh']);
    const [epoch] = (await readFile(join(outDir, METRICS_FILE), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as EpochRecord);
    expect(Object.keys(epoch!.train).sort()).toEqual(['byot', 'dks', 'task', 'total']);
    for (const [term, value] of Object.entries(epoch!.train)) expect(Number.isFinite(value) && value > 0, term).toBe(true);
  });

  it.each(Object.entries(runs))('%s: a tap the model lacks is refused at config time, naming the entry, the tap and the model', (method, { entry }) => {
    expect(() => config([entry], { name: 'mlp', hidden: [32] })).toThrow(ConfigError);
    expect(() => config([entry], { name: 'mlp', hidden: [32] })).toThrow(new RegExp(`regularizers\\[0\\]: ${method} asks for the tap "block1", which model "mlp" does not expose; its taps: hidden1`));
  });
});
