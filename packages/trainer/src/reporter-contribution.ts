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

/** One reporter that passes every call on to each of the given ones, in order. */
export function combineReporters(reporters: readonly TrainingReporter[]): TrainingReporter {
  if (reporters.length === 1) return reporters[0]!;
  return {
    runStart: (info) => reporters.forEach((r) => r.runStart?.(info)),
    epochStart: (epoch, totalEpochs, steps) => reporters.forEach((r) => r.epochStart?.(epoch, totalEpochs, steps)),
    step: (info) => reporters.forEach((r) => r.step?.(info)),
    epochEnd: (record) => reporters.forEach((r) => r.epochEnd?.(record)),
    message: (text) => reporters.forEach((r) => r.message?.(text)),
    close: () => reporters.forEach((r) => r.close?.()),
  };
}
