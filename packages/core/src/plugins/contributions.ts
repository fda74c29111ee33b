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

/** Everything one plugin package may contribute, through the one ContainerModule it exports. */
export interface PluginContributions {
  regularizers?: readonly RegularizerPlugin<object>[];
  models?: readonly ModelContribution[];
  datasets?: readonly DatasetContribution[];
  reporters?: readonly ReporterContribution[];
}
