export { confidencePenalty } from './confidence-penalty.js';
export { plugin, module, confidencePenaltyOptions, DEFAULT_BETA, type ConfidencePenaltyOptions } from './confidence-penalty-plugin.js';
