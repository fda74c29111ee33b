export { csKdLoss } from './cs-kd-loss.js';
export { PairedClassSampler } from './paired-class-sampler.js';
export { plugin, module, csKdOptions, type CsKdOptions } from './plugin.js';
