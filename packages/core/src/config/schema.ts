import { z } from 'zod';

const positive = z.number().finite().positive();
const nonNegative = z.number().finite().min(0);
const warmupEpochs = z.number().int().min(0).default(0);

export const optimizerSchema = z.discriminatedUnion('name', [
  z.strictObject({
    name: z.literal('sgd'),
    lr: positive,
    momentum: z.number().finite().min(0).max(1).default(0.9),
    nesterov: z.boolean().default(false),
    weightDecay: nonNegative.default(0),
  }),
  z.strictObject({
    name: z.literal('adam'),
    lr: positive,
    beta1: z.number().finite().min(0).lt(1).default(0.9),
    beta2: z.number().finite().min(0).lt(1).default(0.999),
    epsilon: positive.default(1e-8),
    weightDecay: nonNegative.default(0),
  }),
]);

export const scheduleSchema = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('constant'), warmupEpochs }),
  z.strictObject({
    name: z.literal('multistep'),
    milestones: z.array(z.number().int().positive()).min(1),
    gamma: z.number().finite().positive().max(1).default(0.1),
    warmupEpochs,
  }),
  z.strictObject({ name: z.literal('cosine'), minLr: nonNegative.default(0), warmupEpochs }),
]);

export const selectBySchema = z.enum(['val-top1', 'val-nll']);

export const trainSchema = z.strictObject({
  epochs: z.number().int().min(1),
  /** Anchors per step (CS-KD adds as many pair images). */
  batchSize: z.number().int().min(1).default(128),
  evalBatchSize: z.number().int().min(1).default(500),
  optimizer: optimizerSchema,
  schedule: scheduleSchema.default({ name: 'constant', warmupEpochs: 0 }),
  /**
   * A step whose total loss exceeds this stops the run as diverged (NaN and ±Inf always do).
   * `auto`: 100·ln K, a hundred times the loss of a uniform guess over K classes.
   */
  maxLoss: z.union([z.literal('auto'), positive]).default('auto'),
  /**
   * How the best epoch is chosen on the held-out validation split (`data.validation`): highest
   * top-1 (`val-top1`, the trainer's default) or lowest NLL (`val-nll`); a tie keeps the earlier
   * epoch. Never on the test split. No default here, so configs without validation stay as they were.
   */
  selectBy: selectBySchema.optional(),
});

/** The task loss (cross-entropy against the final target) and its weight in the total. */
export const taskSchema = z.strictObject({ weight: nonNegative.default(1) });

export const backendSchema = z.enum(['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu']);

/**
 * Where a run is recorded besides its own folder; paths are relative to the working folder. A
 * shorthand for the tracker reporters @selfkd/tracking contributes (see loggingReporters), kept
 * apart from `reporters:` because where a run is recorded is not part of what it computes.
 */
export const loggingSchema = z.strictObject({
  /** TensorBoard run folder for the event files. */
  tensorboard: z.string().min(1).optional(),
  /** MLflow file store root (an `mlruns` folder). */
  mlflow: z.string().min(1).optional(),
  /** MLflow experiment name. */
  experiment: z.string().min(1).optional(),
  /** Folder for offline Weights & Biases runs (`wandb sync` uploads them later). */
  wandb: z.string().min(1).optional(),
  /** W&B project. */
  project: z.string().min(1).optional(),
  /** Run name in MLflow and W&B (default: the run folder's name). */
  runName: z.string().min(1).optional(),
});

/** A `{name, ...options}` section whose options are validated by a catalog (models, datasets). */
const namedSection = z.looseObject({ name: z.string().min(1) });

/** Names of the loss values the trainer logs itself; a regularizer may not take them. */
export const RESERVED_TERM_NAMES: readonly string[] = ['task', 'total'];

/** A regularizer entry before its plugin validates the options. */
const regularizerEntry = z.looseObject({
  type: z.string().min(1),
  weight: z.number().finite().min(0).optional(),
  name: z.string().min(1).optional(),
});

export const baseConfigSchema = z.strictObject({
  seed: z.number().int().min(0).default(0),
  backend: backendSchema.default('auto'),
  data: namedSection,
  model: namedSection,
  train: trainSchema,
  task: taskSchema.prefault({}),
  regularizers: z.array(regularizerEntry).default([]),
  /** Packages to import for third-party regularizer plugins. */
  plugins: z.array(z.string().min(1)).default([]),
  /** Reporters contributed by plugins (e.g. a TensorBoard writer), `{name, ...options}` each. */
  reporters: z.array(namedSection).default([]),
  eval: z.unknown().optional(),
  logging: loggingSchema.optional(),
});

export type OptimizerConfig = z.infer<typeof optimizerSchema>;
export type ScheduleConfig = z.infer<typeof scheduleSchema>;
export type TrainConfig = z.infer<typeof trainSchema>;
export type SelectBy = z.infer<typeof selectBySchema>;
export type TaskConfig = z.infer<typeof taskSchema>;
export type Backend = z.infer<typeof backendSchema>;
export type LoggingConfig = z.infer<typeof loggingSchema>;

/** A validated regularizer entry: the plugin's parsed options plus weight and name. */
export interface RegularizerSpec {
  type: string;
  options: Record<string, unknown> & { weight: number; name: string };
}

export interface NamedComponentConfig {
  name: string;
  [option: string]: unknown;
}

/** A fully validated config with every default filled in. */
export interface SelfKdConfig {
  seed: number;
  backend: Backend;
  data: NamedComponentConfig;
  model: NamedComponentConfig;
  train: TrainConfig;
  task: TaskConfig;
  regularizers: RegularizerSpec[];
  plugins: string[];
  reporters: NamedComponentConfig[];
  eval?: unknown;
  logging?: LoggingConfig;
}
