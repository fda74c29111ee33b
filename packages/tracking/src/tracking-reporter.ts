import { combineReporters, type TrainingReporter } from '@selfkd/trainer';
import { guardReporter } from './guarded-reporter.js';
import { createMlflowReporter } from './mlflow/mlflow-reporter.js';
import { createTensorBoardReporter } from './tensorboard/tensorboard-reporter.js';
import type { TrackingContext } from './tracking-context.js';

/** A config's `logging:` section. */
export interface TrackingOptions {
  /** TensorBoard run folder for this run's event files. */
  tensorboard?: string;
  /** MLflow file store root (`mlruns`), shared by runs. */
  mlflow?: string;
  /** MLflow experiment name (default `selfkd`). */
  experiment?: string;
}

export const DEFAULT_EXPERIMENT = 'selfkd';

/**
 * The reporters a `logging:` section asks for, combined into one, each guarded so that a failing
 * tracker is reported once and switched off without stopping the training. Undefined when the
 * section asks for none.
 */
export function createTrackingReporter(options: TrackingOptions, context: TrackingContext): TrainingReporter | undefined {
  const warn = context.warn ?? ((message: string) => process.stderr.write(`${message}\n`));
  const reporters: TrainingReporter[] = [];
  if (options.tensorboard) reporters.push(guardReporter('tensorboard', createTensorBoardReporter({ dir: options.tensorboard }, context), warn));
  if (options.mlflow) {
    reporters.push(guardReporter('mlflow', createMlflowReporter({ dir: options.mlflow, experiment: options.experiment ?? DEFAULT_EXPERIMENT }, context), warn));
  }
  return reporters.length ? combineReporters(...reporters) : undefined;
}
