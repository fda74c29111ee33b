export { knowledgeEnsemble } from './knowledge-ensemble.js';
export { bakeLoss } from './bake-loss.js';
export { IntraClassSampler } from './intra-class-sampler.js';
export { plugin, module, bakeOptions, type BakeOptions } from './plugin.js';
