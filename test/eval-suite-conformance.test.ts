import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, PluginRegistry, pluginContainer } from '@selfkd/core';
import { builtinPluginPackages, resolveRawConfig } from '@selfkd/cli';
import { loadDataset, type Dataset } from '@selfkd/data';
import { evalMetrics, runEvaluation, type EvalConfig, type SuiteContext } from '@selfkd/eval';
import { createModel, type ClassifierModel } from '@selfkd/models';
import { module as examples } from '../examples/custom-regularizer/src/index.js';

/**
 * Every registered evaluation suite (the built-ins and the example package's) on a tiny model: it
 * runs alone by its name with its example options, leaks no tensor, and flattens its part into
 * finite metrics whose directions it knows.
 */
const suites = new PluginRegistry(pluginContainer([...Object.values(builtinPluginPackages).map((p) => p.module), examples])).evalSuites<SuiteContext>();
const exampleDist = resolve(import.meta.dirname, '../examples/custom-regularizer/dist/index.js');
let dataset: Dataset;
let model: ClassifierModel;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await loadDataset({ name: 'mnist-digits', trainSize: 100 });
  model = createModel({ name: 'mlp', hidden: [8] }, { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
});

afterAll(() => model.dispose());

describe('every registered evaluation suite', () => {
  it('includes the built-ins and the example package’s', () => {
    expect(suites.map((s) => s.name)).toEqual(expect.arrayContaining(['classification', 'calibration', 'adversarial', 'ood', 'shift', 'per-class']));
  });

  it.each(suites.map((s) => [s.name, s] as const))('%s has strict, defaulted options', (_name, suite) => {
    expect(suite.options.safeParse({}).success).toBe(true);
    expect(suite.options.safeParse({ notAnOption: 1 }).success).toBe(false);
    for (const key of Object.keys(suite.options.shape)) expect(suite.options.safeParse({ [key]: { notAnOption: 1 } }).success, key).toBe(false);
  });

  it.each(suites.map((s) => [s.name, s] as const))('%s runs on a tiny model with finite metrics that have a direction', async (name, suite) => {
    const before = tf.memory().numTensors;
    const report = await runEvaluation(model, dataset, { suite: name, batchSize: 64, ...suite.exampleOptions }, { suites, seed: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(report)).toEqual([name]);
    const metrics = suite.metrics(report[name]);
    expect(metrics.length).toBeGreaterThan(0);
    expect(new Set(metrics.map((m) => m.name)).size).toBe(metrics.length);
    for (const { name: metric, value } of metrics) {
      expect(Number.isFinite(value), metric).toBe(true);
      expect(['higher', 'lower'], metric).toContain(suite.direction(metric));
      // No other suite claims the name: a metric's direction is its own suite's.
      expect(suites.filter((s) => s !== suite && s.direction(metric) !== undefined).map((s) => s.name), metric).toEqual([]);
    }
    // The report read back from JSON flattens to the same metrics.
    expect(evalMetrics(JSON.parse(JSON.stringify(report)), suites)).toEqual(metrics);
    expect(suite.format?.(report[name]) ?? '').not.toMatch(/undefined|NaN/);
  });
});

describe('a suite added by a config’s plugins: entry', () => {
  const base = { data: { name: 'mnist-digits' }, model: { name: 'mlp', hidden: [8] }, train: { epochs: 1, optimizer: { name: 'adam', lr: 0.001 } } };

  it('validates its eval: options and runs into the report', async () => {
    const { config, evalSuites } = await resolveRawConfig({ ...base, plugins: [exampleDist], eval: { suite: 'per-class', perClass: { worst: 1 } } });
    expect(evalSuites.map((s) => s.name)).toContain('per-class');
    expect(config.eval).toMatchObject({ suite: 'per-class', perClass: { worst: 1 }, calibration: { bins: 15 } });
    const report = await runEvaluation(model, dataset, config.eval as EvalConfig, { suites: evalSuites });
    expect(Object.keys(report)).toEqual(['per-class']);
    expect(evalMetrics(report, evalSuites).map((m) => m.name)).toContain('perClass.worst');

    const bad = resolveRawConfig({ ...base, plugins: [exampleDist], eval: { perClass: { worst: -1 } } });
    await expect(bad).rejects.toThrow(ConfigError);
    await expect(bad).rejects.toThrow(/eval\.perClass\.worst/);
  });

  it('is unknown without the plugin', async () => {
    await expect(resolveRawConfig({ ...base, eval: { suite: 'per-class' } })).rejects.toThrow(/eval\.suite: .*"per-class"/);
    await expect(resolveRawConfig({ ...base, eval: { perClass: {} } })).rejects.toThrow(/eval\.perClass: unknown key/);
  });
});

