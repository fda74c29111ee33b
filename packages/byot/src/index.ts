export { byotLoss, type ByotParams } from './byot-loss.js';
export { TapBranches, branchOutput, branchVariables, type BranchOutput, type BranchWeights } from './tap-branches.js';
export { BranchedRegularizer } from './branched-regularizer.js';
export { tapsOption } from './taps-option.js';
export { plugin, module, byotOptions, ByotRegularizer, type ByotOptions } from './plugin.js';
