import type { TrainingReporter } from '@selfkd/trainer';

/** What a tracking reporter is told about the run it records. */
export interface TrackingContext {
  /** Names the run in MLflow (`mlflow.runName`); usually the run folder's name. */
  runName: string;
  /** The resolved config in its file form, recorded as TensorBoard text and MLflow params. */
  config?: Record<string, unknown>;
  /** Where a reporter says it had to stop (one line); default: standard error. */
  warn?: (message: string) => void;
}

/** A factory of the shape every reporter plugin has: its options, then the run it records. */
export type ReporterFactory<Options> = (options: Options, context: TrackingContext) => TrainingReporter;
