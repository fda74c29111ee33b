import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalize, type Dataset } from '@selfkd/data';
import {
  expectedCalibrationError,
  formatEvalReport,
  negativeLogLikelihood,
  psKdExpectedCalibrationError,
  runEvaluation,
  topKAccuracy,
  type EvalConfigInput,
} from '@selfkd/eval';
import { confidenceAndCorrectness } from '../src/metrics/calibration.js';
import { softmaxRows } from '../src/metrics/rows.js';
import { riskCoverage } from '../src/metrics/risk-coverage.js';
import { syntheticDataset } from './synthetic-dataset.js';
import { predictedLabels, tinyModel, type TinyModel } from './tiny-model.js';

const SHAPE: [number, number, number] = [6, 6, 1];
const CLASSES = 6;
let model: TinyModel;
let dataset: Dataset;

/** The model's logits on the whole test set in one pass, normalised as the runner must. */
function allLogits(): Float32Array {
  const pixels = tf.tensor4d(Float32Array.from(dataset.test.images, (v) => v / 255), [dataset.test.size, ...SHAPE]);
  const logits = tf.tidy(() => model.forward(normalize(pixels, dataset.normalization), false).logits);
  const values = new Float32Array(logits.dataSync());
  tf.dispose([pixels, logits]);
  return values;
}

const small: EvalConfigInput = {
  batchSize: 16,
  fgsm: { eps: [0, 0.05], maxImages: 30 },
  pgd: { eps: 0.05, steps: 3, stepSize: 0.02, maxImages: 20 },
  ood: { maxImages: 24, sets: ['gaussian-noise', 'uniform-noise'] },
  shift: { corruptions: ['gaussian_noise', 'rotate'], severities: [1, 5], maxImages: 25 },
};

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = tinyModel('runner-model', SHAPE, CLASSES);
  dataset = syntheticDataset(SHAPE, CLASSES, 50, (pixels) =>
    predictedLabels((p) => tf.tidy(() => model.forward(normalize(p, { mean: [0.5], std: [0.25] }), false).logits), pixels),
  );
});

afterAll(() => model.dispose());

describe('runEvaluation', () => {
  it('runs every suite in batches, with metrics equal to a one-pass computation, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const progress = new Map<string, [number, number]>();
    const report = await runEvaluation(model, dataset, small, { seed: 3, onProgress: (done, total, label) => progress.set(label, [done, total]) });
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(report).sort()).toEqual(['adversarial', 'calibration', 'classification', 'ood', 'shift']);

    const logits = allLogits();
    const labels = dataset.test.labels;
    expect(report.classification!.images).toBe(50);
    expect(report.classification!.top1).toBeCloseTo(topKAccuracy(logits, labels, CLASSES, 1), 12);
    expect(report.classification!.top1).toBeCloseTo(0.8, 12); // every 5th label was shifted
    expect(report.classification!.top5).toBeCloseTo(topKAccuracy(logits, labels, CLASSES, 5), 12);
    expect(report.classification!.nll).toBeCloseTo(negativeLogLikelihood(logits, labels, CLASSES), 5);

    const { confidence, correct } = confidenceAndCorrectness(softmaxRows(logits, CLASSES), labels, CLASSES);
    expect(report.calibration!.ece).toBeCloseTo(expectedCalibrationError(confidence, correct), 6);
    expect(report.calibration!.ecePsKd).toBeCloseTo(psKdExpectedCalibrationError(confidence, correct), 6);
    const { aurc, eaurc } = riskCoverage(confidence, correct);
    expect(report.calibration!.aurc).toBeCloseTo(aurc, 6);
    expect(report.calibration!.eaurc).toBeCloseTo(eaurc, 6);
    expect(report.calibration!.reliability).toHaveLength(15);
    expect(report.calibration!.reliability.reduce((s, b) => s + b.count, 0)).toBe(50);

    const { fgsm, pgd } = report.adversarial!;
    expect(fgsm.images).toBe(30);
    expect(fgsm.results[0]).toEqual({ eps: 0, accuracy: fgsm.clean });
    expect(fgsm.results[1]!.accuracy).toBeLessThan(fgsm.clean);
    expect(pgd!.images).toBe(20);
    expect(pgd!.accuracy).toBeLessThan(pgd!.clean);

    const { ood } = report;
    expect(ood!.inDistribution).toEqual({ name: 'synthetic', images: 24 });
    expect(ood!.sets.map((s) => [s.name, s.images])).toEqual([['gaussian-noise', 24], ['uniform-noise', 24]]);
    for (const set of ood!.sets) {
      for (const m of [set.msp, set.odin, set.energy]) {
        for (const v of Object.values(m)) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
      }
    }

    const { shift } = report;
    expect(shift!.images).toBe(25);
    expect(shift!.severities).toEqual([1, 5]);
    expect(shift!.corruptions.map((c) => c.name)).toEqual(['gaussian_noise', 'rotate']);
    expect(shift!.mean).toBeCloseTo(shift!.corruptions.flatMap((c) => c.accuracy).reduce((a, b) => a + b, 0) / 4, 12);

    // Every stage ran to completion.
    for (const [label, [done, total]] of progress) expect(done, label).toBe(total);
    expect([...progress.keys()]).toEqual(['test set', 'fgsm', 'pgd', 'ood: in-distribution', 'ood: gaussian-noise', 'ood: uniform-noise', 'shift']);
    expect(progress.get('shift')).toEqual([100, 100]); // 25 images × 2 corruptions × 2 severities

    const text = formatEvalReport(report);
    for (const heading of ['classification', 'calibration', 'adversarial', 'out-of-distribution', 'distribution shift']) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('80.00%');
  });

  it('is reproducible for a seed and independent of the batch size where no randomness depends on batches', async () => {
    const a = await runEvaluation(model, dataset, { ...small, suite: 'ood' }, { seed: 11 });
    const b = await runEvaluation(model, dataset, { ...small, suite: 'ood' }, { seed: 11 });
    expect(a).toEqual(b);
    const byOne = await runEvaluation(model, dataset, { ...small, suite: 'ood', batchSize: 7 }, { seed: 11 });
    expect(byOne.ood!.sets[0]!.msp.auroc).toBeCloseTo(a.ood!.sets[0]!.msp.auroc, 12);
    const other = await runEvaluation(model, dataset, { ...small, suite: 'adversarial' }, { seed: 12 });
    const again = await runEvaluation(model, dataset, { ...small, suite: 'adversarial' }, { seed: 12 });
    expect(other).toEqual(again);
  });

  it.each([
    ['basic', ['classification']],
    ['calibration', ['calibration']],
    ['adversarial', ['adversarial']],
    ['ood', ['ood']],
    ['shift', ['shift']],
  ] as const)('suite %s reports only %j', async (suite, keys) => {
    const report = await runEvaluation(model, dataset, { ...small, suite });
    expect(Object.keys(report)).toEqual(keys);
  });

  it('holds a bounded number of bytes in tensors, whatever the test-set size', async () => {
    const peakBytes = async (size: number): Promise<number> => {
      const big = syntheticDataset(SHAPE, CLASSES, size, (pixels) => new Int32Array(pixels.shape[0]));
      const base = tf.memory().numBytes;
      let peak = 0;
      const uncapped: EvalConfigInput = {
        batchSize: 16,
        fgsm: { eps: [0.05], maxImages: null },
        pgd: { steps: 2, maxImages: null },
        ood: { sets: ['uniform-noise'], maxImages: null },
        shift: { corruptions: ['contrast'], maxImages: null },
      };
      await runEvaluation(model, big, uncapped, { onProgress: () => (peak = Math.max(peak, tf.memory().numBytes - base)) });
      return peak;
    };
    const [few, many] = [await peakBytes(40), await peakBytes(400)];
    expect(few).toBeGreaterThan(0);
    expect(many).toBe(few);
  });

  it('skips PGD when pgd is null and fills every default from an empty config', async () => {
    const report = await runEvaluation(model, dataset, { suite: 'adversarial', fgsm: { eps: [0.1] }, pgd: null });
    expect(report.adversarial!.pgd).toBeNull();
    expect(report.adversarial!.fgsm.images).toBe(50);
  });

  it('opens every OOD set before computing anything', async () => {
    // A folder with one of the four MNIST files: the data loader refuses it at once.
    const partial = mkdtempSync(join(tmpdir(), 'selfkd-eval-partial-'));
    writeFileSync(join(partial, 'train-images-idx3-ubyte'), new Uint8Array(16));
    const progress: string[] = [];
    const config: EvalConfigInput = { ood: { sets: ['gaussian-noise', `mnist@${partial}`] } };
    await expect(runEvaluation(model, dataset, config, { onProgress: (_d, _t, label) => progress.push(label) })).rejects.toThrow(
      /holds only part of the dataset/,
    );
    expect(progress).toEqual([]);
    rmSync(partial, { recursive: true, force: true });
  });

  it('rejects a model that does not fit the dataset', async () => {
    const wrongShape = tinyModel('wrong-shape', [5, 5, 1], CLASSES);
    const wrongClasses = tinyModel('wrong-classes', SHAPE, CLASSES + 1);
    await expect(runEvaluation(wrongShape, dataset, {})).rejects.toThrow(
      'model tiny-mlp takes inputs of shape [5, 5, 1] but dataset synthetic has images of shape [6, 6, 1]',
    );
    await expect(runEvaluation(wrongClasses, dataset, {})).rejects.toThrow('model tiny-mlp has 7 classes but dataset synthetic has 6');
    wrongShape.dispose();
    wrongClasses.dispose();
  });

  it('rejects bad configs naming the field, the value and what is allowed', async () => {
    await expect(runEvaluation(model, dataset, { ood: { sets: ['gaussian-noise', 'svhn'] } })).rejects.toThrow(
      /eval\.ood\.sets\[1\]: unknown OOD set "svhn"; known: gaussian-noise, uniform-noise, a dataset \(.*mnist-digits.*\), or DATASET@FOLDER .*got "svhn"/,
    );
    await expect(runEvaluation(model, dataset, { fgsm: { eps: [0.1, -0.02] } })).rejects.toThrow(
      /eval\.fgsm\.eps\[1\]: ε must be ≥ 0 .*got -0.02/,
    );
    await expect(runEvaluation(model, dataset, { pgd: { eps: -1 } })).rejects.toThrow(/eval\.pgd\.eps: ε must be ≥ 0/);
    await expect(runEvaluation(model, dataset, { suite: 'everything' } as never)).rejects.toThrow(/eval\.suite: .*"all"/);
    await expect(runEvaluation(model, dataset, { shift: { corruptions: ['fog'] } } as never)).rejects.toThrow(/eval\.shift\.corruptions/);
    await expect(runEvaluation(model, dataset, { fgsm: { epsilon: [0.1] } } as never)).rejects.toThrow(
      'eval.fgsm.epsilon: unknown key "epsilon"; allowed keys: eps, maxImages (got [0.1])',
    );
  });
});
