import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginRegistry, pluginContainer } from '@selfkd/core';
import { loadDataset, normalize, type Dataset } from '@selfkd/data';
import { evalMetrics, formatEvalReport, metricDirection, module as evalModule, parseEvalConfig, runEvaluation, type SuiteContext } from '@selfkd/eval';
import { createModel } from '@selfkd/models';
import type { ClassifierModel } from '@selfkd/models';
import { module } from '../src/index.js';

// The suites as the CLI sees them with `plugins: [selfkd-example-regularizers]`: the built-ins' module, then this package's.
const suites = new PluginRegistry(pluginContainer([evalModule, module])).evalSuites<SuiteContext>();
let dataset: Dataset;
let model: ClassifierModel;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await loadDataset({ name: 'mnist-digits', trainSize: 100 });
  model = createModel({ name: 'mlp', hidden: [16] }, { inputShape: [28, 28, 1], numClasses: 10, seed: 5 });
});

afterAll(() => model.dispose());

/** Per-class accuracy of the model by plain counting over one forward pass of the whole test set. */
function referenceAccuracy(): number[] {
  const { images, labels, size } = dataset.test;
  const predicted = tf.tidy(() => {
    const pixels = tf.div(tf.tensor4d(Float32Array.from(images), [size, 28, 28, 1]), 255) as tf.Tensor4D;
    return tf.argMax(model.forward(normalize(pixels, dataset.normalization), false).logits, 1).dataSync();
  });
  const hits = new Array<number>(10).fill(0);
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < size; i++) {
    counts[labels[i]!]! += 1;
    if (predicted[i] === labels[i]) hits[labels[i]!]! += 1;
  }
  return hits.map((h, k) => h / counts[k]!);
}

describe('the per-class evaluation suite, loaded from the plugin module', () => {
  it('is registered after the built-ins and runs by its name, its metrics flattened with directions', async () => {
    expect(suites.map((s) => s.name)).toEqual(['classification', 'calibration', 'adversarial', 'ood', 'shift', 'per-class']);
    const before = tf.memory().numTensors;
    const report = await runEvaluation(model, dataset, { suite: 'per-class', perClass: { worst: 2 } }, { suites });
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(report)).toEqual(['per-class']);

    const expected = referenceAccuracy();
    const part = report['per-class'] as { accuracy: number[]; worst: { class: number; accuracy: number }[]; gap: number };
    part.accuracy.forEach((a, k) => expect(a).toBeCloseTo(expected[k]!, 10));
    const lowest = [...expected].sort((a, b) => a - b);
    expect(part.worst.map((w) => w.accuracy)).toEqual(lowest.slice(0, 2));
    expect(part.gap).toBeCloseTo(lowest.at(-1)! - lowest[0]!, 10);

    const metrics = evalMetrics(report, suites);
    expect(metrics.map((m) => m.name)).toEqual([...expected.map((_, k) => `perClass.class${k}`), 'perClass.worst', 'perClass.gap']);
    expect(metrics.find((m) => m.name === 'perClass.worst')!.value).toBe(lowest[0]);
    expect(metricDirection('perClass.gap', suites)).toBe('lower');
    expect(metricDirection('perClass.class3', suites)).toBe('higher');
    expect(formatEvalReport(report, suites)).toMatch(/^per-class accuracy \(2000 test images\): worst class \d \d+\.\d%, class \d/);
  });

  it('shares the test-set forward pass with the classification suite', async () => {
    const labels: string[] = [];
    const both = suites.filter((s) => s.name === 'classification' || s.name === 'per-class');
    const report = await runEvaluation(model, dataset, {}, { suites: both, onProgress: (done, _total, label) => done === 0 && labels.push(label) });
    expect(Object.keys(report)).toEqual(['classification', 'per-class']);
    expect(labels).toEqual(['test set']);
  });

  it('has its options validated under eval: like a built-in', () => {
    expect(parseEvalConfig({}, suites).perClass).toEqual({ worst: 3 });
    expect(() => parseEvalConfig({ perClass: { worst: 0 } }, suites)).toThrow(/eval\.perClass\.worst: .*got 0/);
    expect(() => parseEvalConfig({ perClass: { wrost: 2 } }, suites)).toThrow('eval.perClass.wrost: unknown key "wrost"; allowed keys: worst');
    expect(() => parseEvalConfig({ suite: 'per-class' })).toThrow(/eval\.suite: .*"per-class"/);
  });
});
