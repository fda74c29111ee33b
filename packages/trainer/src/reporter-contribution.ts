import type { ReporterContribution, SelfKdConfig } from '@selfkd/core';
import type { TrainingReporter } from './reporter.js';

/** What a contributed reporter is made for: the run folder it reports on and the run's config. */
export interface ReporterRun {
  outDir: string;
  config: SelfKdConfig;
}

/**
 * A reporter as a plugin package contributes it (`pluginModule({ reporters: [...] })`): named in
 * a config's `reporters:` with its options, made once per run, and told everything the console
 * reporter is told.
 */
export type TrainingReporterContribution = ReporterContribution<TrainingReporter, ReporterRun>;
