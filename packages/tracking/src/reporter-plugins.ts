import { basename, resolve } from 'node:path';
import { pluginModule, toConfigFile, z } from '@selfkd/core';
import type { TrainingReporter, TrainingReporterContribution } from '@selfkd/trainer';
import { guardReporter } from './guarded-reporter.js';
import { createMlflowReporter } from './mlflow/mlflow-reporter.js';
import { createTensorBoardReporter } from './tensorboard/tensorboard-reporter.js';
import type { TrackingContext } from './tracking-context.js';
import { createWandbReporter } from './wandb/wandb-reporter.js';

export const DEFAULT_EXPERIMENT = 'selfkd';
export const DEFAULT_PROJECT = 'selfkd';

/** A tracker: its reporter contribution, and the same reporter started for a given context. */
interface Tracker {
  contribution: TrainingReporterContribution;
  /** Validates the options and starts the guarded reporter; `runName` in them wins over the context's. */
  start(options: Record<string, unknown>, context: TrackingContext): TrainingReporter;
}

const stderrWarn = (message: string) => void process.stderr.write(`${message}\n`);

function tracker<Options extends { runName?: string }>(
  name: string,
  description: string,
  options: z.ZodType<Options>,
  create: (options: Options, context: TrackingContext) => TrainingReporter,
): Tracker {
  // Guarded: a tracker's first error is printed once and it stops; it must never break a run.
  const start = (raw: Record<string, unknown>, context: TrackingContext): TrainingReporter => {
    const parsed = options.parse(raw);
    const warn = context.warn ?? stderrWarn;
    return guardReporter(name, create(parsed, { ...context, runName: parsed.runName ?? context.runName }), warn);
  };
  return {
    start,
    contribution: {
      name,
      description,
      options,
      create: (raw, run) => start(raw, { runName: basename(resolve(run.outDir)), config: toConfigFile(run.config) }),
    },
  };
}

const runName = z.string().min(1).optional();

const trackers: Record<string, Tracker> = {
  tensorboard: tracker(
    'tensorboard',
    'TensorBoard event files of every step, epoch and evaluation',
    z.strictObject({ dir: z.string().min(1), runName }),
    ({ dir }, context) => createTensorBoardReporter({ dir }, context),
  ),
  mlflow: tracker(
    'mlflow',
    'a run in an offline MLflow file store (mlruns)',
    z.strictObject({ dir: z.string().min(1), experiment: z.string().min(1).default(DEFAULT_EXPERIMENT), runName }),
    ({ dir, experiment }, context) => createMlflowReporter({ dir, experiment }, context),
  ),
  wandb: tracker(
    'wandb',
    'an offline Weights & Biases run, uploaded later by `wandb sync`',
    z.strictObject({ dir: z.string().min(1), project: z.string().min(1).default(DEFAULT_PROJECT), entity: z.string().min(1).optional(), runName }),
    ({ dir, project, entity }, context) => createWandbReporter({ dir, project, ...(entity ? { entity } : {}) }, context),
  ),
};

/** The tracker a `logging:` key or a `reporters:` entry names. */
export function trackerNamed(name: string): Tracker {
  const found = trackers[name];
  if (!found) throw new Error(`@selfkd/tracking has no tracker "${name}"; it has ${Object.keys(trackers).join(', ')}`);
  return found;
}

/** The plugin module: the trackers as reporters that a config's `reporters:` (or its `logging:` section) names. */
export const module = pluginModule({ reporters: Object.values(trackers).map((t) => t.contribution) });
