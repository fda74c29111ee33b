import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineRegularizerPlugin, regularizerModule, validateConfig, z, type ConfigCatalog, type PrepareContext, type RegularizerPlugin } from '@selfkd/core';
import * as csKd from '@selfkd/cs-kd';
import { datasetCatalog, makeBatch } from '@selfkd/data';
import * as labelSmoothing from '@selfkd/label-smoothing';
import { modelCatalog } from '@selfkd/models';
import * as psKd from '@selfkd/ps-kd';
import * as sdDropout from '@selfkd/sd-dropout';
import { evaluateSplit, loadCheckpoint, train, type EpochRecord, type TrainingReporter } from '@selfkd/trainer';

/** Records what the trainer hands to `prepare` each step, to see the batches CS-KD's sampler makes. */
const seen: { anchors: number[]; labels: number[]; extraIndices: number[]; extraLabels: number[] }[] = [];
const batchSpy = defineRegularizerPlugin({
  type: 'batch-spy',
  description: 'test only: records each batch',
  options: z.strictObject({}),
  defaultWeight: () => 1,
  create: ({ weight, name }) => ({
    type: 'batch-spy',
    name,
    weight,
    prepare: (ctx: PrepareContext) => {
      seen.push({ anchors: [...ctx.indices], labels: [...ctx.labels], extraIndices: [...(ctx.extra?.indices ?? [])], extraLabels: [...(ctx.extra?.labels ?? [])] });
    },
  }),
});
const packages = [labelSmoothing, sdDropout, csKd, psKd];
const modules = [...packages.map((p) => p.module), regularizerModule(batchSpy)];
const catalog: ConfigCatalog = {
  plugins: [...packages.map((p) => p.plugin), batchSpy] as RegularizerPlugin<object>[],
  models: modelCatalog,
  datasets: datasetCatalog,
};
const TRAIN_SIZE = 400;
const BATCH = 64;

function config(regularizers: Record<string, unknown>[], epochs = 2) {
  return validateConfig(
    {
      seed: 3,
      backend: 'cpu',
      data: { name: 'mnist-digits', trainSize: TRAIN_SIZE },
      model: { name: 'mlp', hidden: [32] },
      train: { epochs, batchSize: BATCH, optimizer: { name: 'adam', lr: 0.003 } },
      regularizers,
    },
    catalog,
  );
}
const tempDir = () => mkdtemp(join(tmpdir(), 'selfkd-regularizers-'));
const testMetrics = (records: EpochRecord[]) => records.map((r) => [r.epoch, r.test.top1, r.test.nll, r.train.total]);

describe('the four regularizers in the real trainer', () => {
  const runs: Record<string, Record<string, unknown>[]> = {
    'sd-dropout': [{ type: 'sd-dropout' }],
    'cs-kd': [{ type: 'cs-kd' }],
    'ps-kd': [{ type: 'ps-kd' }],
    'cs-kd + sd-dropout': [{ type: 'cs-kd' }, { type: 'sd-dropout' }],
    'ps-kd + sd-dropout': [{ type: 'ps-kd' }, { type: 'sd-dropout' }],
    'label-smoothing + sd-dropout': [{ type: 'label-smoothing' }, { type: 'sd-dropout' }],
  };
  for (const [what, regularizers] of Object.entries(runs)) {
    it(`${what}: learns, logs each loss term under its name, keeps the tensor count flat`, async () => {
      const counts: number[] = [];
      const reporter: TrainingReporter = { epochEnd: () => counts.push(tf.memory().numTensors) };
      const result = await train(config(regularizers, 3), { outDir: await tempDir(), modules, reporter });
      const terms = regularizers.filter((r) => r.type === 'sd-dropout' || r.type === 'cs-kd').map((r) => r.type as string);
      expect(Object.keys(result.history[0]!.train).sort()).toEqual(['task', 'total', ...terms].sort());
      for (const term of terms) expect(result.history[0]!.train[term]).toBeGreaterThan(0);
      expect(result.metrics.top1).toBeGreaterThan(0.5); // 10 classes: chance is 0.1
      expect(counts[2]).toBe(counts[0]);
    });
  }

  it('CS-KD: every step holds the anchors, then one same-class partner each; every sample is an anchor once an epoch', async () => {
    seen.length = 0;
    await train(config([{ type: 'cs-kd' }, { type: 'batch-spy' }], 1), { outDir: await tempDir(), modules });
    expect(seen.length).toBe(Math.ceil(TRAIN_SIZE / BATCH)); // batchSize counts anchors
    for (const batch of seen) {
      expect(batch.extraIndices.length).toBe(batch.anchors.length);
      expect(batch.extraLabels).toEqual(batch.labels);
    }
    expect(seen.flatMap((b) => b.anchors).sort((a, b) => a - b)).toEqual(Array.from({ length: TRAIN_SIZE }, (_, i) => i));
    // Partners are drawn from the class, not copies of the anchors.
    expect(seen.some((b) => b.extraIndices.some((p, i) => p !== b.anchors[i]))).toBe(true);
  });

  it('PS-KD: memory and α are checkpointed, and a run interrupted mid-epoch resumes to the same metrics', async () => {
    const regularizers = [{ type: 'ps-kd' }, { type: 'sd-dropout' }];
    const full = await train(config(regularizers, 3), { outDir: await tempDir(), modules });
    const out = await tempDir();
    const crash: TrainingReporter = {
      step: (info) => {
        if (info.epoch === 1 && info.stepInEpoch === 2) throw new Error('simulated crash');
      },
    };
    await expect(train(config(regularizers, 3), { outDir: out, modules, reporter: crash })).rejects.toThrow('simulated crash');
    const saved = (await loadCheckpoint(out)).state.regularizers['ps-kd']!;
    expect(saved.alpha).toBeCloseTo(0.8 / 3, 12);
    expect(saved.memory).toBeInstanceOf(Float32Array);
    expect((saved.memory as Float32Array).length).toBe(TRAIN_SIZE * 10);
    // After epoch 0 every row is a softmax output: it sums to 1 and is no longer one-hot.
    const rows = saved.memory as Float32Array;
    for (let i = 0; i < TRAIN_SIZE; i += 37) {
      const row = rows.subarray(i * 10, i * 10 + 10);
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      expect(Math.max(...row)).toBeLessThan(1);
    }
    const resumed = await train(config(regularizers, 3), { outDir: out, modules, resume: true });
    expect(testMetrics(resumed.history)).toEqual(testMetrics(full.history));
  });

  it('SD-Dropout: evaluation uses the clean model, so it is deterministic and equals the reported metrics', async () => {
    let check: { first: unknown; second: unknown; logitsEqual: boolean } | undefined;
    const result = await train(config([{ type: 'sd-dropout' }, { type: 'cs-kd' }], 1), {
      outDir: await tempDir(),
      modules,
      afterTraining: async ({ model, dataset }) => {
        const first = await evaluateSplit(model, dataset, 'test', 500);
        const second = await evaluateSplit(model, dataset, 'test', 500);
        const logitsEqual = tf.tidy(() => {
          const x = makeBatch(dataset, 'test', Int32Array.from({ length: 50 }, (_, i) => i));
          const a = model.forward(x, false).logits.dataSync();
          const b = model.forward(x, false).logits.dataSync();
          return a.every((v, i) => v === b[i]);
        });
        check = { first, second, logitsEqual };
      },
    });
    expect(check!.logitsEqual).toBe(true);
    expect(check!.second).toEqual(check!.first);
    expect(check!.first).toEqual(result.metrics);
  });
});
