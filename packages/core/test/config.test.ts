import { describe, expect, it } from 'vitest';
import {
  applyOverrides,
  defineRegularizerPlugin,
  loggingReporters,
  toConfigFile,
  toConfigIssues,
  validateConfig,
  z,
  type ConfigCatalog,
  type RegularizerPlugin,
} from '@selfkd/core';
import { configIssues } from '../../../test/support/plugin-catalog.js';

const fake = (type: string, ownsSampler = false): RegularizerPlugin<{ rate: number; temperature: number }> =>
  defineRegularizerPlugin({
    type,
    description: `fake ${type}`,
    ownsSampler,
    options: z.strictObject({ rate: z.number().min(0).lt(1).default(0.5), temperature: z.number().positive().default(3) }),
    defaultWeight: (env) => (env.types.length > 1 ? 0.1 : 1),
    create: () => {
      throw new Error('not needed here');
    },
  });

const catalog: ConfigCatalog = {
  plugins: [fake('sd-dropout'), fake('cs-kd', true), fake('pair-sampler', true)] as RegularizerPlugin<object>[],
  models: [{ name: 'mlp', description: 'mlp', options: z.strictObject({ hidden: z.array(z.number().int().positive()).default([512]) }) }],
  datasets: [{ name: 'mnist-digits', description: 'digits', options: z.strictObject({ trainSize: z.number().int().positive().optional() }) }],
  reporters: ['tensorboard', 'mlflow', 'wandb'].map((name) => ({ name, description: name, options: z.looseObject({}) })),
};

const good = {
  data: { name: 'mnist-digits' },
  model: { name: 'mlp' },
  train: { epochs: 2, optimizer: { name: 'adam', lr: 0.001 } },
  regularizers: [{ type: 'sd-dropout' }],
};

const issuesOf = (raw: unknown) => configIssues(raw, catalog);

describe('validateConfig', () => {
  it('fills defaults, including plugin options and combination-dependent weights', () => {
    const cfg = validateConfig(good, catalog);
    expect(cfg.seed).toBe(0);
    expect(cfg.backend).toBe('auto');
    expect(cfg.train.batchSize).toBe(128);
    expect(cfg.train.schedule).toEqual({ name: 'constant', warmupEpochs: 0 });
    expect(cfg.model).toEqual({ name: 'mlp', hidden: [512] });
    expect(cfg.regularizers).toEqual([{ type: 'sd-dropout', options: { rate: 0.5, temperature: 3, weight: 1, name: 'sd-dropout' } }]);
    const combined = validateConfig({ ...good, regularizers: [{ type: 'cs-kd' }, { type: 'sd-dropout' }] }, catalog);
    expect(combined.regularizers[1]!.options.weight).toBe(0.1);
  });

  it('names the path, the value and what is allowed for each problem', () => {
    const issues = issuesOf({
      ...good,
      extra: 1,
      train: { epochs: 2, optimizer: { name: 'adam', lr: 0.001, momentum: 0.9 } },
      regularizers: [{ type: 'sd-dropout', rate: 1.5, temperature: -1, weight: Number.NaN }],
    });
    expect(issues.some((i) => i.startsWith('extra | 1 | unknown key "extra"; allowed keys: seed, backend'))).toBe(true);
    expect(issues.some((i) => i.startsWith('train.optimizer.momentum | 0.9 | unknown key "momentum"; allowed keys: name, lr, beta1'))).toBe(true);
    expect(issues.some((i) => i.startsWith('regularizers[0].weight |'))).toBe(true);
  });

  it('accepts a logging section and names the key, the value and what is allowed in a bad one', () => {
    const logging = { tensorboard: 'runs/tb', mlflow: 'mlruns', experiment: 'kd', runName: 'a' };
    expect(validateConfig({ ...good, logging }, catalog).logging).toEqual(logging);
    expect(validateConfig(good, catalog).logging).toBeUndefined();
    const issues = issuesOf({ ...good, logging: { tensorbord: 'tb', mlflow: 3 } });
    expect(issues.some((i) => i.startsWith('logging.tensorbord | "tb" | unknown key "tensorbord"; allowed keys: tensorboard, mlflow, experiment, wandb, project, runName'))).toBe(true);
    expect(issues.some((i) => i.startsWith('logging.mlflow | 3 |') && /string/.test(i))).toBe(true);
  });

  it('reads each logging key as the reporter of that name, and rejects one that no loaded plugin contributes', () => {
    const logging = { tensorboard: 'tb', mlflow: 'mlruns', experiment: 'kd', wandb: 'wandb', project: 'p', runName: 'a' };
    expect(loggingReporters(logging)).toEqual([
      { name: 'tensorboard', dir: 'tb', runName: 'a' },
      { name: 'mlflow', dir: 'mlruns', experiment: 'kd', runName: 'a' },
      { name: 'wandb', dir: 'wandb', project: 'p', runName: 'a' },
    ]);
    expect(loggingReporters({ mlflow: 'mlruns' })).toEqual([{ name: 'mlflow', dir: 'mlruns' }]);
    expect(loggingReporters(undefined)).toEqual([]);
    const withoutTrackers = { ...catalog, reporters: catalog.reporters!.filter((r) => r.name !== 'wandb') };
    expect(configIssues({ ...good, logging: { tensorboard: 'tb', wandb: 'wandb' } }, withoutTrackers)).toEqual([
      'logging.wandb | "wandb" | no loaded plugin contributes the "wandb" reporter this key asks for; load @selfkd/tracking\'s `module` (the selfkd command always does)',
    ]);
  });

  it('reports out-of-range plugin options with their path and value', () => {
    const issues = issuesOf({ ...good, regularizers: [{ type: 'sd-dropout', rate: 1.5, temperature: -1 }] });
    expect(issues.find((i) => i.startsWith('regularizers[0].rate | 1.5 |'))).toBeDefined();
    expect(issues.find((i) => i.startsWith('regularizers[0].temperature | -1 |'))).toBeDefined();
  });

  it('lists the known names for an unknown type, model or dataset', () => {
    const issues = issuesOf({ ...good, model: { name: 'vgg' }, data: { name: 'imagenet' }, regularizers: [{ type: 'mixup' }] });
    expect(issues).toContain('model.name | "vgg" | unknown model; known: mlp');
    expect(issues).toContain('data.name | "imagenet" | unknown dataset; known: mnist-digits');
    expect(issues).toContain('regularizers[0].type | "mixup" | unknown regularizer type; known: sd-dropout, cs-kd, pair-sampler');
  });

  it('rejects two sampler owners, naming both', () => {
    const issues = issuesOf({ ...good, regularizers: [{ type: 'cs-kd' }, { type: 'pair-sampler' }] });
    expect(issues.join('\n')).toContain('regularizers[0] (cs-kd) and regularizers[1] (pair-sampler) each supply the batch sampler');
  });

  it('rejects two regularizers logged under one name', () => {
    const issues = issuesOf({ ...good, regularizers: [{ type: 'sd-dropout' }, { type: 'sd-dropout' }] });
    expect(issues.join('\n')).toContain('regularizers[1].name | "sd-dropout" | regularizers[0] already uses this name');
  });
});

describe('applyOverrides', () => {
  it('sets nested keys and array items with YAML-typed values, leaving the input untouched', () => {
    const out = applyOverrides(good, ['train.epochs=7', 'regularizers.0.rate=0.25', 'seed=3', 'train.optimizer={name: sgd, lr: 0.1}']) as typeof good & {
      seed: number;
    };
    expect(out.train.epochs).toBe(7);
    expect((out.regularizers[0] as Record<string, unknown>).rate).toBe(0.25);
    expect(out.seed).toBe(3);
    expect(out.train.optimizer).toEqual({ name: 'sgd', lr: 0.1 });
    expect(good.train.epochs).toBe(2);
  });

  it('goes through the same validation', () => {
    const issues = issuesOf(applyOverrides(good, ['regularizers.0.rate=1.5']));
    expect(issues.find((i) => i.startsWith('regularizers[0].rate | 1.5 |'))).toBeDefined();
  });

  it('rejects an override without "="', () => {
    expect(() => applyOverrides(good, ['train.epochs'])).toThrow(/path.to.key=value/);
  });
});

describe('toConfigFile', () => {
  it('gives a file form that validates back to the same config', () => {
    const cfg = validateConfig({ ...good, regularizers: [{ type: 'cs-kd', temperature: 2 }, { type: 'sd-dropout', name: 'sdd' }] }, catalog);
    const file = toConfigFile(cfg);
    expect(file.regularizers).toEqual([
      { type: 'cs-kd', rate: 0.5, temperature: 2, weight: 0.1, name: 'cs-kd' },
      { type: 'sd-dropout', rate: 0.5, temperature: 3, weight: 0.1, name: 'sdd' },
    ]);
    expect(validateConfig(JSON.parse(JSON.stringify(file)), catalog)).toEqual(cfg);
  });
});

describe('toConfigIssues', () => {
  const section = z.strictObject({
    sizes: z.array(z.number().int().positive()).default([1]),
    crop: z.strictObject({ padding: z.number().int().min(0), flip: z.boolean() }).optional(),
  });
  const issuesOf = (input: unknown, prefix: PropertyKey[]) => {
    const parsed = section.safeParse(input);
    if (parsed.success) throw new Error('expected the input to be invalid');
    return toConfigIssues(parsed.error, section, input, prefix);
  };

  it('places paths under the prefix, with the value found in the input, for array elements', () => {
    expect(issuesOf({ sizes: [4, -2] }, ['model'])).toEqual([
      { path: 'model.sizes[1]', value: -2, message: expect.stringMatching(/>0|positive|too small/i) as unknown },
    ]);
  });

  it('lists the keys allowed where an unknown key sits, also in nested objects behind optional', () => {
    expect(issuesOf({ crop: { padding: 2, flip: true, mirror: 1 }, size: 3 }, ['data', 'augment'])).toEqual([
      { path: 'data.augment.crop.mirror', value: 1, message: 'unknown key "mirror"; allowed keys: padding, flip' },
      { path: 'data.augment.size', value: 3, message: 'unknown key "size"; allowed keys: sizes, crop' },
    ]);
  });
});
