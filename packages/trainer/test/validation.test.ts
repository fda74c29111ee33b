import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { validateConfig, type ConfigCatalog } from '@selfkd/core';
import { datasetCatalog, loadDataset } from '@selfkd/data';
import { loadModel, modelCatalog, type ClassifierModel } from '@selfkd/models';
import {
  evaluateSplit,
  loadCheckpoint,
  openBestModel,
  saveCheckpoint,
  train,
  TRAINER_TOKENS,
  type CheckpointStore,
  type EpochRecord,
  type TrainResult,
  type TrainingReporter,
} from '@selfkd/trainer';
import { improves } from '../src/best-epoch.js';

const catalog: ConfigCatalog = { plugins: [], models: modelCatalog, datasets: datasetCatalog };
const tempDir = () => mkdtemp(join(tmpdir(), 'selfkd-validation-'));
const readLines = async (out: string) => (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as EpochRecord);

/**
 * A fast learning rate on 150 images: validation accuracy goes up and down, so with this seed the
 * best epoch is not the last (epochs 1 and 4 tie on validation top-1, and NLL is lowest at epoch 3).
 */
const heldOutConfig = (selectBy?: 'val-top1' | 'val-nll') =>
  validateConfig(
    {
      seed: 2,
      backend: 'cpu',
      data: { name: 'mnist-digits', trainSize: 200, validation: 0.25 },
      model: { name: 'mlp', hidden: [16] },
      train: { epochs: 4, batchSize: 50, optimizer: { name: 'adam', lr: 0.05 }, ...(selectBy ? { selectBy } : {}) },
    },
    catalog,
  );

/** The epoch an independent scan of the history selects: best value, the earliest on ties. */
function selectedEpoch(history: EpochRecord[], selectBy: 'val-top1' | 'val-nll'): number {
  const score = (r: EpochRecord) => (selectBy === 'val-top1' ? r.validation!.top1 : -r.validation!.nll);
  return history.reduce((best, r) => (score(r) > score(best) ? r : best)).epoch;
}

const uninterrupted = new Map<string, Promise<{ out: string; result: TrainResult }>>();
/** One uninterrupted run per selection rule, shared by the tests. */
function trainedUninterrupted(selectBy: 'val-top1' | 'val-nll') {
  if (!uninterrupted.has(selectBy)) {
    uninterrupted.set(
      selectBy,
      tempDir().then(async (out) => ({ out, result: await train(heldOutConfig(selectBy === 'val-nll' ? 'val-nll' : undefined), { outDir: out, modules: [] }) })),
    );
  }
  return uninterrupted.get(selectBy)!;
}

describe('the best-epoch rule', () => {
  it('keeps the earlier epoch on a tie, and lets any number beat a NaN NLL', () => {
    const m = (top1: number, nll: number) => ({ top1, nll });
    expect(improves('val-top1', m(0.5, 1), m(0.5, 2))).toBe(false);
    expect(improves('val-top1', m(0.51, 9), m(0.5, 1))).toBe(true);
    expect(improves('val-nll', m(0.1, 1), m(0.9, 1))).toBe(false);
    expect(improves('val-nll', m(0.1, 0.9), m(0.9, 1))).toBe(true);
    expect(improves('val-nll', m(0.1, 5), m(0.9, Number.NaN))).toBe(true);
    expect(improves('val-nll', m(0.1, Number.NaN), m(0.9, 5))).toBe(false);
  });
});

describe('training with data.validation', () => {
  it('evaluates validation every epoch, selects on it (never on test), and keeps that epoch in best/', async () => {
    const { out, result } = await trainedUninterrupted('val-top1');
    const lines = await readLines(out);
    expect(lines.map((l) => Object.keys(l))).toEqual(lines.map(() => ['epoch', 'lr', 'train', 'validation', 'test', 'seconds']));
    const epoch = selectedEpoch(lines, 'val-top1');
    expect(epoch).toBeLessThan(4);
    const chosen = lines[epoch - 1]!;
    const expected = { selectBy: 'val-top1', epoch, validation: chosen.validation, test: chosen.test };
    expect(result.bestValidation).toEqual(expected);
    expect(result.metrics).toEqual(lines[3]!.test);
    const stored = JSON.parse(await readFile(join(out, 'result.json'), 'utf8'));
    expect(stored.bestValidation).toEqual(expected);
    expect(stored.env.splits).toEqual({ train: 150, validation: 50, test: 2000 });
    expect(stored.config.data.validation).toBe(0.25);
    expect(JSON.parse(await readFile(join(out, 'config.resolved.json'), 'utf8')).data.validation).toBe(0.25);

    // best/ holds that epoch's weights: evaluated again, they give its metrics on both splits.
    const { dir, best } = await openBestModel(out);
    expect(best).toEqual(expected);
    await tf.setBackend('cpu');
    const dataset = await loadDataset(heldOutConfig().data, { seed: 2 });
    const model = await loadModel(dir);
    try {
      expect(await evaluateSplit(model, dataset, 'validation', 500)).toEqual(chosen.validation);
      expect(await evaluateSplit(model, dataset, 'test', 500)).toEqual(chosen.test);
    } finally {
      model.dispose();
    }
  });

  it('selects by validation NLL when asked', async () => {
    const { result } = await trainedUninterrupted('val-nll');
    expect(result.bestValidation!.selectBy).toBe('val-nll');
    expect(result.bestValidation!.epoch).toBe(selectedEpoch(result.history, 'val-nll'));
    expect(result.bestValidation!.epoch).not.toBe((await trainedUninterrupted('val-top1')).result.bestValidation!.epoch);
  });

  it('keeps the tensor count stable across epochs', async () => {
    const counts: number[] = [];
    await train(heldOutConfig(), { outDir: await tempDir(), modules: [], reporter: { epochEnd: () => counts.push(tf.memory().numTensors) } });
    expect(new Set(counts).size).toBe(1);
  });
});

describe('the best epoch across an interrupted run', () => {
  it('survives a crash mid-epoch: the checkpoint knows the best epoch and best/ is written again from it', async () => {
    const full = await trainedUninterrupted('val-top1');
    const out = await tempDir();
    const crashMidEpoch4: TrainingReporter = {
      step: (info) => {
        if (info.epoch === 3 && info.stepInEpoch === 2) throw new Error('simulated crash');
      },
    };
    await expect(train(heldOutConfig(), { outDir: out, modules: [], reporter: crashMidEpoch4 })).rejects.toThrow('simulated crash');
    const saved = (await loadCheckpoint(out)).state;
    expect(saved.epoch).toBe(3);
    expect(saved.best!.epoch).toBe(full.result.bestValidation!.epoch);
    // best/ damaged on disk meanwhile: the checkpoint's copy of the weights puts it right.
    await writeFile(join(out, 'best', 'weights.bin'), new Uint8Array(8));
    const resumed = await train(heldOutConfig(), { outDir: out, modules: [], resume: true });
    expect(resumed.bestValidation).toEqual(full.result.bestValidation);
    expect(resumed.metrics).toEqual(full.result.metrics);
    expect(await readFile(join(out, 'best', 'weights.bin'))).toEqual(await readFile(join(full.out, 'best', 'weights.bin')));
  });

  it('survives a crash after best/ took a new epoch but before that epoch was checkpointed', async () => {
    const full = await trainedUninterrupted('val-nll');
    // The last epoch after the first that improved validation NLL: best/ gets it, its checkpoint fails.
    const improvedAt = full.result.history.filter((r, i, all) => i > 0 && all.slice(0, i).every((p) => r.validation!.nll < p.validation!.nll)).map((r) => r.epoch);
    const failAt = improvedAt[improvedAt.length - 1]!;
    const out = await tempDir();
    const failingStore = new ContainerModule(({ rebind }) => {
      rebind<CheckpointStore>(TRAINER_TOKENS.CheckpointStore).toDynamicValue(async (ctx) => {
        const model = await ctx.getAsync<ClassifierModel>(TRAINER_TOKENS.Model);
        return {
          save: async (state) => {
            if (state.epoch === failAt) throw new Error('killed before the checkpoint');
            await saveCheckpoint(out, state, { saveModel: (dir) => model.save(dir) });
          },
        };
      });
    });
    await expect(train(heldOutConfig('val-nll'), { outDir: out, modules: [failingStore] })).rejects.toThrow('killed before the checkpoint');
    expect((await openBestModel(out)).best.epoch).toBe(failAt);
    const saved = (await loadCheckpoint(out)).state;
    expect(saved.epoch).toBe(failAt - 1);
    expect(saved.best!.epoch).toBeLessThan(failAt);

    // Before any epoch reruns, best/ is back at the checkpoint's best epoch.
    let bestAtStart: unknown;
    const atStart: TrainingReporter = { runStart: () => (bestAtStart = JSON.parse(readFileSync(join(out, 'best', 'best.json'), 'utf8')).epoch) };
    const resumed = await train(heldOutConfig('val-nll'), { outDir: out, modules: [], resume: true, reporter: atStart });
    expect(bestAtStart).toBe(saved.best!.epoch);
    expect(resumed.bestValidation).toEqual(full.result.bestValidation);
    expect(await readFile(join(out, 'best', 'weights.bin'))).toEqual(await readFile(join(full.out, 'best', 'weights.bin')));
  });
});
