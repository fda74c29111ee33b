export { confidencePenalty } from './confidence-penalty.js';
export { confidencePenaltyPlugin, confidencePenaltyOptions, DEFAULT_BETA, type ConfidencePenaltyOptions } from './confidence-penalty-plugin.js';
export { auxiliaryHeadLoss, auxiliaryLogits, type AuxiliaryHeadWeights } from './auxiliary-head.js';
export { AuxiliaryHeadRegularizer, auxiliaryHeadPlugin, auxiliaryHeadOptions, type AuxiliaryHeadOptions } from './auxiliary-head-plugin.js';
export { drawMixup, mixRows, sampleGamma, type MixupDraw } from './mixup.js';
export { mixupPlugin, mixupOptions, type MixupOptions } from './mixup-plugin.js';
export { perClassAccuracy, perClassOptions, perClassSuite, type PerClassReport } from './per-class-suite.js';
export { module } from './module.js';
