export { psKdAlpha } from './ps-kd-alpha.js';
export { psKdTargets } from './ps-kd-targets.js';
export { PredictionMemory } from './prediction-memory.js';
export { PsKdRegularizer, type PsKdStepInput } from './ps-kd-regularizer.js';
export { plugin, module, psKdOptions, type PsKdOptions } from './plugin.js';
