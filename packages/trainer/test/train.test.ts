import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineRegularizerPlugin, hasCheckpoint, regularizerModule, validateConfig, z, type ConfigCatalog } from '@selfkd/core';
import { datasetCatalog } from '@selfkd/data';
import { module as labelSmoothing, plugin as labelSmoothingPlugin } from '@selfkd/label-smoothing';
import { modelCatalog } from '@selfkd/models';
import { DivergenceError, loadCheckpoint, ResumeConfigMismatchError, train, type EpochRecord, type TrainingReporter } from '@selfkd/trainer';

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
    // mlp 784 → 32 → 10: its weights and biases; 784·32 + 32·10 multiply-adds per image, ×2 forward, ×6 training.
    expect(stored.cost).toMatchObject({ parameters: 784 * 32 + 32 + 32 * 10 + 10, forwardFlopsPerImage: 2 * (784 * 32 + 320), trainingFlopsPerImage: 6 * (784 * 32 + 320) });
    expect(stored.cost.cpuSeconds).toBeGreaterThan(0);

    // Without data.validation a run computes what it did before validation existed: these are the
    // values of this config on main before that change (cpu backend), and nothing of validation is written.
    expect(testMetrics(result.history)).toEqual([
      [1, 0.632, 1.2079430541992187, 1.9487047706331526],
      [2, 0.8065, 0.6696490173339844, 1.0546669704573495],
      [3, 0.839, 0.5853068161010743, 0.9157246436391558],
    ]);
    expect(lines.every((line) => !('validation' in line))).toBe(true);
    expect(stored.bestValidation).toBeUndefined();
    expect(stored.env.splits).toEqual({ train: 400, test: 2000 });
    expect(stored.env.machine.cores).toBeGreaterThanOrEqual(1);
    expect('validation' in stored.config.data).toBe(false);
    expect(existsSync(join(out, 'best'))).toBe(false);
    expect((await loadCheckpoint(out)).state.best).toBeNull();
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

  it('refuses to resume with another config, naming every differing field, before writing anything', async () => {
    const out = await tempDir();
    await train(config({ train: { ...config().train, epochs: 2 } }), { outDir: out, modules });
    const before = await snapshotFiles(out);
    const changed = config({ train: { ...config().train, epochs: 1, optimizer: { name: 'sgd', lr: 0.5 } }, regularizers: [] });
    const error = await train(changed, { outDir: out, modules, resume: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResumeConfigMismatchError);
    const message = (error as Error).message;
    for (const field of ['train.epochs', 'train.optimizer.lr', 'train.optimizer.nesterov', 'train.optimizer.weightDecay', 'regularizers']) {
      expect(message).toContain(`  - ${field}: the run was started with`);
    }
    expect(message).toContain(`--init-from ${out}`);
    expect(await snapshotFiles(out)).toEqual(before);
  });

  it('starts a new run from the weights of another run (--init-from), and rejects weights of another architecture', async () => {
    const source = await tempDir();
    const trained = await train(config(), { outDir: source, modules });
    // A learning rate too small to move the weights: the new run evaluates the source's weights.
    const still = config({ train: { epochs: 1, batchSize: 64, optimizer: { name: 'sgd', lr: 1e-12, momentum: 0 } } });
    const continued = await train(still, { outDir: await tempDir(), modules, initFrom: source });
    expect(continued.metrics.top1).toBe(trained.metrics.top1);
    const wider = config({ model: { name: 'mlp', hidden: [48] } });
    await expect(train(wider, { outDir: await tempDir(), modules, initFrom: source })).rejects.toThrow(/weights in .*epoch-0003 do not fit the model of this config/);
  });

  it('stops a runaway loss before the update and says that no checkpoint exists yet', async () => {
    const out = await tempDir();
    const runaway = config({ train: { epochs: 2, batchSize: 64, optimizer: { name: 'adam', lr: 1e6 } } });
    const error = await train(runaway, { outDir: out, modules }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as Error).message).toMatch(/the total loss \S+ at epoch 1, step \d+ exceeds train.maxLoss \(230.3\): the run diverged/);
    expect((error as Error).message).toContain('No checkpoint was written before it');
    expect(hasCheckpoint(out)).toBe(false);
    expect(existsSync(join(out, 'result.json'))).toBe(false);
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
    await expect(run).rejects.toThrow(`The newest checkpoint in ${out} is from epoch 1`);
  });
});

/** Every file of a run folder with its bytes, to show that a refused command changed nothing. */
async function snapshotFiles(dir: string): Promise<Record<string, string>> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const entries = await Promise.all(files.map(async (e) => [join(e.parentPath, e.name), (await readFile(join(e.parentPath, e.name))).toString('base64')] as const));
  return Object.fromEntries(entries);
}
