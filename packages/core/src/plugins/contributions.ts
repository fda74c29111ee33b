import type { z } from 'zod';
import type { ComponentEntry } from '../config/catalog.js';
import type { RegularizerPlugin } from './regularizer-plugin.js';

/**
 * A model architecture a package contributes: its options and taps (for config validation) and
 * how to build it. @selfkd/models fixes the types: `ModelContribution<ClassifierModel, ModelSpec>`.
 */
export interface ModelContribution<Model = unknown, Spec = never> extends ComponentEntry {
  create(options: Record<string, unknown>, spec: Spec): Model;
}

/** A dataset a package contributes: its options and how to load it (@selfkd/data fixes the types). */
export interface DatasetContribution<Data = unknown, LoadOptions = never> extends ComponentEntry {
  load(options: Record<string, unknown>, loadOptions: LoadOptions): Promise<Data>;
}

/**
 * A training reporter a package contributes (progress display, TensorBoard, …), named in a
 * config's `reporters:`; @selfkd/trainer fixes the types (a `TrainingReporter` for a run folder).
 */
export interface ReporterContribution<Reporter = unknown, Run = never> extends ComponentEntry {
  create(options: Record<string, unknown>, run: Run): Reporter;
}

/** Whether a larger value of a metric is better (accuracy, AUROC) or a smaller one (NLL, ECE). */
export type MetricDirection = 'higher' | 'lower';

/** One scalar of an evaluation report, under the flat name benchmarks record it by. */
export interface MetricValue {
  name: string;
  value: number;
}

/**
 * An evaluation suite a package contributes, run after training when the config has an `eval:`
 * section; @selfkd/eval fixes the context (`EvalSuite`, `defineEvalSuite`). Its report part is
 * stored under its name in the evaluation report.
 */
export interface EvalSuiteContribution<Context = unknown, Options = Record<string, unknown>, Part = unknown, Prepared = unknown> {
  /** The report key and the `eval.suite` value that runs this suite alone, e.g. "calibration". */
  readonly name: string;
  readonly description: string;
  /**
   * A strict zod object whose keys this suite adds to the `eval:` section, each with defaults
   * (usually one key: the suite's name). Two loaded suites may not claim one key.
   */
  readonly options: z.ZodObject;
  /** `eval:` keys of a quick run on a tiny model and a few dozen images, for the conformance tests. */
  readonly exampleOptions?: Record<string, unknown>;
  /**
   * Runs before any selected suite computes anything: open files, check resources, so a missing
   * one fails fast. What it returns is handed to `run`.
   */
  prepare?(ctx: Context, options: Options): Promise<Prepared>;
  run(ctx: Context, options: Options, prepared: Prepared): Promise<Part>;
  /**
   * The part's scalars under flat names (unique across suites, stable: results are compared by
   * them). The part may have been read back from a file written by another version, so read it
   * defensively; values that are not finite numbers are dropped by the caller.
   */
  metrics(part: unknown): MetricValue[];
  /** The direction of one of this suite's metric names, or undefined for a name it does not make. */
  direction(metric: string): MetricDirection | undefined;
  /** The part as a titled plain-text section (what `selfkd eval` prints); without it, its metrics are listed. */
  format?(part: Part): string;
}

/** Everything one plugin package may contribute, through the one ContainerModule it exports. */
export interface PluginContributions {
  regularizers?: readonly RegularizerPlugin<object>[];
  models?: readonly ModelContribution[];
  datasets?: readonly DatasetContribution[];
  reporters?: readonly ReporterContribution[];
  evalSuites?: readonly EvalSuiteContribution[];
}
