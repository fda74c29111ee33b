import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineRegularizerPlugin, regularizerModule, validateConfig, z, type ConfigCatalog } from '@selfkd/core';
import { datasetCatalog } from '@selfkd/data';
import { module as labelSmoothing, plugin as labelSmoothingPlugin } from '@selfkd/label-smoothing';
import { modelCatalog } from '@selfkd/models';
import { DivergenceError, hasCheckpoint, loadCheckpoint, train, type EpochRecord, type TrainingReporter } from '@selfkd/trainer';

/** A loss term that turns NaN at a chosen global step, to exercise divergence handling. */
const nanAtStep = defineRegularizerPlugin<{ step: number }>({
  type: 'nan-at-step',
  description: 'test only',
  options: z.strictObject({ step: z.number().int().min(0) }),
  defaultWeight: () => 1,
  create: ({ step, weight, name }) => ({
    type: 'nan-at-step',
    name,
    weight,
    loss: (ctx) => tf.scalar(ctx.step === step ? Number.NaN : 0),
  }),
});

const catalog: ConfigCatalog = { plugins: [labelSmoothingPlugin, nanAtStep] as never, models: modelCatalog, datasets: datasetCatalog };
const modules = [labelSmoothing, regularizerModule(nanAtStep)];

function config(overrides: Record<string, unknown> = {}) {
  return validateConfig(
    {
      seed: 7,
      backend: 'cpu',
      data: { name: 'mnist-digits', trainSize: 400 },
      model: { name: 'mlp', hidden: [32] },
      train: { epochs: 3, batchSize: 64, optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 5e-4 }, schedule: { name: 'cosine' } },
      regularizers: [{ type: 'label-smoothing' }],
      ...overrides,
    },
    catalog,
  );
}

const tempDir = () => mkdtemp(join(tmpdir(), 'selfkd-train-'));
const testMetrics = (records: EpochRecord[]) => records.map((r) => [r.epoch, r.test.top1, r.test.nll, r.train.total]);

describe('train', () => {
  it('writes metrics.jsonl, result.json and a checkpoint per epoch, and learns', async () => {
    const out = await tempDir();
    const result = await train(config(), { outDir: out, modules });
    const lines = (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as EpochRecord);
    expect(lines.map((l) => l.epoch)).toEqual([1, 2, 3]);
    expect(Object.keys(lines[0]!.train).sort()).toEqual(['task', 'total']);
    const stored = JSON.parse(await readFile(join(out, 'result.json'), 'utf8'));
    expect(Object.keys(stored.metrics)).toEqual(['top1', 'nll']);
    expect(stored.env.backend).toBe('cpu');
    expect(stored.env.seed).toBe(7);
    expect(stored.env.versions['@tensorflow/tfjs-core']).toBe('4.22.0');
    expect(stored.config.regularizers[0]).toEqual({ type: 'label-smoothing', epsilon: 0.1, weight: 1, name: 'label-smoothing' });
    expect(result.metrics.top1).toBeGreaterThan(0.5); // 10 classes: chance is 0.1
    expect((await loadCheckpoint(out)).state.epoch).toBe(3);
  });

  it('is deterministic: same seed and backend give identical metrics', async () => {
    const a = await train(config(), { outDir: await tempDir(), modules });
    const b = await train(config(), { outDir: await tempDir(), modules });
    expect(testMetrics(b.history)).toEqual(testMetrics(a.history));
    const c = await train(config({ seed: 8 }), { outDir: await tempDir(), modules });
    expect(testMetrics(c.history)).not.toEqual(testMetrics(a.history));
  });

  it('resumes a run interrupted mid-epoch and ends with the same metrics as an uninterrupted run', async () => {
    const full = await train(config(), { outDir: await tempDir(), modules });
    const out = await tempDir();
    const crashMidEpoch2: TrainingReporter = {
      step: (info) => {
        if (info.epoch === 1 && info.stepInEpoch === 3) throw new Error('simulated crash');
      },
    };
    await expect(train(config(), { outDir: out, modules, reporter: crashMidEpoch2 })).rejects.toThrow('simulated crash');
    expect((await loadCheckpoint(out)).state.epoch).toBe(1);
    await expect(train(config(), { outDir: out, modules })).rejects.toThrow(/already holds a run .* --resume/);
    const resumed = await train(config(), { outDir: out, modules, resume: true });
    expect(testMetrics(resumed.history)).toEqual(testMetrics(full.history));
  });

  it('keeps the tensor count stable across epochs', async () => {
    const counts: number[] = [];
    await train(config({ train: { epochs: 3, batchSize: 64, optimizer: { name: 'adam', lr: 0.001 } } }), {
      outDir: await tempDir(),
      modules,
      reporter: { epochEnd: () => counts.push(tf.memory().numTensors) },
    });
    expect(counts[2]).toBe(counts[0]);
  });

  it('stops on a NaN loss naming epoch, step and term, keeping the last good checkpoint', async () => {
    const out = await tempDir();
    const stepsPerEpoch = Math.ceil(400 / 64);
    const run = train(config({ regularizers: [{ type: 'nan-at-step', step: stepsPerEpoch + 2 }] }), { outDir: out, modules });
    await expect(run).rejects.toBeInstanceOf(DivergenceError);
    await expect(train(config({ regularizers: [{ type: 'nan-at-step', step: stepsPerEpoch + 2 }] }), { outDir: await tempDir(), modules })).rejects.toThrow(
      `loss term "nan-at-step" is NaN at epoch 2, step ${stepsPerEpoch + 2}`,
    );
    expect(hasCheckpoint(out)).toBe(true);
    expect((await loadCheckpoint(out)).state.epoch).toBe(1);
  });
});
