import 'reflect-metadata';
import './gradients/register.js';

export { z } from 'zod';
export { Rng, type RngState } from './rng.js';
export { klDivBatchmean, softTargetCrossEntropy } from './math/kl.js';
export { stopGradient } from './math/stop-gradient.js';
export { oneHotFloat } from './math/one-hot.js';
export type {
  AfterStepContext,
  ExtraRows,
  ForwardOutput,
  ModelDescription,
  PrepareContext,
  Regularizer,
  RunInfo,
  SetupContext,
  StepContext,
} from './regularizer.js';
export { ShuffledSampler, type BatchSampler, type SampledBatch, type SamplerRequest } from './sampler.js';
export type { SerializedState, StateValue } from './state.js';
export {
  defineRegularizerPlugin,
  type CommonRegularizerOptions,
  type PluginEnv,
  type RegularizerPlugin,
} from './plugins/regularizer-plugin.js';
export { TOKENS } from './plugins/tokens.js';
export type {
  DatasetContribution,
  EvalSuiteContribution,
  MetricDirection,
  MetricValue,
  ModelContribution,
  PluginContributions,
  ReporterContribution,
} from './plugins/contributions.js';
export { pluginModule, regularizerModule } from './plugins/plugin-module.js';
export { PluginRegistry, bindRegularizers, createRegularizerContainer, pluginContainer } from './plugins/plugin-registry.js';
export { composeLoss, samplerOwner, type ComposedLoss } from './composition.js';
export * from './config/schema.js';
export { ConfigError, formatIssue, formatValue, pathToString, type ConfigIssue } from './config/errors.js';
export { assertNoForbiddenKeys, forbiddenKeyIssues, isForbiddenKey } from './config/safe-keys.js';
export type { ComponentEntry, ConfigCatalog } from './config/catalog.js';
export { validateConfig } from './config/validate.js';
export { loggingReporters } from './config/logging-reporters.js';
export { toConfigIssues } from './config/zod-issues.js';
export { toConfigFile } from './config/serialize.js';
export { diffConfigs, type ConfigDifference } from './config/diff.js';
export { InputError } from './config/input-error.js';
export { applyOverrides, readConfigFile } from './config/load.js';
export { CHECKPOINTS_DIR, hasCheckpoint, LATEST_FILE, METRICS_FILE, RESOLVED_CONFIG_FILE, RESULT_FILE } from './run-layout.js';
export { fsyncDirectory, writeFileAtomic, writeFileAtomicSync } from './files/atomic-write.js';
