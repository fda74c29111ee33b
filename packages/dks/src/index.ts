export { dksLoss, type DksParams } from './dks-loss.js';
export { plugin, module, dksOptions, DksRegularizer, type DksOptions } from './plugin.js';
