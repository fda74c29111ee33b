export { dlbLoss } from './dlb-loss.js';
export { LastBatchSampler } from './last-batch-sampler.js';
export { plugin, module, dlbOptions, type DlbOptions } from './plugin.js';
