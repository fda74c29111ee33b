import { loggingReporters, type LoggingConfig } from '@selfkd/core';
import { combineReporters, type TrainingReporter } from '@selfkd/trainer';
import { trackerNamed } from './reporter-plugins.js';
import type { TrackingContext } from './tracking-context.js';

/** A config's `logging:` section. */
export type TrackingOptions = LoggingConfig;

/**
 * The trackers a `logging:` section asks for, outside a training container (a training run builds
 * the same reporters from the plugin module): combined into one, each guarded so that a failing
 * tracker is reported once and switched off without stopping the training. Undefined when the
 * section asks for none.
 */
export function createTrackingReporter(options: TrackingOptions, context: TrackingContext): TrainingReporter | undefined {
  const reporters = loggingReporters(options).map(({ name, ...entry }) => trackerNamed(name).start(entry, context));
  return reporters.length ? combineReporters(...reporters) : undefined;
}
