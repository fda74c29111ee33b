import { basename, resolve } from 'node:path';
import { toConfigFile, type SelfKdConfig } from '@selfkd/core';
import { createConsoleReporter, type TrainingReporter } from '@selfkd/trainer';
import { combineReporters, createTrackingReporter } from '@selfkd/tracking';

/** `--tensorboard DIR` and `--mlflow DIR`: the same as the config's `logging:` keys, and they win over it. */
export interface LoggingFlags {
  tensorboard?: string;
  mlflow?: string;
}

/** The raw config with the logging flags written into its `logging:` section (paths stay strings, unlike --set values). */
export function applyLoggingFlags(raw: unknown, flags: LoggingFlags): unknown {
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  if (Object.keys(given).length === 0 || raw === null || typeof raw !== 'object') return raw;
  const config = raw as Record<string, unknown>;
  const logging = config.logging !== null && typeof config.logging === 'object' ? config.logging : {};
  return { ...config, logging: { ...logging, ...given } };
}

/** The console reporter (progress bars or lines), plus the trackers the config's `logging:` section asks for. */
export function createRunReporter(config: SelfKdConfig, outDir: string): TrainingReporter {
  const progress = createConsoleReporter();
  const tracking =
    config.logging &&
    createTrackingReporter(config.logging, { runName: config.logging.runName ?? basename(resolve(outDir)), config: toConfigFile(config) });
  return tracking ? combineReporters(progress, tracking) : progress;
}
