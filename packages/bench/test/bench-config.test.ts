import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configHash, deepMerge, expandRuns, loadBenchConfig, parseBenchConfig } from '../src/index.js';
import { issuesOf } from './support/config-issues.js';
import { tempDir } from './support/fake-bench.js';

const base = { data: { name: 'mnist-digits' }, model: { name: 'mlp', hidden: [64] }, train: { epochs: 2, optimizer: { name: 'adam', lr: 0.001 } }, eval: { suite: 'basic' } };

describe('parseBenchConfig', () => {
  it('fills in the seeds and takes the first combination without regularizers as the baseline', () => {
    const config = parseBenchConfig({
      base,
      combinations: [
        { name: 'ls', regularizers: [{ type: 'label-smoothing' }] },
        { name: 'plain', regularizers: [] },
      ],
    });
    expect(config.seeds).toEqual([0, 1, 2]);
    expect(config.baseline).toBe('plain');
    expect(config.base).toEqual(base);
  });

  it('has no baseline when every combination has regularizers, unless one is named', () => {
    const combinations = [{ name: 'a', regularizers: [{ type: 'x' }] }, { name: 'b', regularizers: [{ type: 'y' }] }];
    expect(parseBenchConfig({ base, combinations }).baseline).toBeNull();
    expect(parseBenchConfig({ base, combinations, baseline: 'b' }).baseline).toBe('b');
  });

  it('reads baseFile relative to the bench config file', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'configs'));
    writeFileSync(join(dir, 'configs', 'base.yaml'), 'data: { name: mnist-digits }\ntrain: { epochs: 7 }\n');
    writeFileSync(join(dir, 'configs', 'bench.yaml'), 'baseFile: base.yaml\ncombinations: [{ name: baseline, regularizers: [] }]\nseeds: [4]\n');
    const config = loadBenchConfig(join(dir, 'configs', 'bench.yaml'));
    expect(config.base).toEqual({ data: { name: 'mnist-digits' }, train: { epochs: 7 } });
    expect(config.seeds).toEqual([4]);
  });

  it('lists every problem with its path, value and what is allowed', () => {
    const message = issuesOf({
      base,
      baseFile: 'x.yaml',
      combinations: [
        { name: 'a b', regularizers: [] },
        { name: 'ok', regularizers: [], overrides: { seed: 3, regularizers: [] } },
        { name: 'ok', regularizers: [{ weight: 1 }], extra: 1 },
      ],
      seeds: [0, 0],
      baseline: 'nope',
      worker: 2,
    });
    expect(message).toContain('worker: unknown key "worker"; allowed keys: base, baseFile, suites, combinations, generate, grids, baseline, seeds, eval, workers (got 2)');
    expect(message).toContain('combinations[0].name: a combination name must start with a letter or digit');
    expect(message).toContain('combinations[1].overrides.seed: "seed" is set by the bench');
    expect(message).toContain('combinations[1].overrides.regularizers: "regularizers" is set by the bench');
    expect(message).toContain('combinations[2].regularizers[0].type');
    expect(message).toContain('combinations[2].extra: unknown key "extra"; allowed keys: name, regularizers, overrides, group (got 1)');
  });

  it('checks names, seeds and the baseline once the shapes are right', () => {
    const message = issuesOf({
      base,
      baseFile: 'x.yaml',
      combinations: [
        { name: 'a', regularizers: [] },
        { name: 'a', regularizers: [] },
      ],
      seeds: [1, 1],
      baseline: 'nope',
    });
    expect(message).toContain('baseFile: give exactly one of "base" (a training config), "baseFile" (a path to one) and "suites" (several)');
    expect(message).toContain('combinations[1].name: combinations[0] already has this name; names must be unique (got "a")');
    expect(message).toContain('seeds[1]: seeds must not repeat (got 1)');
    expect(message).toContain('baseline: no combination has this name; known: a (got "nope")');
    expect(issuesOf({ combinations: [{ name: 'a', regularizers: [] }] })).toContain('base: give exactly one of "base"');
  });
});

describe('expandRuns', () => {
  const config = parseBenchConfig({
    base,
    combinations: [
      { name: 'baseline', regularizers: [] },
      { name: 'cs-kd', regularizers: [{ type: 'cs-kd', temperature: 4 }], overrides: { train: { batchSize: 64, optimizer: { lr: 0.01 } } } },
    ],
    seeds: [3, 5],
    eval: { suite: 'calibration' },
  });
  const runs = expandRuns(config);

  it('makes one run per combination and seed, seed by seed, each in its own folder', () => {
    expect(runs.map((r) => r.key)).toEqual(['baseline/seed-3', 'cs-kd/seed-3', 'baseline/seed-5', 'cs-kd/seed-5']);
    expect(runs[1]!.dir).toBe(join('runs', 'cs-kd', 'seed-3'));
  });

  it('deep-merges the overrides and sets seed, regularizers and the eval section', () => {
    expect(runs[1]!.config).toEqual({
      data: { name: 'mnist-digits' },
      model: { name: 'mlp', hidden: [64] },
      train: { epochs: 2, batchSize: 64, optimizer: { name: 'adam', lr: 0.01 } },
      eval: { suite: 'calibration' },
      seed: 3,
      regularizers: [{ type: 'cs-kd', temperature: 4 }],
    });
    expect(runs[0]!.config).toMatchObject({ seed: 3, regularizers: [], train: { optimizer: { lr: 0.001 } } });
    expect(config.base.train).toEqual(base.train);
  });

  it('hashes each run config stably: key order does not matter, any value does', () => {
    expect(runs[0]!.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(runs.map((r) => r.hash)).size).toBe(4);
    expect(configHash({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(configHash({ b: { d: 'x', c: [1, 2] }, a: 1 }));
    expect(configHash({ a: 1, b: { c: [1, 2] } })).not.toBe(configHash({ a: 1, b: { c: [2, 1] } }));
    expect(expandRuns(config)[3]!.hash).toBe(runs[3]!.hash);
  });

  it('gives each run its own TensorBoard folder and MLflow run name, without changing its hash', () => {
    const logged = expandRuns({ ...config, base: { ...config.base, logging: { tensorboard: 'tb', mlflow: 'mlruns', runName: 'sweep' } } });
    expect(logged.map((r) => r.config.logging)).toEqual([
      { tensorboard: join('tb', 'baseline', 'seed-3'), mlflow: 'mlruns', runName: 'sweep/baseline/seed-3' },
      { tensorboard: join('tb', 'cs-kd', 'seed-3'), mlflow: 'mlruns', runName: 'sweep/cs-kd/seed-3' },
      { tensorboard: join('tb', 'baseline', 'seed-5'), mlflow: 'mlruns', runName: 'sweep/baseline/seed-5' },
      { tensorboard: join('tb', 'cs-kd', 'seed-5'), mlflow: 'mlruns', runName: 'sweep/cs-kd/seed-5' },
    ]);
    expect(logged.map((r) => r.hash)).toEqual(runs.map((r) => r.hash));
    const mlflowOnly = expandRuns({ ...config, base: { ...config.base, logging: { mlflow: 'mlruns' } } });
    expect(mlflowOnly[0]!.config.logging).toEqual({ mlflow: 'mlruns', runName: 'baseline/seed-3' });
  });
});

describe('deepMerge', () => {
  it('merges objects key by key and replaces lists and scalars whole, without touching its inputs', () => {
    const left = { a: { b: 1, c: [1, 2] }, d: 'x' };
    const right = { a: { c: [3] }, e: null };
    expect(deepMerge(left, right)).toEqual({ a: { b: 1, c: [3] }, d: 'x', e: null });
    expect(left).toEqual({ a: { b: 1, c: [1, 2] }, d: 'x' });
  });
});
