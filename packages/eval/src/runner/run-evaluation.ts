import type { Dataset } from '@selfkd/data';
import { builtinEvalSuites } from '../suites/builtin-suites.js';
import { parseEvalConfig, selectedSuites, type EvalConfigInput } from './config.js';
import { pixelLogits, type EvaluableModel, type SuiteContext, type TestLogits } from './context.js';
import type { EvalSuite } from './eval-suite.js';
import type { ProgressFn } from './progress.js';
import type { EvalReport } from './report.js';
import { computeTestLogits } from './test-logits.js';

export interface RunEvaluationOptions {
  /** Called as each stage advances: units done, units in the stage, the stage's label. */
  onProgress?: ProgressFn;
  /** Seeds subsets, PGD starts, corruptions and noise sets (default 0). */
  seed?: number;
  /** Folder of dataset files for OOD sets named by dataset (the CLI's --data-dir). */
  dataDir?: string;
  /**
   * The suites a config may name and `all` runs, in order (default: the built-ins). A config with
   * third-party suites passes every loaded one: `new PluginRegistry(container).evalSuites()`.
   */
  suites?: readonly EvalSuite[];
}

/**
 * Evaluates `model` on `dataset`'s test split: the suites `config.suite` selects, each under its
 * name in the report. Works in batches of `config.batchSize` images, disposing every tensor it
 * makes. Validates the config (defaults filled in) and that the model fits the dataset, and
 * prepares every selected suite (opening OOD sets), before any computation.
 */
export async function runEvaluation(
  model: EvaluableModel,
  dataset: Dataset,
  config: EvalConfigInput | undefined,
  options: RunEvaluationOptions = {},
): Promise<EvalReport> {
  const suites = options.suites ?? builtinEvalSuites;
  const parsed = parseEvalConfig(config, suites);
  checkModelFitsDataset(model, dataset);
  let testLogits: Promise<TestLogits> | undefined;
  const ctx: SuiteContext = {
    model,
    dataset,
    logitsOf: pixelLogits(model, dataset),
    batchSize: parsed.batchSize,
    seed: options.seed ?? 0,
    onProgress: options.onProgress,
    dataDir: options.dataDir,
    testLogits: () => (testLogits ??= computeTestLogits(ctx)),
  };
  const selected = selectedSuites(suites, parsed.suite).map((suite) => ({ suite, options: ownOptions(suite, parsed) }));
  const prepared: unknown[] = [];
  for (const { suite, options: own } of selected) prepared.push(suite.prepare ? await suite.prepare(ctx, own) : undefined);
  const report: EvalReport = {};
  for (const [i, { suite, options: own }] of selected.entries()) report[suite.name] = await suite.run(ctx, own, prepared[i]);
  return report;
}

/** The keys of the parsed config that the suite added (its options), and no others. */
function ownOptions(suite: EvalSuite, parsed: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(suite.options.shape).map((key) => [key, parsed[key]]));
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
