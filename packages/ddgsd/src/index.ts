export { ddgsdLoss, type DdgsdParams } from './ddgsd-loss.js';
export { TwoViewSampler } from './two-view-sampler.js';
export { plugin, module, ddgsdOptions, type DdgsdOptions } from './plugin.js';
