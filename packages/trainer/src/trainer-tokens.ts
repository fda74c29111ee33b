import type * as tf from '@tensorflow/tfjs-core';
import type { TrainingState } from './checkpoint.js';
import type { Optimizer } from './optimizers.js';

/**
 * The trainer's collaborators, each bound in the training container (see `trainingContainer`) and
 * injected into the Trainer, so a library user's module can `rebind` any of them: their own
 * model or dataset, optimizer, sampler, reporter or checkpoint store.
 */
export const TRAINER_TOKENS = {
  /** The validated SelfKdConfig. */
  Config: Symbol.for('selfkd.trainer.Config'),
  /** The SelectedBackend in use. */
  Backend: Symbol.for('selfkd.trainer.Backend'),
  /** The Dataset (async: loaded on first resolution). */
  Dataset: Symbol.for('selfkd.trainer.Dataset'),
  /** The ClassifierModel to train (async: built for the dataset's shapes). */
  Model: Symbol.for('selfkd.trainer.Model'),
  /** An OptimizerFactory. */
  OptimizerFactory: Symbol.for('selfkd.trainer.OptimizerFactory'),
  /** The BatchSampler (the regularizers' own when one supplies it). */
  Sampler: Symbol.for('selfkd.trainer.Sampler'),
  /** The TrainingReporter: the caller's and every reporter the config names, together. */
  Reporter: Symbol.for('selfkd.trainer.Reporter'),
  /** The CheckpointStore of the run folder. */
  CheckpointStore: Symbol.for('selfkd.trainer.CheckpointStore'),
} as const;

/** Makes the optimizer once every trainable variable is known (the model's, then the regularizers'). */
export type OptimizerFactory = (variables: readonly tf.Variable[]) => Optimizer;

/** Where the trainer's state goes after each epoch. */
export interface CheckpointStore {
  save(state: TrainingState): Promise<void>;
}
