import type { Dataset } from '@selfkd/data';
import { adversarialSuite } from './adversarial-suite.js';
import type { ProgressFn } from './progress.js';
import { calibrationReport, classificationReport, testLogits } from './classification-suite.js';
import { parseEvalConfig, type EvalConfigInput, type EvalSuite } from './config.js';
import { pixelLogits, type EvaluableModel, type SuiteContext } from './context.js';
import { oodSuite, openOodSets } from './ood-suite.js';
import type { EvalReport } from './report.js';
import { shiftSuite } from './shift-suite.js';

export interface RunEvaluationOptions {
  /** Called as each stage advances: units done, units in the stage, the stage's label. */
  onProgress?: ProgressFn;
  /** Seeds subsets, PGD starts, corruptions and noise sets (default 0). */
  seed?: number;
  /** Folder of dataset files for OOD sets named by dataset (the CLI's --data-dir). */
  dataDir?: string;
}

const SUITES_RUN: Record<EvalSuite, readonly (keyof EvalReport)[]> = {
  all: ['classification', 'calibration', 'adversarial', 'ood', 'shift'],
  basic: ['classification'],
  calibration: ['calibration'],
  adversarial: ['adversarial'],
  ood: ['ood'],
  shift: ['shift'],
};

/**
 * Evaluates `model` on `dataset`'s test split: the suites `config.suite` selects, each a key of
 * the report. Works in batches of `config.batchSize` images, disposing every tensor it makes.
 * Validates the config (defaults filled in) and that the model fits the dataset, and opens every
 * OOD set, before any computation.
 */
export async function runEvaluation(
  model: EvaluableModel,
  dataset: Dataset,
  config: EvalConfigInput | undefined,
  options: RunEvaluationOptions = {},
): Promise<EvalReport> {
  const parsed = parseEvalConfig(config);
  checkModelFitsDataset(model, dataset);
  const ctx: SuiteContext = {
    model,
    dataset,
    logitsOf: pixelLogits(model, dataset),
    config: parsed,
    seed: options.seed ?? 0,
    onProgress: options.onProgress,
    dataDir: options.dataDir,
  };
  const run = new Set(SUITES_RUN[parsed.suite]);
  const oodSets = run.has('ood') ? await openOodSets(ctx) : [];
  const report: EvalReport = {};
  if (run.has('classification') || run.has('calibration')) {
    const { logits, labels } = await testLogits(ctx);
    if (run.has('classification')) report.classification = classificationReport(logits, labels, model.numClasses);
    if (run.has('calibration')) report.calibration = calibrationReport(logits, labels, model.numClasses, parsed.calibration.bins);
  }
  if (run.has('adversarial')) report.adversarial = await adversarialSuite(ctx);
  if (run.has('ood')) report.ood = await oodSuite(ctx, oodSets);
  if (run.has('shift')) report.shift = await shiftSuite(ctx);
  return report;
}

function checkModelFitsDataset(model: EvaluableModel, dataset: Dataset): void {
  const shape = dataset.imageShape;
  if (model.inputShape.length !== shape.length || model.inputShape.some((d, i) => d !== shape[i])) {
    throw new Error(
      `model ${model.kind} takes inputs of shape [${model.inputShape.join(', ')}] but dataset ${dataset.name} has images of shape [${shape.join(', ')}]`,
    );
  }
  if (model.numClasses !== dataset.numClasses) {
    throw new Error(`model ${model.kind} has ${model.numClasses} classes but dataset ${dataset.name} has ${dataset.numClasses}`);
  }
  if (dataset.test.size === 0) throw new Error(`dataset ${dataset.name} has an empty test split; there is nothing to evaluate`);
}
