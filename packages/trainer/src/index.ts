import 'reflect-metadata';

export { train, type TrainOptions, type TrainResult, type RunEnvironment } from './train.js';
export type { MachineDescription } from './machine.js';
export { Trainer, type EpochSink } from './trainer.js';
export { TRAINER_TOKENS, type CheckpointStore, type OptimizerFactory } from './trainer-tokens.js';
export { builtinComponentModules, trainingContainer, type TrainingRun } from './training-container.js';
export type { ReporterRun, TrainingReporterContribution } from './reporter-contribution.js';
export { combineReporters } from './combined-reporter.js';
export { createOptimizer, type Optimizer, type OptimizerState, type OptimizerSlot } from './optimizers.js';
export { learningRateAt } from './schedule.js';
export { selectBackend, releaseBackend, probeBackends, type BackendProbe, type SelectedBackend } from './backend.js';
export { describeAdapter, type WebGpuAdapter } from './webgpu-backend.js';
export {
  saveCheckpoint,
  loadCheckpoint,
  openCheckpoint,
  type CheckpointWriter,
  type LoadedCheckpoint,
  type LoadCheckpointOptions,
  type TrainingState,
} from './checkpoint.js';
export { DamagedCheckpointError } from './damaged-checkpoint-error.js';
export { ResumeConfigMismatchError, resumableConfigFile } from './run-folder-check.js';
export { evaluateSplit, type SplitMetrics } from './evaluate.js';
export { type BestValidation } from './best-epoch.js';
export { BEST_DIR, BEST_INFO_FILE, openBestModel } from './best-model.js';
export { DivergenceError } from './divergence-error.js';
export { createConsoleReporter, formatEpochLine } from './console-reporter.js';
export type { TrainingReporter, RunStartInfo, StepInfo, EpochRecord } from './reporter.js';
export { packageVersions } from './versions.js';
