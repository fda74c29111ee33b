import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, validateConfig, type ConfigCatalog, type RegularizerPlugin } from '@selfkd/core';
import * as bake from '@selfkd/bake';
import * as csKd from '@selfkd/cs-kd';
import * as ddgsd from '@selfkd/ddgsd';
import * as dlb from '@selfkd/dlb';
import { datasetCatalog } from '@selfkd/data';
import * as mixing from '@selfkd/mixing';
import { modelCatalog } from '@selfkd/models';
import * as sdDropout from '@selfkd/sd-dropout';
import * as tfKdReg from '@selfkd/tf-kd-reg';
import { train, type TrainingReporter } from '@selfkd/trainer';

/** The self-KD methods of issue 14, each composed with SD-Dropout (λ 0.1) in the real trainer. */
const plugins = [mixing.mixupPlugin, mixing.cutMixPlugin, tfKdReg.plugin, bake.plugin, dlb.plugin, ddgsd.plugin, sdDropout.plugin, csKd.plugin];
const modules = [mixing.module, tfKdReg.module, bake.module, dlb.module, ddgsd.module, sdDropout.module, csKd.module];
const catalog: ConfigCatalog = { plugins: plugins as RegularizerPlugin<object>[], models: modelCatalog, datasets: datasetCatalog };

function config(regularizers: Record<string, unknown>[], taskWeight = 1, cropPadding?: number) {
  return validateConfig(
    {
      seed: 5,
      backend: 'cpu',
      data: { name: 'mnist-digits', trainSize: 400, ...(cropPadding === undefined ? {} : { augment: { cropPadding } }) },
      model: { name: 'mlp', hidden: [32] },
      train: { epochs: 3, batchSize: 64, optimizer: { name: 'adam', lr: 0.003 } },
      task: { weight: taskWeight },
      regularizers,
    },
    catalog,
  );
}

const sdDropoutEntry = { type: 'sd-dropout', weight: 0.1 };
const runs: Record<string, { regularizers: Record<string, unknown>[]; terms: string[]; taskWeight?: number; cropPadding?: number }> = {
  'mixup + sd-dropout': { regularizers: [{ type: 'mixup' }, sdDropoutEntry], terms: ['sd-dropout'] },
  'cutmix + sd-dropout': { regularizers: [{ type: 'cutmix' }, sdDropoutEntry], terms: ['sd-dropout'] },
  'tf-kd-reg (task weight 1 − α) + sd-dropout': { regularizers: [{ type: 'tf-kd-reg' }, sdDropoutEntry], terms: ['tf-kd-reg', 'sd-dropout'], taskWeight: 0.9 },
  'bake + sd-dropout': { regularizers: [{ type: 'bake' }, sdDropoutEntry], terms: ['bake', 'sd-dropout'] },
  'dlb + sd-dropout': { regularizers: [{ type: 'dlb' }, sdDropoutEntry], terms: ['dlb', 'sd-dropout'] },
  // Without augmentation the two views are the same image and DDGSD's term is 0.
  'ddgsd (task weight 0.5, random crops) + sd-dropout': { regularizers: [{ type: 'ddgsd' }, sdDropoutEntry], terms: ['ddgsd', 'sd-dropout'], taskWeight: 0.5, cropPadding: 1 },
  'cs-kd + sd-dropout + cutmix': { regularizers: [{ type: 'cs-kd' }, sdDropoutEntry, { type: 'cutmix' }], terms: ['cs-kd', 'sd-dropout'] },
};

describe('the issue-14 self-KD methods with SD-Dropout in the real trainer', () => {
  for (const [what, { regularizers, terms, taskWeight, cropPadding }] of Object.entries(runs)) {
    it(`${what}: learns, logs each loss term, keeps the tensor count flat`, async () => {
      const counts: number[] = [];
      const reporter: TrainingReporter = { epochEnd: () => counts.push(tf.memory().numTensors) };
      const outDir = await mkdtemp(join(tmpdir(), 'selfkd-methods-'));
      const result = await train(config(regularizers, taskWeight, cropPadding), { outDir, modules, reporter });
      expect(Object.keys(result.history[0]!.train).sort()).toEqual(['task', 'total', ...terms].sort());
      for (const term of terms) expect(result.history[0]!.train[term]).toBeGreaterThan(0);
      expect(result.metrics.top1).toBeGreaterThan(0.5); // 10 classes: chance is 0.1
      expect(counts[2]).toBe(counts[0]);
    });
  }

  it.each(['bake', 'dlb', 'ddgsd'])('%s and CS-KD both supply the batch sampler: a config with both is refused, naming both', (method) => {
    expect(() => config([{ type: 'cs-kd' }, { type: method }])).toThrow(ConfigError);
    expect(() => config([{ type: 'cs-kd' }, { type: method }])).toThrow(new RegExp(`regularizers\\[0\\] \\(cs-kd\\) and regularizers\\[1\\] \\(${method}\\) each supply the batch sampler`));
  });

  it('DLB: the last chunk and its logits are checkpointed, and a run interrupted mid-epoch resumes to the same metrics', async () => {
    const regularizers = [{ type: 'dlb' }, sdDropoutEntry];
    const full = await train(config(regularizers), { outDir: await mkdtemp(join(tmpdir(), 'selfkd-methods-')), modules });
    const out = await mkdtemp(join(tmpdir(), 'selfkd-methods-'));
    const crash: TrainingReporter = {
      step: (info) => {
        if (info.epoch === 1 && info.stepInEpoch === 3) throw new Error('simulated crash');
      },
    };
    await expect(train(config(regularizers), { outDir: out, modules, reporter: crash })).rejects.toThrow('simulated crash');
    const resumed = await train(config(regularizers), { outDir: out, modules, resume: true });
    const metrics = (r: typeof full) => r.history.map((h) => [h.test.top1, h.test.nll, h.train.total]);
    expect(metrics(resumed)).toEqual(metrics(full));
  });
});
